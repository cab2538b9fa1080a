#include "core/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "core/text.h"

// Header-only and without exceptions, so a bad file is a value, not a throw,
// and the library's types never leave this file.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

namespace irk {
namespace {

constexpr std::size_t kMaxConfigBytes = 1 << 20;

ConfigValue Convert(const toml::node& node);

ConfigTable ConvertTable(const toml::table& table) {
  ConfigTable out;
  for (const auto& [key, node] : table) out.emplace(std::string(key.str()), Convert(node));
  return out;
}

ConfigValue Convert(const toml::node& node) {
  if (const auto* table = node.as_table()) return ConfigValue{ConvertTable(*table)};
  if (const auto* array = node.as_array()) {
    ConfigArray out;
    for (const auto& element : *array) out.push_back(Convert(element));
    return ConfigValue{std::move(out)};
  }
  if (const auto* text = node.as_string()) return ConfigValue{text->get()};
  if (const auto* integer = node.as_integer()) return ConfigValue{integer->get()};
  if (const auto* real = node.as_floating_point()) return ConfigValue{real->get()};
  if (const auto* boolean = node.as_boolean()) return ConfigValue{boolean->get()};
  std::ostringstream text;  // date, time or date-time: kept as written
  node.visit([&text](const auto& value) { text << value; });
  return ConfigValue{text.str()};
}

const char* TypeName(const ConfigValue& value) {
  switch (value.value.index()) {
    case 0:
      return "a boolean";
    case 1:
      return "an integer";
    case 2:
      return "a number";
    case 3:
      return "a string";
    case 4:
      return "an array";
    default:
      return "a table";
  }
}

// toml++ 3.3 reaches __builtin_unreachable() when its whitespace test meets
// these code points (holes in its generated Unicode table), wherever in the
// text the lexer looks at them. Returns the offset and code point of the
// first one.
std::optional<std::pair<size_t, char32_t>> FindUnsafeCodePoint(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::optional<Utf8Char> decoded = DecodeUtf8(text, i);
    if (!decoded) return std::nullopt;  // toml++ refuses invalid UTF-8 itself
    const char32_t c = decoded->code_point;
    if ((c > 0xA0 && c < 0x49A) || (c >= 0x2C8E && c < 0x3088 && c != 0x3000) ||
        (c >= 0xFB06 && c < 0xFEFF)) {
      return std::make_pair(i, c);
    }
    i += decoded->length;
  }
  return std::nullopt;
}

}  // namespace

const ConfigValue* Config::Find(std::string_view key) const {
  const ConfigTable* table = &root_;
  while (true) {
    const std::size_t dot = key.find('.');
    const auto it = table->find(key.substr(0, dot));
    if (it == table->end()) return nullptr;
    if (dot == std::string_view::npos) return &it->second;
    table = std::get_if<ConfigTable>(&it->second.value);
    if (table == nullptr) return nullptr;
    key.remove_prefix(dot + 1);
  }
}

Error Config::KeyError(std::string_view key, std::string_view message) const {
  return Fail((source_.empty() ? std::string("configuration") : source_) + ": " + std::string(key) +
              ": " + std::string(message));
}

Result<std::int64_t> Config::Integer(std::string_view key, std::int64_t fallback, std::int64_t min,
                                     std::int64_t max) const {
  const ConfigValue* found = Find(key);
  if (found == nullptr) return fallback;
  const auto* integer = std::get_if<std::int64_t>(&found->value);
  if (integer == nullptr || *integer < min || *integer > max) {
    return KeyError(key, "expected an integer from " + std::to_string(min) + " to " +
                             std::to_string(max) + ", found " +
                             (integer ? std::to_string(*integer) : TypeName(*found)));
  }
  return *integer;
}

Result<bool> Config::Boolean(std::string_view key, bool fallback) const {
  const ConfigValue* found = Find(key);
  if (found == nullptr) return fallback;
  const auto* boolean = std::get_if<bool>(&found->value);
  if (boolean == nullptr) {
    return KeyError(key, std::string("expected true or false, found ") + TypeName(*found));
  }
  return *boolean;
}

Result<std::string> Config::String(std::string_view key, std::string_view fallback) const {
  const ConfigValue* found = Find(key);
  if (found == nullptr) return std::string(fallback);
  const auto* text = std::get_if<std::string>(&found->value);
  if (text == nullptr) {
    return KeyError(key, std::string("expected a string, found ") + TypeName(*found));
  }
  return *text;
}

Result<std::vector<std::string>> Config::Strings(std::string_view key,
                                                 const std::vector<std::string>& fallback) const {
  const ConfigValue* found = Find(key);
  if (found == nullptr) return fallback;
  const auto* array = std::get_if<ConfigArray>(&found->value);
  if (array == nullptr) {
    return KeyError(key, std::string("expected an array of strings, found ") + TypeName(*found));
  }
  std::vector<std::string> out;
  for (const ConfigValue& element : *array) {
    const auto* text = std::get_if<std::string>(&element.value);
    if (text == nullptr) {
      return KeyError(
          key, std::string("expected an array of strings, found ") + TypeName(element) + " in it");
    }
    out.push_back(*text);
  }
  return out;
}

Result<Config> ParseConfig(std::string_view text, std::string_view source) {
  if (const auto unsafe = FindUnsafeCodePoint(text)) {
    const std::string_view before = text.substr(0, unsafe->first);
    const auto line = std::count(before.begin(), before.end(), '\n') + 1;
    const size_t line_start = before.rfind('\n');
    const size_t column =
        unsafe->first - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    return Fail(fmt::format(
        "{}:{}:{}: character U+{:04X} cannot be read by the TOML library irk uses; in a "
        "double-quoted string write it as \\u{:04X}",
        source, line, column, static_cast<uint32_t>(unsafe->second),
        static_cast<uint32_t>(unsafe->second)));
  }
  toml::parse_result parsed = toml::parse(text, source);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return Fail(std::string(source) + ":" + std::to_string(error.source().begin.line) + ":" +
                std::to_string(error.source().begin.column) + ": " +
                std::string(error.description()));
  }
  return Config(std::string(source), ConvertTable(parsed.table()));
}

Result<Config> LoadConfig(const std::optional<std::string>& path) {
  const std::string name = path.value_or(std::string(kDefaultConfigPath));
  const int fd = open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT && !path) return Config();
    return Fail("read " + name + ": " + std::strerror(errno));
  }
  struct stat st {};
  std::string text;
  Status status = Ok();
  if (fstat(fd, &st) != 0) {
    status = Fail("read " + name + ": " + std::strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    status = Fail("read " + name + ": not a regular file");
  } else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    // Like sshd: settings others can change would let them steer irk.
    status = Fail(name + ": refusing a configuration writable by others (fix: chmod go-w)");
  } else if (st.st_uid != 0 && st.st_uid != geteuid()) {
    status = Fail(name + ": refusing a configuration owned by uid " + std::to_string(st.st_uid) +
                  ", neither root nor you");
  } else if (static_cast<std::size_t>(st.st_size) > kMaxConfigBytes) {
    status = Fail(name + ": larger than 1 MiB, not a configuration file");
  } else {
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = read(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    text.resize(done);
  }
  close(fd);
  if (!status) return status.error();
  return ParseConfig(text, name);
}

}  // namespace irk
