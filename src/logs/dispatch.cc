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

// Sorted by program name for a binary search; the names are syslog tags as
// the daemons set them (OpenSSH 9.8 split sshd into sshd-session, 10.0 added
// sshd-auth).
constexpr std::array<std::pair<std::string_view, Parser>, 24> kParsers = {{
    {"chage", ParseAccount},
    {"chpasswd", ParseAccount},
    {"dropbear", ParseDropbear},
    {"ftpd", ParseWuFtpd},
    {"gpasswd", ParseAccount},
    {"groupadd", ParseAccount},
    {"groupdel", ParseAccount},
    {"groupmod", ParseAccount},
    {"in.ftpd", ParseWuFtpd},
    {"login", ParseLogin},
    {"passwd", ParseAccount},
    {"proftpd", ParseProftpd},
    {"pure-ftpd", ParsePureFtpd},
    {"sshd", ParseSshd},
    {"sshd-auth", ParseSshd},
    {"sshd-session", ParseSshd},
    {"su", ParseSu},
    {"sudo", ParseSudo},
    {"systemd-logind", ParseLogind},
    {"useradd", ParseAccount},
    {"userdel", ParseAccount},
    {"usermod", ParseAccount},
    {"vsftpd", ParseVsftpd},
    {"wu-ftpd", ParseWuFtpd},
}};

Parser FindParser(std::string_view program) {
  const auto* it = std::lower_bound(kParsers.begin(), kParsers.end(), program,
                                    [](const std::pair<std::string_view, Parser>& entry,
                                       std::string_view name) { return entry.first < name; });
  return it != kParsers.end() && it->first == program ? it->second : nullptr;
}

bool IsPamMessage(std::string_view message) {
  return message.starts_with("pam_") || message.starts_with("PAM ");
}

}  // namespace

bool IsKnownService(std::string_view program) { return FindParser(program) != nullptr; }

std::vector<std::string> KnownServices() {
  std::vector<std::string> names;
  for (const auto& [name, parser] : kParsers) names.emplace_back(name);
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
