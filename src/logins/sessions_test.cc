#include "logins/sessions.h"

#include <gtest/gtest.h>

namespace irk::logins {
namespace {

using logs::LoginRecord;
using logs::LoginRecordType;

constexpr uint32_t kPts0 = (136 << 8) | 0;
constexpr uint32_t kPts1 = (136 << 8) | 1;
constexpr Timestamp kNow{1795700000, 0};

LoginRecord UtmpLogin(std::string user, std::string line, int32_t pid, int64_t seconds) {
  LoginRecord r;
  r.type = LoginRecordType::kUserProcess;
  r.user = std::move(user);
  r.line = std::move(line);
  r.host = "198.51.100.23";
  r.addr = "198.51.100.23";
  r.pid = pid;
  r.time = {seconds, 0};
  return r;
}

Process Proc(int pid, int ppid, int session, int pgrp, uint32_t tty, int tpgid, std::string cmdline,
             std::string comm = "proc") {
  Process p;
  p.pid = pid;
  p.ppid = ppid;
  p.session = session;
  p.pgrp = pgrp;
  p.tty_nr = tty;
  p.tpgid = tpgid;
  p.cmdline = std::move(cmdline);
  p.comm = std::move(comm);
  return p;
}

// sshd (100) forks the user's sshd (200), which runs a shell (300) on pts/0;
// the shell runs vim (310) in the foreground and sleep (320) in the
// background; a daemon the user started (400) has left the tty.
std::vector<Process> SshSessionOnPts0() {
  return {
      Proc(1, 0, 1, 1, 0, -1, "/sbin/init"),
      Proc(100, 1, 100, 100, 0, -1, "sshd: /usr/sbin/sshd -D [listener]"),
      Proc(200, 100, 200, 200, 0, -1, "sshd: alice@pts/0"),
      Proc(300, 200, 300, 300, kPts0, 310, "-bash"),
      Proc(310, 300, 300, 310, kPts0, 310, "vim /etc/passwd"),
      Proc(320, 300, 300, 320, kPts0, 310, "sleep 1000"),
      Proc(400, 200, 400, 400, 0, -1, "./backdoor"),
      Proc(500, 1, 500, 500, kPts1, 500, "-zsh"),
  };
}

TEST(CurrentSessions, CountsDescendantsAndEveryProcessOnTheTty) {
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("alice", "pts/0", 200, 1795690000)}, SshSessionOnPts0(), SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_TRUE(sessions[0].alive);
  EXPECT_EQ(sessions[0].process_count, 5);  // 200, 300, 310, 320, 400
  EXPECT_EQ(sessions[0].user, "alice");
  EXPECT_EQ(sessions[0].addr, "198.51.100.23");
}

TEST(CurrentSessions, CountsProcessesOnTheTtyThatAreNotDescendants) {
  // A login whose utmp pid (the terminal's shell) is a sibling of the
  // processes on the tty, e.g. after `su` from another terminal.
  std::vector<Process> processes = SshSessionOnPts0();
  processes.push_back(Proc(600, 1, 600, 600, kPts1, 500, "su root"));
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("bob", "pts/1", 500, 1795690000)}, processes, SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].process_count, 2);
}

TEST(CurrentSessions, ShowsTheForegroundGroupLeadersCommand) {
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("alice", "pts/0", 200, 1795690000)}, SshSessionOnPts0(), SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].command, "vim /etc/passwd");
}

TEST(CurrentSessions, FallsBackToTheSessionLeaderOnTheTty) {
  std::vector<Process> processes = SshSessionOnPts0();
  processes.erase(processes.begin() + 4);  // vim exited; tpgid still names its group
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("alice", "pts/0", 200, 1795690000)}, processes, SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].command, "-bash");
}

TEST(CurrentSessions, FallsBackToTheUtmpPidWhenNothingIsOnTheTty) {
  const std::vector<Session> sessions = CurrentSessions({UtmpLogin("alice", ":0", 200, 1795690000)},
                                                        SshSessionOnPts0(), SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].command, "sshd: alice@pts/0");
  EXPECT_EQ(sessions[0].process_count, 5);  // 200 and its descendants; nothing is on ":0"
}

