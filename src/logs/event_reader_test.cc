#include "logs/event_reader.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::logs {
namespace {

// What a test keeps of an event: the views die with the line.
struct Seen {
  std::string time, user, addr, service, kind, outcome, file;
  uint64_t line;
};

class EventReaderTest : public ::testing::Test {
 protected:
  void Write(const std::string& path, const std::string& text, time_t mtime = 1795698131) {
    const auto full = tmp_.path() / path.substr(1);
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << text;
    struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
    utimensat(AT_FDCWD, full.c_str(), times, 0);
  }

  std::vector<Seen> Read(const LogSource& source, EventFilter filter = {},
                         std::optional<size_t> parsers = std::nullopt, size_t waiting_chunks = 0) {
    auto root = Root::Open(tmp_.path());
    EXPECT_TRUE(root.ok());
    EventReader reader(*root, TimeZone::Utc(), std::move(filter));
    if (parsers) reader.set_parsers(*parsers);
    if (waiting_chunks > 0) reader.set_waiting_chunks(waiting_chunks);
    std::vector<Seen> seen;
    auto status = reader.ReadSource(source, [&seen](const Event& e) {
      seen.push_back(Seen{FormatRfc3339(e.time), std::string(e.user),
                          e.addr ? std::string(e.addr->view()) : "", std::string(e.service),
                          std::string(EventKindName(e.kind)), std::string(OutcomeName(e.outcome)),
                          std::string(e.file), e.line});
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    stats_ = reader.stats();
    return seen;
  }

  testing::TempDir tmp_;
  std::vector<FileStats> stats_;
};

TEST_F(EventReaderTest, CompletesEventsFromTheLineHeader) {
  Write(
      "/var/log/auth.log",
      "Nov 26 13:02:11 web1 sshd[4242]: Failed password for root from 203.0.113.5 port 22 ssh2\n");
  auto seen = Read(LogSource{"/var/log/auth.log", {"/var/log/auth.log"}});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].time, "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(seen[0].service, "sshd");
  EXPECT_EQ(seen[0].line, 1u);
  EXPECT_EQ(seen[0].file, (tmp_.path() / "var/log/auth.log").string());
}

TEST_F(EventReaderTest, TakesAnAddressFromEarlierLinesOfTheSameProcess) {
  Write("/var/log/auth.log",
        "Nov 26 13:02:11 web1 sshd[4242]: Connection from 203.0.113.5 port 50000 on 192.0.2.1 port "
        "22\n"
        "Nov 26 13:02:12 web1 sshd[4243]: Connection from 198.51.100.7 port 50001 on 192.0.2.1 "
        "port 22\n"
        "Nov 26 13:02:13 web1 sshd[4242]: fatal: Read from socket failed: Connection reset by peer "
        "[preauth]\n");
  auto seen = Read(LogSource{"/var/log/auth.log", {"/var/log/auth.log"}});
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].addr, "203.0.113.5");
  EXPECT_EQ(seen[2].kind, "connection");
}

TEST_F(EventReaderTest, KeepsOrderAndProcessMemoryAcrossManyChunks) {
  // Several megabytes: many hand-overs between the stages, with the
  // emitting thread parsing alone, with one parser and with several, with
  // one chunk waiting and with the pipeline full.
  std::string text;
  for (int i = 0; i < 40000; ++i) {
    const int pid = 1000 + i % 50;
    text += "Nov 26 13:02:11 web1 sshd[" + std::to_string(pid) + "]: Connection from 203.0.113." +
            std::to_string(i % 50) + " port " + std::to_string(1024 + i) +
            " on 192.0.2.1 port 22\n";
    text += "Nov 26 13:02:11 web1 sshd[" + std::to_string(pid) +
            "]: fatal: Read from socket failed: Connection reset by peer [preauth]\n";
  }
  Write("/var/log/auth.log", text);
  for (size_t parsers : {0, 1, 4}) {
    for (size_t waiting : {1, 13}) {
      const std::string how =
          std::to_string(parsers) + " parsers, " + std::to_string(waiting) + " waiting";
      auto seen = Read(LogSource{"/var/log/auth.log", {"/var/log/auth.log"}}, {}, parsers, waiting);
      ASSERT_EQ(seen.size(), 80000u) << how;
      for (size_t i = 0; i < seen.size(); ++i) {
        ASSERT_EQ(seen[i].line, i + 1) << how;
        ASSERT_EQ(seen[i].addr, "203.0.113." + std::to_string(i / 2 % 50)) << i << " " << how;
      }
      EXPECT_EQ(stats_[0].lines, 80000u);
      EXPECT_EQ(stats_[0].events, 80000u);
    }
  }
}

