// Running a backup tool's own program (restic, borg): found on PATH, started
// with execve and an argument vector (never a shell), its output bounded.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace irk::backups {

// The absolute path of the executable `name` in $PATH, or nullopt.
std::optional<std::string> FindProgram(std::string_view name);

struct ToolRun {
  int exit_code = -1;  // -1 when it was killed by a signal
  std::string err;     // the first 64 KiB of its stderr
};

// Runs `argv` (argv[0] an absolute path) with stdin from /dev/null, in a
// session of its own (no controlling terminal, so it cannot ask for a
// password), handing stdout to `sink` block by block; a sink returning false
// stops reading and kills the program. `env` ("NAME=value") is added to
// irk's environment, replacing a variable of the same name. An error when
// it cannot be started.
Result<ToolRun> RunTool(const std::vector<std::string>& argv,
                        const std::function<bool(std::string_view)>& sink,
                        const std::vector<std::string>& env = {});

// Runs `argv` and returns its stdout, at most `max_bytes` (more is an error).
// A non-zero exit is an error naming the program and its last stderr line
// (where restic and borg say why).
Result<std::string> ToolOutput(const std::vector<std::string>& argv, size_t max_bytes,
                               const std::vector<std::string>& env = {});

// The last non-empty line of a program's stderr, at most 300 bytes.
std::string_view LastLine(std::string_view err);

}  // namespace irk::backups
