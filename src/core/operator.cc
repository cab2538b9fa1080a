#include "core/operator.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <filesystem>

#include "core/json.h"
#include "core/passwd.h"

namespace irk {
namespace {

std::string NameOf(const std::vector<PasswdEntry>& entries, uint32_t uid) {
  if (auto entry = FindByUid(entries, uid)) return entry->name;
  return std::to_string(uid);
}

std::string ReadSmallFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

std::string Operator::ToJson() const {
  JsonObject object;
  object.Add("uid", uid).Add("user", user).Add("login_user", login_user);
  if (loginuid) object.Add("loginuid", *loginuid);
  if (!terminal.empty()) object.Add("terminal", terminal);
  if (!ssh_source.empty()) object.Add("ssh_source", ssh_source);
  return object.str();
}

Operator DescribeOperator(const OperatorFacts& facts) {
  const auto entries = ParsePasswd(facts.passwd);
  Operator op;
  op.uid = facts.euid;
  op.user = NameOf(entries, facts.euid);
  op.loginuid = facts.loginuid;
  if (facts.loginuid) {
    op.login_user = NameOf(entries, *facts.loginuid);
  } else if (!facts.sudo_user.empty()) {
    op.login_user = facts.sudo_user;
  } else {
    op.login_user = op.user;
  }
  constexpr std::string_view kDev = "/dev/";
  if (facts.tty_path.starts_with(kDev)) op.terminal = facts.tty_path.substr(kDev.size());
  // SSH_CONNECTION is "client-addr client-port server-addr server-port".
  op.ssh_source = facts.ssh_connection.substr(0, facts.ssh_connection.find(' '));
  return op;
}

Operator CurrentOperator() {
  OperatorFacts facts;
  facts.euid = geteuid();
  const std::string loginuid = ReadSmallFile("/proc/self/loginuid");
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(loginuid.data(), loginuid.data() + loginuid.size(), value);
  if (ec == std::errc() && end != loginuid.data() && value != 4294967295U) facts.loginuid = value;
  facts.passwd = ReadSmallFile("/etc/passwd");
  facts.sudo_user = EnvOrEmpty("SUDO_USER");
  facts.ssh_connection = EnvOrEmpty("SSH_CONNECTION");
  if (facts.ssh_connection.empty()) facts.ssh_connection = EnvOrEmpty("SSH_CLIENT");
  for (int fd : {0, 1, 2}) {
    std::error_code ec_link;
    const auto target =
        std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(fd), ec_link);
    if (!ec_link && target.string().starts_with("/dev/") && isatty(fd)) {
      facts.tty_path = target.string();
      break;
    }
  }
  return DescribeOperator(facts);
}

}  // namespace irk
