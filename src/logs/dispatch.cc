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

// The longest name: the table is sorted by length.
constexpr size_t kLongestName = kParsers.back().first.size();

// For each length, where the names of that length start in kParsers (and
// those of the next length, where they end).
constexpr std::array<uint8_t, kLongestName + 2> kFirstOfLength = [] {
  std::array<uint8_t, kLongestName + 2> first{};
  for (size_t length = 0; length < first.size(); ++length) {
    size_t at = 0;
    while (at < kParsers.size() && kParsers[at].first.size() < length) ++at;
    first[length] = static_cast<uint8_t>(at);
  }
  return first;
}();

Parser FindParser(std::string_view program) {
  // Only the names of the program's length, and of those only one with the
  // same first byte is compared whole.
  if (program.empty() || program.size() > kLongestName) return nullptr;
  for (size_t at = kFirstOfLength[program.size()]; at < kFirstOfLength[program.size() + 1]; ++at) {
    const std::string_view name = kParsers[at].first;
    if (name.front() == program.front() && name == program) return kParsers[at].second;
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
