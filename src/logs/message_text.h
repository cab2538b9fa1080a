#pragma once

// Helpers the message parsers share: each reads a hostile message through
// string views, never past its end.

#include <algorithm>
#include <cstring>
#include <string_view>

namespace irk::logs {

// Removes `prefix` (`suffix`) from `s` and says so; leaves `s` alone
// otherwise. Inline, and the first (last) byte compared before the rest:
// every message is tried against dozens of prefixes, and most differ there.
inline bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (prefix.empty()) return true;
  if (s.empty() || s.front() != prefix.front() || !s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

inline bool ConsumeSuffix(std::string_view& s, std::string_view suffix) {
  if (suffix.empty()) return true;
  if (s.empty() || s.back() != suffix.back() || !s.ends_with(suffix)) return false;
  s.remove_suffix(suffix.size());
  return true;
}

// s.rfind(needle, pos), for a needle of two bytes or more, found by its
// second byte first: std::string_view::rfind compares the whole needle at
// every position, and each authentication line is searched back for " from ",
// whose first byte, a space, is everywhere.
inline size_t FindLast(std::string_view s, std::string_view needle,
                       size_t pos = std::string_view::npos) {
  if (needle.size() < 2 || needle.size() > s.size()) return s.rfind(needle, pos);
  // Candidates start at 0 to `last`; their second bytes stand at 1 to last + 1.
  size_t last = std::min(pos, s.size() - needle.size());
  while (const void* hit = memrchr(s.data() + 1, needle[1], last + 1)) {
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - s.data()) - 1;
    if (std::memcmp(s.data() + at, needle.data(), needle.size()) == 0) return at;
    if (at == 0) break;
    last = at - 1;
  }
  return std::string_view::npos;
}

}  // namespace irk::logs
