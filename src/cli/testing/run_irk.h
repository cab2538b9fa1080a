// Runs the built irk program (IRK_BIN, set by CMake) as a user would, and
// hands back what it printed and how it exited.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/testing/temp_dir.h"

namespace irk::testing {

struct IrkRun {
  int exit_code = -1;  // -1 when it did not exit normally (a crash)
  std::string out;
  std::string err;
};

// Writes `text` to `file` (folders made as needed) and gives it `mode`.
inline void Write(const std::filesystem::path& file, std::string_view text, mode_t mode = 0644) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  chmod(file.c_str(), mode);
}

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `irk args...` with no terminal on stdin, stdout or stderr.
inline IrkRun RunIrk(const std::vector<std::string>& args) {
  const char* bin = IRK_BIN;  // set by CMake for every test binary
  TempDir out_dir;
  const auto out_path = out_dir.path() / "out";
  const auto err_path = out_dir.path() / "err";
  const pid_t child = fork();
  if (child == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(bin));
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(bin, argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  IrkRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadAll(out_path);
  run.err = ReadAll(err_path);
  return run;
}

}  // namespace irk::testing
