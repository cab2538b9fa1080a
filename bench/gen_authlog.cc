// Writes a realistic auth.log for benchmarks: a seeded mix of sshd traffic
// (every message shape irk parses, IPv4 and IPv6 sources), PAM, sudo, su,
// CRON and systemd noise, in the traditional syslog format. The same seed
// gives the same bytes on every machine.
//
//   gen_authlog LINES [SEED] > auth.log
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// xorshift64*: tiny, fast, and the same everywhere (unlike std::
// distributions, whose results differ between standard libraries).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed ? seed : 1) {}
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 2685821657736338717ULL;
  }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }

 private:
  uint64_t state_;
};

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kUsers[] = {"alice", "bob", "carol", "deploy", "backup", "root"};
constexpr const char* kGuesses[] = {"admin", "test",     "oracle", "ubuntu",  "pi",      "user",
                                    "guest", "postgres", "git",    "ftpuser", "support", "nagios"};

// Sources: RFC 2544's benchmarking range 198.18.0.0/15 and 2001:db8::/32,
// addresses no real host has.
std::string Address(Random& random) {
  if (random.Below(5) == 0) {
    char text[64];
    std::snprintf(text, sizeof(text), "2001:db8:%x:%x::%x", random.Below(4096), random.Below(65536),
                  random.Below(65536) + 1);
    return text;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "198.%u.%u.%u", 18 + random.Below(2), random.Below(256),
                random.Below(254) + 1);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_authlog LINES [SEED] > auth.log\n");
    return 2;
  }
  const long lines = std::atol(argv[1]);
  Random random(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20261126);
  // A few hundred attackers that come back, and the odd one-off.
  std::string pool[512];
  for (auto& address : pool) address = Address(random);

  int64_t clock = 0;  // seconds since Nov 1 00:00
  std::string out;
  out.reserve(1 << 20);
  for (long i = 0; i < lines; ++i) {
    clock += random.Below(3);
    const int day = 1 + static_cast<int>(clock / 86400) % 28;
    const int hour = static_cast<int>(clock / 3600) % 24;
    const int minute = static_cast<int>(clock / 60) % 60;
    const int second = static_cast<int>(clock % 60);
    char stamp[64];
    std::snprintf(stamp, sizeof(stamp), "%s %2d %02d:%02d:%02d web1 ", kMonths[10], day, hour,
                  minute, second);
    const std::string addr = random.Below(10) == 0 ? Address(random) : pool[random.Below(512)];
    const unsigned port = 1024 + random.Below(64000);
    const unsigned pid = 1000 + random.Below(60000);
    const char* user = kUsers[random.Below(6)];
    const char* guess = kGuesses[random.Below(12)];
    char line[512];
    switch (random.Below(24)) {
      case 0:
      case 1:
      case 2:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: Failed password for invalid user %s from %s port %u ssh2", pid,
                      guess, addr.c_str(), port);
        break;
      case 3:
      case 4:
        std::snprintf(line, sizeof(line), "sshd[%u]: Failed password for %s from %s port %u ssh2",
                      pid, user, addr.c_str(), port);
        break;
      case 5:
      case 6:
        std::snprintf(line, sizeof(line), "sshd[%u]: Invalid user %s from %s port %u", pid, guess,
                      addr.c_str(), port);
        break;
      case 7:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: Accepted publickey for %s from %s port %u ssh2: ED25519 "
                      "SHA256:%016llx%016llx",
                      pid, user, addr.c_str(), port, static_cast<unsigned long long>(random.Next()),
                      static_cast<unsigned long long>(random.Next()));
        break;
      case 8:
        std::snprintf(line, sizeof(line), "sshd[%u]: Accepted password for %s from %s port %u ssh2",
                      pid, user, addr.c_str(), port);
        break;
      case 9:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: Connection closed by authenticating user %s %s port %u [preauth]",
                      pid, user, addr.c_str(), port);
        break;
      case 10:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: Disconnected from invalid user %s %s port %u [preauth]", pid,
                      guess, addr.c_str(), port);
        break;
      case 11:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: Received disconnect from %s port %u:11: Bye Bye [preauth]", pid,
                      addr.c_str(), port);
        break;
      case 12:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: pam_unix(sshd:auth): authentication failure; logname= uid=0 "
                      "euid=0 tty=ssh ruser= rhost=%s  user=%s",
                      pid, addr.c_str(), user);
        break;
      case 13:
        std::snprintf(
            line, sizeof(line),
            "sshd[%u]: pam_unix(sshd:session): session opened for user %s(uid=1000) by (uid=0)",
            pid, user);
        break;
      case 14:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: error: maximum authentication attempts exceeded for invalid user "
                      "%s from %s port %u ssh2 [preauth]",
                      pid, guess, addr.c_str(), port);
        break;
      case 15:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: Connection from %s port %u on 192.0.2.10 port 22 rdomain \"\"",
                      pid, addr.c_str(), port);
        break;
      case 16:
        std::snprintf(line, sizeof(line), "sshd[%u]: Timeout before authentication for %s port %u",
                      pid, addr.c_str(), port);
        break;
      case 17:
        std::snprintf(
            line, sizeof(line),
            "sshd[%u]: error: kex_exchange_identification: Connection closed by remote host", pid);
        break;
      case 18:
        std::snprintf(line, sizeof(line),
                      "sshd[%u]: drop connection #%u from [%s]:%u on [192.0.2.10]:22 penalty: "
                      "failed authentication",
                      pid, random.Below(10), addr.c_str(), port);
        break;
      case 19:
        std::snprintf(
            line, sizeof(line),
            "CRON[%u]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
            pid);
        break;
      case 20:
        std::snprintf(line, sizeof(line),
                      "CRON[%u]: pam_unix(cron:session): session closed for user root", pid);
        break;
      case 21:
        std::snprintf(line, sizeof(line), "systemd-logind[612]: New session %u of user %s.", pid,
                      user);
        break;
      case 22:
        std::snprintf(line, sizeof(line),
                      "sudo: %8s : TTY=pts/%u ; PWD=/home/%s ; USER=root ; "
                      "COMMAND=/usr/bin/systemctl restart nginx",
                      user, random.Below(8), user);
        break;
      default:
        std::snprintf(line, sizeof(line),
                      "systemd[1]: Started session-%u.scope - Session %u of User %s.", pid, pid,
                      user);
        break;
    }
    out += stamp;
    out += line;
    out += '\n';
    if (out.size() >= (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
