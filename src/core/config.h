// The operator's settings: /etc/irk/irk.toml (or --config FILE), read once
// into a plain tree. Modules look up their own keys ("logins.usual_logins")
// with a default and a valid range; the TOML library stays inside config.cc.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace irk {

inline constexpr std::string_view kDefaultConfigPath = "/etc/irk/irk.toml";

struct ConfigValue;
using ConfigTable = std::map<std::string, ConfigValue, std::less<>>;
using ConfigArray = std::vector<ConfigValue>;

// One TOML value. Dates and times are kept as their TOML text.
struct ConfigValue {
  std::variant<bool, std::int64_t, double, std::string, ConfigArray, ConfigTable> value;
};

class Config {
 public:
  // An empty configuration: every lookup gives its default.
  Config() = default;
  Config(std::string source, ConfigTable root)
      : source_(std::move(source)), root_(std::move(root)) {}

  // The file read, or empty when built-in defaults are in use.
  const std::string& source() const { return source_; }

  // The value at a dotted key ("integrity.rule"), or nullptr when absent.
  const ConfigValue* Find(std::string_view key) const;

  // Typed lookups: the default when the key is absent, an error naming the
  // file and the key when it has the wrong type or is out of range.
  Result<std::int64_t> Integer(std::string_view key, std::int64_t fallback, std::int64_t min,
                               std::int64_t max) const;
  Result<bool> Boolean(std::string_view key, bool fallback) const;
  Result<std::string> String(std::string_view key, std::string_view fallback) const;
  Result<std::vector<std::string>> Strings(std::string_view key,
                                           const std::vector<std::string>& fallback) const;

  // "FILE: KEY: MESSAGE", for errors found by the module that reads a key.
  Error KeyError(std::string_view key, std::string_view message) const;

 private:
  std::string source_;
  ConfigTable root_;
};

// Parses TOML `text`; `source` names it in errors, which give the line and
// column ("irk.toml:3:7: ...").
Result<Config> ParseConfig(std::string_view text, std::string_view source);

// Reads `path`, or, when it is nullopt, kDefaultConfigPath if that exists
// (a missing default file means built-in defaults; a missing named file is
// an error). Files larger than 1 MiB are refused.
Result<Config> LoadConfig(const std::optional<std::string>& path);

}  // namespace irk
