// `irk watch --exec CMD`: one alert handed to an operator's program as JSON
// on its standard input, with no shell in between and a bound on its time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace irk::watch {

// Splits `command` at spaces and tabs into argv (no quotes, no shell
// expansion). Empty when `command` holds no word.
std::vector<std::string> SplitCommand(std::string_view command);

// Runs `argv` (argv[0] a path, run with execv) with `input` on its standard
// input and /dev/null as its output, waits at most `timeout_ms`, then kills
// it. An error when it cannot start, exits non-zero, or is killed.
Status RunAlertCommand(const std::vector<std::string>& argv, std::string_view input,
                       int timeout_ms);

}  // namespace irk::watch
