#include "core/proc.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kPts3 = (136 << 8) | 3;
constexpr uint32_t kTty1 = (4 << 8) | 1;

void WriteFile(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// A /proc/<pid>/stat line with the fields irk reads; the others are typical.
std::string StatLine(int pid, std::string_view comm, int ppid, int pgrp, int session,
                     uint32_t tty_nr, int tpgid, uint64_t start) {
  return fmt::format(
      "{} ({}) S {} {} {} {} {} 4194560 1513 0 0 0 2 1 0 0 20 0 1 0 {} 10719232 1280 "
      "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n",
      pid, comm, ppid, pgrp, session, tty_nr, tpgid, start);
}

std::string StatusText(std::string_view name, uint32_t uid) {
  return fmt::format(
      "Name:\t{}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\nPPid:\t0\n"
      "Uid:\t{}\t{}\t{}\t{}\nGid:\t0\t0\t0\t0\n",
      name, uid, uid, uid, uid);
}

// Writes a fake /proc/<pid> with stat, status and cmdline (and loginuid when
// given).
void AddProcess(const fs::path& proc, int pid, std::string_view comm, int ppid, uint32_t uid,
                std::string_view cmdline, std::optional<std::string> loginuid = std::nullopt) {
  const fs::path dir = proc / std::to_string(pid);
  fs::create_directories(dir);
  WriteFile(dir / "stat", StatLine(pid, comm, ppid, pid, pid, kPts3, pid, 100 + pid));
  WriteFile(dir / "status", StatusText(comm, uid));
  WriteFile(dir / "cmdline", cmdline);
  if (loginuid) WriteFile(dir / "loginuid", *loginuid);
}

TEST(ParseProcStat, ReadsTheFieldsOfATypicalLine) {
  const auto stat = ParseProcStat(StatLine(4242, "bash", 4200, 4242, 4242, kPts3, 4300, 987654));
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->pid, 4242);
  EXPECT_EQ(stat->comm, "bash");
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->ppid, 4200);
  EXPECT_EQ(stat->pgrp, 4242);
  EXPECT_EQ(stat->session, 4242);
  EXPECT_EQ(stat->tty_nr, kPts3);
  EXPECT_EQ(stat->tpgid, 4300);
  EXPECT_EQ(stat->start_ticks, 987654u);
}

TEST(ParseProcStat, TakesTheNameBetweenTheFirstAndTheLastParenthesis) {
  // A process can name itself so that a naive split on ") " or on spaces
  // reads forged numbers.
  const std::string comm = "x) R 1 1 (y) ";
  const auto stat = ParseProcStat(StatLine(31337, comm, 77, 31337, 31337, 0, -1, 5));
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->comm, comm);
  EXPECT_EQ(stat->ppid, 77);
  EXPECT_EQ(stat->tty_nr, 0u);
  EXPECT_EQ(stat->tpgid, -1);
  EXPECT_EQ(stat->start_ticks, 5u);
}

TEST(ParseProcStat, KeepsANameWithSpacesAndAnEmptyName) {
  auto stat = ParseProcStat(StatLine(7, "Web Content", 1, 7, 7, 0, -1, 1));
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->comm, "Web Content");
  stat = ParseProcStat(StatLine(7, "", 1, 7, 7, 0, -1, 1));
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->comm, "");
}

TEST(ParseProcStat, RejectsMalformedLines) {
  EXPECT_FALSE(ParseProcStat(""));
  EXPECT_FALSE(ParseProcStat("12 (bash"));
  EXPECT_FALSE(ParseProcStat("12 (bash) S 1 12 12 0 -1"));  // too few fields
  EXPECT_FALSE(ParseProcStat("x (bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"));
  EXPECT_FALSE(ParseProcStat("12 (bash) S 1x 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"));
  EXPECT_FALSE(ParseProcStat("(bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"));
  EXPECT_FALSE(ParseProcStat(") 12 (S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"));
  // A pid that does not fit an int.
  EXPECT_FALSE(
      ParseProcStat("99999999999 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"));
}

TEST(ParseProcStat, ReadsThisProcessFromTheRealProc) {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const auto stat = ParseProcStat(line);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->pid, getpid());
  EXPECT_EQ(stat->ppid, getppid());
}

TEST(ParseProcStatus, ReadsTheFourUidsOfTheUidLine) {
  const auto uids = ParseProcStatus("Name:\tsshd\nUid:\t0\t1000\t2000\t3000\nGid:\t0\t0\t0\t0\n");
  ASSERT_TRUE(uids);
  EXPECT_EQ(uids->ruid, 0u);
  EXPECT_EQ(uids->euid, 1000u);
  EXPECT_EQ(uids->suid, 2000u);
  EXPECT_EQ(uids->fsuid, 3000u);
}

