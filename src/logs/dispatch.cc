#include "logs/dispatch.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "logs/accounts.h"
#include "logs/ftpd.h"
#include "logs/logins_local.h"
#include "logs/pam.h"
#include "logs/privilege.h"
#include "logs/sshd.h"

namespace irk::logs {
namespace {

using Parser = Parsed (*)(std::string_view);

// Shorter names first: FindParser looks only among those of one length. The
// names are syslog tags as the daemons set them (OpenSSH 9.8 split sshd into
// sshd-session, 10.0 added sshd-auth).
constexpr std::array<std::pair<std::string_view, Parser>, 24> kParsers = {{
    {"su", ParseSu},
    {"ftpd", ParseWuFtpd},
    {"sshd", ParseSshd},
    {"sudo", ParseSudo},
    {"chage", ParseAccount},
    {"login", ParseLogin},
    {"passwd", ParseAccount},
    {"vsftpd", ParseVsftpd},
    {"gpasswd", ParseAccount},
    {"in.ftpd", ParseWuFtpd},
    {"proftpd", ParseProftpd},
    {"useradd", ParseAccount},
    {"userdel", ParseAccount},
    {"usermod", ParseAccount},
    {"wu-ftpd", ParseWuFtpd},
    {"chpasswd", ParseAccount},
    {"dropbear", ParseDropbear},
    {"groupadd", ParseAccount},
    {"groupdel", ParseAccount},
    {"groupmod", ParseAccount},
    {"pure-ftpd", ParsePureFtpd},
    {"sshd-auth", ParseSshd},
    {"sshd-session", ParseSshd},
    {"systemd-logind", ParseLogind},
}};
static_assert(std::is_sorted(kParsers.begin(), kParsers.end(), [](const auto& a, const auto& b) {
  return a.first.size() < b.first.size();
}));

Parser FindParser(std::string_view program) {
  // The names of the program's length, found by a binary search on lengths
  // alone; of those, only a name with the same first byte is compared whole.
  const auto* it = std::lower_bound(kParsers.begin(), kParsers.end(), program.size(),
                                    [](const std::pair<std::string_view, Parser>& entry,
                                       size_t size) { return entry.first.size() < size; });
  for (; it != kParsers.end() && it->first.size() == program.size(); ++it) {
    if (it->first.front() == program.front() && it->first == program) return it->second;
  }
  return nullptr;
}

bool IsPamMessage(std::string_view message) {
  return message.starts_with("pam_") || message.starts_with("PAM ");
}

}  // namespace

bool IsKnownService(std::string_view program) { return FindParser(program) != nullptr; }

std::vector<std::string> KnownServices() {
  std::vector<std::string> names;
  for (const auto& [name, parser] : kParsers) names.emplace_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

Parsed ParseMessage(std::string_view program, std::string_view message) {
  if (IsPamMessage(message)) {
    Parsed pam = ParsePam(message);
    pam.event.via_pam = true;
    if (pam.what != Parsed::What::kUnrecognized) return pam;
  }
  if (Parser parser = FindParser(program)) return parser(message);
  return Parsed::NotAnEvent();
}

std::optional<Repeated> UnwrapRepeated(std::string_view message) {
  constexpr std::string_view kPrefix = "message repeated ";
  constexpr std::string_view kMiddle = " times: [ ";
  if (!message.starts_with(kPrefix) || !message.ends_with(']')) return std::nullopt;
  message.remove_prefix(kPrefix.size());
  int count = 0;
  const auto [end, ec] = std::from_chars(message.data(), message.data() + message.size(), count);
  if (ec != std::errc() || count < 1 || count > 100000) return std::nullopt;
  message.remove_prefix(static_cast<size_t>(end - message.data()));
  if (!message.starts_with(kMiddle)) return std::nullopt;
  message.remove_prefix(kMiddle.size());
  message.remove_suffix(1);
  return Repeated{message, count};
}

}  // namespace irk::logs
