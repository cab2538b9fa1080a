// The manual page and the bash completion, both written from the command
// line's own definition, so neither can fall behind a new option.
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace irk::cli {

// irk(1) in man(7) roff: the program's description, its global options, a
// section per command (subcommands nested) with its options and long help,
// then exit status, environment and files. `app` is the top-level parser.
std::string ManPage(const CLI::App& app, std::string_view version);

// A bash completion script defining `_irk` and registering it for `irk`:
// commands, their options, and for values: directories for DIR, files for
// FILE, user names for a USER argument.
std::string BashCompletion(const CLI::App& app);

}  // namespace irk::cli
