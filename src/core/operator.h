// Who is running irk: the person behind sudo or su, their terminal and the
// address they came from. Recorded with every journal record and used to keep
// the operator from locking themselves out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace irk {

struct Operator {
  uint32_t uid = 0;        // effective uid irk runs as
  std::string user;        // its name, or the number when unknown
  std::string login_user;  // who logged in (loginuid, else SUDO_USER, else `user`)
  std::optional<uint32_t> loginuid;
  std::string terminal;    // "pts/3", "tty1", or "" when none
  std::string ssh_source;  // client address from SSH_CONNECTION/SSH_CLIENT, or ""

  // One JSON object, the form kept in the journal.
  std::string ToJson() const;
};

// What DescribeOperator works from; gathered from the process by
// CurrentOperator and written by hand in tests.
struct OperatorFacts {
  uint32_t euid = 0;
  std::optional<uint32_t> loginuid;  // nullopt when unset (4294967295 in /proc)
  std::string passwd;                // text of /etc/passwd
  std::string sudo_user;             // $SUDO_USER
  std::string ssh_connection;        // $SSH_CONNECTION, else $SSH_CLIENT
  std::string tty_path;              // "/dev/pts/3": the link of fd 0, 1 or 2
};

Operator DescribeOperator(const OperatorFacts& facts);

// The operator of this process, read from /proc/self, the environment and
// the host's /etc/passwd (the live host's, whatever --root says).
Operator CurrentOperator();

}  // namespace irk