TEST(CurrentSessions, ShowsAProcessWithoutArgumentsByItsName) {
  std::vector<Process> processes = SshSessionOnPts0();
  processes[4].cmdline = "";
  processes[4].comm = "hidden";
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("alice", "pts/0", 200, 1795690000)}, processes, SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].command, "[hidden]");
}

TEST(CurrentSessions, MarksARecordWhosePidIsGoneAsNotAlive) {
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("mallory", "pts/7", 9999, 1795690000)}, SshSessionOnPts0(), SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_FALSE(sessions[0].alive);
  EXPECT_EQ(sessions[0].process_count, 0);
  EXPECT_EQ(sessions[0].command, "");
}

TEST(CurrentSessions, KnowsNoProcessesForAMountedImage) {
  const std::vector<Session> sessions =
      CurrentSessions({UtmpLogin("alice", "pts/0", 200, 1795690000)}, {}, SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_FALSE(sessions[0].alive);
  EXPECT_EQ(sessions[0].process_count, 0);
  EXPECT_EQ(sessions[0].command, "");
}

TEST(CurrentSessions, TakesIdleTimeFromTheTtysLastInput) {
  std::vector<std::string> asked;
  const auto last_input = [&](std::string_view line) -> std::optional<Timestamp> {
    asked.emplace_back(line);
    if (line == "pts/0") return Timestamp{kNow.seconds - 125, 0};
    if (line == "pts/1") return Timestamp{kNow.seconds + 60, 0};  // clock skew
    return std::nullopt;
  };
  SessionProbes probes;
  probes.tty_last_input = last_input;
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("alice", "pts/0", 200, 1795690000), UtmpLogin("bob", "pts/1", 500, 1795690001),
       UtmpLogin("carol", "pts/2", 0, 1795690002), UtmpLogin("dave", "", 0, 1795690003)},
      SshSessionOnPts0(), probes, kNow);
  ASSERT_EQ(sessions.size(), 4u);
  EXPECT_EQ(sessions[0].idle_seconds, 125);
  EXPECT_EQ(sessions[1].idle_seconds, 0);
  EXPECT_FALSE(sessions[2].idle_seconds);
  EXPECT_FALSE(sessions[3].idle_seconds);
  EXPECT_EQ(asked, (std::vector<std::string>{"pts/0", "pts/1", "pts/2"}));
}

TEST(CurrentSessions, KeepsOnlyUserProcessRecordsSortedByLoginTimeThenLine) {
  LoginRecord dead = UtmpLogin("", "pts/3", 0, 1795600000);
  dead.type = LoginRecordType::kDeadProcess;
  LoginRecord login_process = UtmpLogin("LOGIN", "tty1", 0, 1795600000);
  login_process.type = LoginRecordType::kLoginProcess;
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("bob", "pts/1", 500, 1795690000), dead, login_process,
       UtmpLogin("alice", "pts/0", 200, 1795690000), UtmpLogin("carol", "pts/2", 0, 1795680000)},
      SshSessionOnPts0(), SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_EQ(sessions[0].user, "carol");
  EXPECT_EQ(sessions[1].user, "alice");
  EXPECT_EQ(sessions[2].user, "bob");
}

TEST(CurrentSessions, StopsAtACycleInTheParentLinks) {
  // A table read while pids were reused can hold a loop.
  const std::vector<Process> processes = {Proc(10, 11, 10, 10, 0, -1, "a"),
                                          Proc(11, 10, 10, 10, 0, -1, "b")};
  const std::vector<Session> sessions = CurrentSessions(
      {UtmpLogin("alice", "pts/0", 10, 1795690000)}, processes, SessionProbes{}, kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].process_count, 2);
}