TEST(ParseProcStatus, IgnoresAUidLineThatIsNotAtTheStartOfALine) {
  const auto uids = ParseProcStatus("Name:\tx Uid:\t0\t0\t0\t0\nUid:\t1000\t1000\t1000\t1000\n");
  ASSERT_TRUE(uids);
  EXPECT_EQ(uids->ruid, 1000u);
}

TEST(ParseProcStatus, RejectsAMissingOrMalformedUidLine) {
  EXPECT_FALSE(ParseProcStatus(""));
  EXPECT_FALSE(ParseProcStatus("Name:\tbash\nGid:\t0\t0\t0\t0\n"));
  EXPECT_FALSE(ParseProcStatus("Uid:\t0\t0\t0\n"));
  EXPECT_FALSE(ParseProcStatus("Uid:\t0\t0\t0\t-1\n"));
  EXPECT_FALSE(ParseProcStatus("Uid:\t0\t0\t0\t99999999999\n"));
}

TEST(JoinCmdline, JoinsArgumentsWithSpacesAndDropsTrailingNuls) {
  using std::string_literals::operator""s;
  EXPECT_EQ(JoinCmdline("sshd: alice [priv]\0\0\0\0"s), "sshd: alice [priv]");
  EXPECT_EQ(JoinCmdline("/bin/bash\0-c\0echo hi\0"s), "/bin/bash -c echo hi");
  EXPECT_EQ(JoinCmdline("a\0\0b\0"s), "a  b");
}

TEST(JoinCmdline, IsEmptyForAKernelThread) { EXPECT_EQ(JoinCmdline(""), ""); }

TEST(JoinCmdline, CutsTo4096BytesAndNeverKeepsANul) {
  std::string raw;
  for (int i = 0; i < 2000; ++i) raw += std::string("ab") + '\0';
  const std::string joined = JoinCmdline(raw);
  EXPECT_EQ(joined.size(), kMaxCmdlineBytes);
  EXPECT_EQ(joined.find('\0'), std::string::npos);
}

TEST(ReadProcesses, ReadsEveryNumericEntrySortedByPid) {
  irk::testing::TempDir tmp;
  const fs::path proc = tmp.path();
  AddProcess(proc, 300, "bash", 20, 1000, std::string("-bash\0", 6), "1000\n");
  AddProcess(proc, 20, "sshd", 1, 0, std::string("sshd: alice [priv]\0\0", 20), "4294967295");
  AddProcess(proc, 1, "systemd", 0, 0, std::string("/sbin/init\0splash\0", 18));
  fs::create_directories(proc / "self");
  fs::create_directories(proc / "sys");
  WriteFile(proc / "uptime", "1.0 1.0\n");

  const std::vector<Process> processes = ReadProcesses(proc);
  ASSERT_EQ(processes.size(), 3u);
  EXPECT_EQ(processes[0].pid, 1);
  EXPECT_EQ(processes[0].cmdline, "/sbin/init splash");
  EXPECT_FALSE(processes[0].loginuid);  // no loginuid file
  EXPECT_EQ(processes[1].pid, 20);
  EXPECT_FALSE(processes[1].loginuid);  // (uid_t)-1: never set
  EXPECT_EQ(processes[2].pid, 300);
  EXPECT_EQ(processes[2].ppid, 20);
  EXPECT_EQ(processes[2].euid, 1000u);
  EXPECT_EQ(processes[2].loginuid, 1000u);
  EXPECT_EQ(processes[2].comm, "bash");
  EXPECT_EQ(processes[2].cmdline, "-bash");
  EXPECT_EQ(processes[2].tty_nr, kPts3);
  EXPECT_EQ(processes[2].start_ticks, 400u);
}

TEST(ReadProcesses, KeepsAHostileNameVerbatim) {
  irk::testing::TempDir tmp;
  const std::string comm = ") (evil) S 1 1 ";
  AddProcess(tmp.path(), 55, comm, 1, 0, "");
  const std::vector<Process> processes = ReadProcesses(tmp.path());
  ASSERT_EQ(processes.size(), 1u);
  EXPECT_EQ(processes[0].comm, comm);
  EXPECT_EQ(processes[0].ppid, 1);
  EXPECT_EQ(processes[0].cmdline, "");
}

