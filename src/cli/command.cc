#include "cli/command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "core/operator.h"
#include "core/text.h"

namespace irk::cli {

bool Globals::Color() const {
  const char* no_color_env = std::getenv("NO_COLOR");
  return !no_color && (no_color_env == nullptr || *no_color_env == '\0') && isatty(STDOUT_FILENO);
}

bool Globals::LiveHost() const {
  std::error_code ec;
  return std::filesystem::equivalent(root, "/", ec);
}

Result<CaseStore> OpenCase(const Globals& globals) {
  return CaseStore::Open(globals.case_dir, Actor{CurrentOperator().ToJson(), globals.command_line});
}

std::string Counted(size_t n, std::string_view one, std::string_view many) {
  if (n == 1) return fmt::format("1 {}", one);
  return many.empty() ? fmt::format("{} {}s", n, one) : fmt::format("{} {}", n, many);
}

void Warn(std::string_view message) {
  std::fflush(stdout);  // keep warnings in place when both streams go to one terminal
  std::fprintf(stderr, "irk: warning: %s\n", EscapeForTerminal(message).c_str());
}

int ReportError(const Error& error) {
  std::fprintf(stderr, "irk: %s\n", EscapeForTerminal(error.message).c_str());
  return kExitError;
}

}  // namespace irk::cli
