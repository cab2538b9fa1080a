// The settings of sshd_config(5) that decide which keys let a user in, read
// from its text. Pure; the text may have been written by an intruder.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/passwd.h"

namespace irk::contain {

// Every value of each keyword, in file order, Match blocks included (a key
// file that only a Match block names still lets someone in). Keywords are
// case-insensitive; "Keyword value" and "Keyword=value" are both read.
struct SshdKeySettings {
  std::vector<std::string> authorized_keys_files;  // each AuthorizedKeysFile pattern
  std::vector<std::string> authorized_keys_commands;
  std::vector<std::string> authorized_principals_files;
  std::vector<std::string> trusted_user_ca_keys;
  std::vector<std::string> revoked_keys;
  std::vector<std::string> includes;  // Include patterns, as written
};

// Adds what `text` sets to `settings`. Lines beyond kMaxLineBytes are skipped.
void ParseSshdConfig(std::string_view text, SshdKeySettings& settings);

inline constexpr size_t kMaxSshdLineBytes = 4096;

// An AuthorizedKeysFile pattern for `user`: %h (home), %u (name), %U (uid)
// and %% expanded, a relative path taken from the home folder. Returns ""
// for "none" and for a pattern with any other token.
std::string ExpandKeysFile(std::string_view pattern, const PasswdEntry& user);

}  // namespace irk::contain