TEST(PeerMemoryTest, FindsWhatEachProcessLastNamed) {
  PeerMemory peers;
  peers.Prefetch(PeerMemory::Key("sshd", 4242));  // nothing to load yet
  EXPECT_EQ(peers.Find(PeerMemory::Key("sshd", 4242)), nullptr);
  peers.Remember(PeerMemory::Key("sshd", 4242), *EventAddress::Parse("203.0.113.5"), 50000);
  peers.Remember(PeerMemory::Key("sshd", 4242), *EventAddress::Parse("203.0.113.6"), std::nullopt);
  peers.Remember(PeerMemory::Key("vsftpd", 4242), *EventAddress::Parse("198.51.100.7"), 21);
  peers.Prefetch(PeerMemory::Key("sshd", 4242));
  const auto* sshd = peers.Find(PeerMemory::Key("sshd", 4242));
  ASSERT_NE(sshd, nullptr);
  EXPECT_EQ(sshd->first.view(), "203.0.113.6");
  EXPECT_EQ(sshd->second, std::nullopt);
  ASSERT_NE(peers.Find(PeerMemory::Key("vsftpd", 4242)), nullptr);
  EXPECT_EQ(peers.Find(PeerMemory::Key("vsftpd", 4242))->first.view(), "198.51.100.7");
  EXPECT_EQ(peers.Find(PeerMemory::Key("sshd", 4243)), nullptr);
}

TEST(PeerMemoryTest, MakesWayForNewProcessesAndNeverAnswersWithAnother) {
  // Far more processes than the table holds: the newest are all found, every
  // answer is the process's own, and the oldest have made way.
  PeerMemory peers;
  constexpr int kProcesses = 200000;
  for (int pid = 1; pid <= kProcesses; ++pid) {
    peers.Remember(PeerMemory::Key("sshd", pid), *EventAddress::Parse("h" + std::to_string(pid)),
                   22);
  }
  int found = 0;
  for (int pid = 1; pid <= kProcesses; ++pid) {
    if (const auto* peer = peers.Find(PeerMemory::Key("sshd", pid))) {
      ASSERT_EQ(peer->first.view(), "h" + std::to_string(pid));
      ++found;
    }
  }
  EXPECT_LE(found, 8192);
  EXPECT_GT(found, 4000);
  for (int pid = kProcesses - 1000; pid <= kProcesses; ++pid) {
    ASSERT_NE(peers.Find(PeerMemory::Key("sshd", pid)), nullptr) << pid;
  }
  EXPECT_EQ(peers.Find(PeerMemory::Key("sshd", 1)), nullptr);
}

TEST_F(EventReaderTest, CountsRepeatedMessagesEachTime) {
  Write("/var/log/auth.log",
        "Nov 26 13:02:11 web1 sshd[4242]: message repeated 4 times: [ Failed password for root "
        "from 203.0.113.5 port 22 ssh2]\n");
  EXPECT_EQ(Read(LogSource{"/var/log/auth.log", {"/var/log/auth.log"}}).size(), 4u);
}

TEST_F(EventReaderTest, ReadsRotationsAsOneStreamAndCountsGaps) {
  Write("/var/log/auth.log.1",
        "Nov 25 10:00:00 web1 sshd[1]: Invalid user a from 203.0.113.1 port 1\n");
  Write("/var/log/auth.log",
        "Nov 26 10:00:00 web1 sshd[2]: Invalid user b from 203.0.113.2 port 2\n"
        "Nov 26 10:00:01 web1 sshd[2]: a message no parser knows\n"
        "not a log line at all\n"
        "Nov 26 10:00:02 web1 kernel: something else\n");
  auto seen = Read(LogSource{"/var/log/auth.log", {"/var/log/auth.log.1", "/var/log/auth.log"}});
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].user, "a");
  EXPECT_EQ(seen[1].user, "b");
  ASSERT_EQ(stats_.size(), 2u);
  EXPECT_EQ(stats_[1].lines, 4u);
  EXPECT_EQ(stats_[1].events, 1u);
  EXPECT_EQ(stats_[1].unrecognized, 1u);
  EXPECT_EQ(stats_[1].unframed, 1u);
}