TEST(ReadProcesses, SkipsAProcessThatVanishedMidRead) {
  irk::testing::TempDir tmp;
  AddProcess(tmp.path(), 10, "a", 1, 0, "a");
  fs::create_directories(tmp.path() / "11");  // gone before stat was read
  AddProcess(tmp.path(), 12, "b", 1, 0, "b");
  fs::remove(tmp.path() / "12" / "cmdline");  // gone after stat was read
  AddProcess(tmp.path(), 13, "c", 1, 0, "c");
  const std::vector<Process> processes = ReadProcesses(tmp.path());
  ASSERT_EQ(processes.size(), 2u);
  EXPECT_EQ(processes[0].pid, 10);
  EXPECT_EQ(processes[1].pid, 13);
}

TEST(ReadProcesses, SkipsAStatWhosePidIsNotTheDirectorysName) {
  irk::testing::TempDir tmp;
  AddProcess(tmp.path(), 10, "a", 1, 0, "a");
  fs::rename(tmp.path() / "10", tmp.path() / "11");
  EXPECT_TRUE(ReadProcesses(tmp.path()).empty());
}

TEST(ReadProcesses, NeverOpensAFifoForReading) {
  irk::testing::TempDir tmp;
  AddProcess(tmp.path(), 10, "a", 1, 0, "a");
  fs::remove(tmp.path() / "10" / "cmdline");
  ASSERT_EQ(mkfifo((tmp.path() / "10" / "cmdline").c_str(), 0600), 0);
  EXPECT_TRUE(ReadProcesses(tmp.path()).empty());  // returns instead of waiting for a writer
}

TEST(ReadProcesses, IsEmptyForAMissingDirectory) {
  irk::testing::TempDir tmp;
  EXPECT_TRUE(ReadProcesses(tmp.path() / "none").empty());
}

TEST(ReadProcesses, FindsThisProcessInTheRealProc) {
  const std::vector<Process> processes = ReadProcesses("/proc");
  const auto self = std::find_if(processes.begin(), processes.end(),
                                 [](const Process& p) { return p.pid == getpid(); });
  ASSERT_NE(self, processes.end());
  EXPECT_EQ(self->euid, geteuid());
  EXPECT_FALSE(self->cmdline.empty());
}

TEST(TtyName, NamesPseudoTerminalsConsolesAndSerialLines) {
  EXPECT_EQ(TtyName(kPts3), "pts/3");
  EXPECT_EQ(TtyName(kTty1), "tty1");
  EXPECT_EQ(TtyName((4 << 8) | 64), "ttyS0");
  EXPECT_EQ(TtyName((5 << 8) | 1), "console");
  EXPECT_EQ(TtyName((188 << 8) | 2), "ttyUSB2");
}

TEST(TtyName, ReadsTheHighMinorBitsOfLargePtsNumbers) {
  EXPECT_EQ(TtyName((1u << 20) | (136 << 8) | 44), "pts/300");
  EXPECT_EQ(TtyName((137 << 8) | 4), "pts/260");
}

TEST(TtyName, IsEmptyForNoTtyAndMarksAnUnknownDevice) {
  EXPECT_EQ(TtyName(0), "");
  EXPECT_EQ(TtyName((250 << 8) | 7), "?250:7");
}

TEST(ParseBootTime, ReadsTheBtimeLine) {
  EXPECT_EQ(ParseBootTime("cpu  1 2 3\nintr 5\nbtime 1764200000\nprocesses 9\n"), 1764200000);
  EXPECT_EQ(ParseBootTime("cpu  1 2 3\nbtime x\n"), std::nullopt);
  EXPECT_EQ(ParseBootTime(""), std::nullopt);
}

TEST(ReadBootTime, ReadsThisHostsBootTimeBeforeNow) {
  const std::optional<int64_t> boot = ReadBootTime("/proc");
  ASSERT_TRUE(boot.has_value());
  EXPECT_LT(*boot, Now().seconds);
}

TEST(StartTime, AddsTicksAfterBootInSecondsAndMicroseconds) {
  Process p;
  p.start_ticks = 12345;
  EXPECT_EQ(StartTime(p, 1000, 100), (Timestamp{1123, 450000}));
}

TEST(ReadNamespace, NamesThisProcesssNetworkNamespace) {
  EXPECT_EQ(ReadNamespace("/proc", "self", "net").rfind("net:[", 0), 0u);
  EXPECT_EQ(ReadNamespace("/proc", std::to_string(getpid()), "mnt"),
            ReadNamespace("/proc", "self", "mnt"));
  EXPECT_EQ(ReadNamespace("/nonexistent", "self", "net"), "");
}

}  // namespace
}  // namespace irk
