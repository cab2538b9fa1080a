#include <cstdio>

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"irk, the intrusion response kit"};
  app.set_version_flag("--version", "irk 0.1.0");
  CLI11_PARSE(app, argc, argv);
  return 0;
}