// The reader asks the filter only when a field is set: each one alone
// must still filter, and several together.
TEST_F(EventReaderTest, FiltersByEachFieldAloneAndTogether) {
  Write("/var/log/auth.log",
        "Nov 26 10:00:00 web1 sshd[1]: Invalid user a from 203.0.113.1 port 1\n"
        "Nov 26 11:00:00 web1 sshd[2]: Invalid user b from gw.example.net port 2\n"
        "Nov 26 12:00:00 web1 sshd[3]: Accepted password for b from 198.51.100.9 port 3 ssh2\n");
  const LogSource source{"/var/log/auth.log", {"/var/log/auth.log"}};
  EXPECT_EQ(Read(source, {}).size(), 3u);
  EventFilter since;
  since.since = ParseRfc3339("2026-11-26T10:30:00Z");
  EXPECT_EQ(Read(source, since).size(), 2u);
  EventFilter until;
  until.until = ParseRfc3339("2026-11-26T10:30:00Z");
  EXPECT_EQ(Read(source, until).size(), 1u);
  EventFilter user;
  user.user = "a";
  EXPECT_EQ(Read(source, user).size(), 1u);
  EventFilter network;
  network.network = Network::Parse("203.0.113.0/24");
  EXPECT_EQ(Read(source, network).size(), 1u);
  EventFilter host;
  host.host_name = "gw.example.net";
  EXPECT_EQ(Read(source, host).size(), 1u);
  EventFilter kind;
  kind.kind = EventKind::kConnection;
  EXPECT_EQ(Read(source, kind).size(), 0u);
  for (const EventFilter* filter : {&since, &until, &user, &network, &host, &kind}) {
    EXPECT_FALSE(filter->Empty());
  }
  EXPECT_TRUE(EventFilter().Empty());
  EventFilter together;
  together.kind = EventKind::kAuth;
  together.since = ParseRfc3339("2026-11-26T10:30:00Z");
  together.until = ParseRfc3339("2026-11-26T12:00:00Z");
  auto seen = Read(source, together);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].user, "b");
}

TEST_F(EventReaderTest, DatesYearlessStampsByTheLocalYearOfTheFilesChange) {
  // Changed at 2027-01-01T00:30 local (+01:00), still 2026 in UTC: the
  // December line belongs to 2026, the January line to 2027.
  Write("/var/log/auth.log",
        "Dec 31 23:59:00 web1 sshd[1]: Invalid user a from 203.0.113.1 port 1\n"
        "Jan  1 00:20:00 web1 sshd[2]: Invalid user b from 203.0.113.2 port 2\n",
        1798759800);  // 2026-12-31T23:30:00Z
  auto root = Root::Open(tmp_.path());
  ASSERT_TRUE(root.ok());
  EventReader reader(*root, TimeZone::Fixed(3600), {});
  std::vector<std::string> times;
  ASSERT_TRUE(reader
                  .ReadSource(LogSource{"/var/log/auth.log", {"/var/log/auth.log"}},
                              [&times](const Event& e) { times.push_back(FormatRfc3339(e.time)); })
                  .ok());
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(times[0], "2026-12-31T22:59:00+00:00");
  EXPECT_EQ(times[1], "2026-12-31T23:20:00+00:00");
}

TEST_F(EventReaderTest, SkipsAFileWhollyOutsideTheWindow) {
  Write("/var/log/auth.log.1",
        "Nov 20 10:00:00 web1 sshd[1]: Invalid user a from 203.0.113.1 port 1\n");
  Write("/var/log/auth.log",
        "Nov 26 10:00:00 web1 sshd[2]: Invalid user b from 203.0.113.2 port 2\n");
  EventFilter filter;
  filter.since = ParseRfc3339("2026-11-25T00:00:00Z");
  auto seen =
      Read(LogSource{"/var/log/auth.log", {"/var/log/auth.log.1", "/var/log/auth.log"}}, filter);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(stats_[0].skipped);
  EXPECT_FALSE(stats_[1].skipped);
}

TEST_F(EventReaderTest, InjectedTextCannotSetTheAddress) {
  Write("/var/log/auth.log",
        "Nov 26 10:00:00 web1 sshd[1]: Invalid user x from 192.0.2.1 from 203.0.113.9 port 22\n");
  auto seen = Read(LogSource{"/var/log/auth.log", {"/var/log/auth.log"}});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].addr, "203.0.113.9");
  EXPECT_EQ(seen[0].user, "x from 192.0.2.1");
}

}  // namespace
}  // namespace irk::logs