// sshd's listener (100) forked a connection's privileged monitor (150, root),
// whose child (200) runs as the user with a shell (300) on pts/0.
std::vector<Process> SshdConnection(std::string_view title_prefix = "sshd: ",
                                    std::string_view comm = "sshd") {
  std::vector<Process> processes = {
      Proc(100, 1, 100, 100, 0, -1, "sshd: /usr/sbin/sshd -D [listener]", "sshd"),
      Proc(150, 100, 150, 150, 0, -1, std::string(title_prefix) + "alice [priv]",
           std::string(comm)),
      Proc(200, 150, 150, 150, 0, -1, std::string(title_prefix) + "alice@pts/0", std::string(comm)),
      Proc(300, 200, 300, 300, kPts0, 300, "-bash"),
  };
  processes[1].start_ticks = 500;
  processes[2].euid = processes[3].euid = 1000;
  return processes;
}

SessionProbes PeerProbes() {
  SessionProbes probes;
  probes.peer_of = [](int pid) -> std::optional<Peer> {
    if (pid != 150) return std::nullopt;
    return Peer{*IpAddress::Parse("203.0.113.9"), 50000};
  };
  probes.boot_time = 1795600000;
  probes.ticks_per_second = 100;
  return probes;
}

TEST(CurrentSessions, FindsAnSshSessionThatUtmpDoesNotRecord) {
  const std::vector<Session> sessions = CurrentSessions({}, SshdConnection(), PeerProbes(), kNow);
  ASSERT_EQ(sessions.size(), 1u);
  const Session& s = sessions[0];
  EXPECT_FALSE(s.in_utmp);
  EXPECT_EQ(s.user, "alice");
  EXPECT_EQ(s.line, "pts/0");
  EXPECT_EQ(s.addr, "203.0.113.9");
  EXPECT_EQ(s.port, 50000);
  EXPECT_EQ(s.sshd_pid, 150);
  EXPECT_EQ(s.pid, 200);
  EXPECT_EQ(s.login_time, (Timestamp{1795600005, 0}));
  EXPECT_TRUE(s.alive);
  EXPECT_EQ(s.command, "-bash");
}

TEST(CurrentSessions, JoinsAUtmpSessionWithItsSshdProcesses) {
  LoginRecord record = UtmpLogin("alice", "pts/0", 300, 1795690000);
  record.addr.reset();
  const std::vector<Session> sessions =
      CurrentSessions({record}, SshdConnection(), PeerProbes(), kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_TRUE(sessions[0].in_utmp);
  EXPECT_EQ(sessions[0].sshd_pid, 150);
  EXPECT_EQ(sessions[0].addr, "203.0.113.9");
  EXPECT_EQ(sessions[0].port, 50000);
  EXPECT_EQ(sessions[0].login_time, (Timestamp{1795690000, 0}));
}

TEST(CurrentSessions, ReadsTheTitlesOfOpenSsh98SessionProcesses) {
  const std::vector<Session> sessions =
      CurrentSessions({}, SshdConnection("sshd-session: ", "sshd-session"), PeerProbes(), kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].user, "alice");
}

TEST(CurrentSessions, DoesNotTrustAnSshdTitleWithoutARootOwnedMonitor) {
  // Any user can name a process "sshd: root@pts/5" and its parent "[priv]".
  std::vector<Process> processes = SshdConnection();
  processes[1].euid = 1000;
  EXPECT_TRUE(CurrentSessions({}, processes, PeerProbes(), kNow).empty());
  processes = SshdConnection();
  processes[1].cmdline = "sshd: mallory [priv]";
  EXPECT_TRUE(CurrentSessions({}, processes, PeerProbes(), kNow).empty());
}

TEST(CurrentSessions, ListsACommandSessionWithoutATerminal) {
  std::vector<Process> processes = SshdConnection();
  processes[2].cmdline = "sshd: alice@notty";
  processes.pop_back();
  const std::vector<Session> sessions = CurrentSessions({}, processes, PeerProbes(), kNow);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].line, "");
  EXPECT_FALSE(sessions[0].in_utmp);
  EXPECT_EQ(sessions[0].addr, "203.0.113.9");
}

}  // namespace
}  // namespace irk::logins
