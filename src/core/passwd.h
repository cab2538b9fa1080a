// The local account database, read from the passwd file itself rather than
// through NSS, so a mounted image (--root) and a host with a tampered
// resolver are read the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace irk {

struct PasswdEntry {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string gecos;
  std::string home;
  std::string shell;
};

// Parses passwd(5) text. Lines that do not have seven fields or numeric ids
// are skipped (NIS "+" lines included); order is kept, duplicates too, since
// a second uid-0 line is exactly what an investigator wants to see.
std::vector<PasswdEntry> ParsePasswd(std::string_view text);

// The first entry with this uid or name, as getpwuid/getpwnam would find it.
std::optional<PasswdEntry> FindByUid(const std::vector<PasswdEntry>& entries, uint32_t uid);
std::optional<PasswdEntry> FindByName(const std::vector<PasswdEntry>& entries,
                                      std::string_view name);

}  // namespace irk
