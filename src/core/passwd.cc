#include "core/passwd.h"

#include <array>
#include <charconv>

namespace irk {
namespace {

std::optional<uint32_t> ParseId(std::string_view text) {
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::vector<PasswdEntry> ParsePasswd(std::string_view text) {
  std::vector<PasswdEntry> entries;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);

    std::array<std::string_view, 7> fields;
    size_t count = 0;
    while (count < fields.size()) {
      const size_t colon = line.find(':');
      fields[count++] = line.substr(0, colon);
      if (colon == std::string_view::npos) {
        line = {};
        break;
      }
      line = line.substr(colon + 1);
    }
    // Text left after the seventh field means an eighth: not a well-formed entry.
    if (count != fields.size() || !line.empty()) continue;
    const auto uid = ParseId(fields[2]);
    const auto gid = ParseId(fields[3]);
    if (fields[0].empty() || !uid || !gid) continue;
    entries.push_back(PasswdEntry{std::string(fields[0]), *uid, *gid, std::string(fields[4]),
                                  std::string(fields[5]), std::string(fields[6])});
  }
  return entries;
}

std::optional<PasswdEntry> FindByUid(const std::vector<PasswdEntry>& entries, uint32_t uid) {
  for (const auto& entry : entries) {
    if (entry.uid == uid) return entry;
  }
  return std::nullopt;
}

std::optional<PasswdEntry> FindByName(const std::vector<PasswdEntry>& entries,
                                      std::string_view name) {
  for (const auto& entry : entries) {
    if (entry.name == name) return entry;
  }
  return std::nullopt;
}

}  // namespace irk
