#include "logs/journal.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"
#include "logs/testing/journal_remote.h"

namespace irk::logs {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kBase = 1795700000;  // 2026-11-26T..., in seconds
constexpr std::string_view kBootId = "0123456789abcdef0123456789abcdef";

using Fields = std::vector<std::pair<std::string, std::string>>;

// One entry of the journal export format: FIELD=value lines, or for a value
// with a newline or other binary bytes, the name, a newline, the value's
// size as 64-bit little endian, the bytes, and a newline.
std::string ExportEntry(int64_t seconds, int monotonic, const Fields& fields) {
  std::string out = fmt::format("__REALTIME_TIMESTAMP={}\n", seconds * 1000000);
  out += fmt::format("__MONOTONIC_TIMESTAMP={}\n", monotonic * 1000000);
  out += fmt::format("_BOOT_ID={}\n", kBootId);
  for (const auto& [name, value] : fields) {
    const bool binary = value.find_first_of(std::string_view("\n\0", 2)) != std::string::npos ||
                        value.find('\x1b') != std::string::npos;
    if (!binary) {
      out += name + "=" + value + "\n";
      continue;
    }
    out += name + "\n";
    uint64_t size = value.size();
    for (int i = 0; i < 8; ++i) out += static_cast<char>((size >> (8 * i)) & 0xff);
    out += value + "\n";
  }
  return out + "\n";
}

// An sshd entry of web1.
std::string Sshd(int64_t offset, const std::string& message, int monotonic) {
  return ExportEntry(kBase + offset, monotonic,
                     {{"_HOSTNAME", "web1"},
                      {"SYSLOG_IDENTIFIER", "sshd"},
                      {"_PID", "4242"},
                      {"_COMM", "sshd"},
                      {"MESSAGE", message}});
}

class JournalReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(testing::kJournalRemote, X_OK) != 0) {
      GTEST_SKIP() << testing::kJournalRemote
                   << " is missing: apt-get install systemd-journal-remote (scripts/install-deps)";
    }
  }

  // Writes `entries` (export format) as a journal file at `relative` under
  // the image root, through systemd-journal-remote.
  void MakeJournal(const std::string& entries,
                   const std::string& relative =
                       "var/log/journal/"
                       "5f0e4c1a2b3d4e5f60718293a4b5c6d7/remote.journal") {
    const fs::path output = root_dir() / relative;
    ASSERT_EQ(testing::AppendToJournal(output, entries, dir_.path()), "");
    ASSERT_TRUE(fs::exists(output));
  }

  fs::path root_dir() const { return dir_.path() / "root"; }

  // Every entry the reader gives, or a failure.
  std::vector<JournalEntry> ReadAll(const JournalOptions& options = {}) {
    fs::create_directories(root_dir());
    auto root = Root::Open(root_dir());
    EXPECT_TRUE(root.ok());
    auto reader = JournalReader::Open(*root, options);
    EXPECT_TRUE(reader.ok()) << reader.error().message;
    if (!reader.ok()) return {};
    return Drain(*reader);
  }

  static std::vector<JournalEntry> Drain(JournalReader& reader) {
    std::vector<JournalEntry> entries;
    while (true) {
      auto next = reader.Next();
      EXPECT_TRUE(next.ok()) << next.error().message;
      if (!next.ok() || !*next) break;
      entries.push_back(std::move(**next));
    }
    return entries;
  }

  // Three sshd entries a minute apart and a sudo entry.
  std::string SampleEntries() {
    return Sshd(0, "Failed password for root from 203.0.113.5 port 22 ssh2", 10) +
           Sshd(60, "Accepted publickey for alice from 198.51.100.7 port 50022 ssh2", 70) +
           ExportEntry(kBase + 90, 100,
                       {{"_HOSTNAME", "web1"},
                        {"SYSLOG_IDENTIFIER", "sudo"},
                        {"_PID", "5000"},
                        {"MESSAGE", "alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh"}}) +
           Sshd(120, "Disconnected from user alice 198.51.100.7 port 50022", 130);
  }

  irk::testing::TempDir dir_;
};

TEST_F(JournalReaderTest, ReadsTheEntriesOfAnImage) {
  MakeJournal(SampleEntries());
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 4u);
  const JournalEntry& e = entries[0];
  EXPECT_EQ(e.time, (Timestamp{kBase, 0}));
  EXPECT_EQ(e.time_text, "2026-11-26T13:33:20.000000+00:00");
  EXPECT_EQ(e.host, "web1");
  EXPECT_EQ(e.program, "sshd");
  EXPECT_EQ(e.pid, 4242);
  EXPECT_EQ(e.message, "Failed password for root from 203.0.113.5 port 22 ssh2");
  EXPECT_FALSE(e.cursor.empty());
  EXPECT_EQ(entries[2].program, "sudo");
  EXPECT_EQ(entries[3].time.seconds, kBase + 120);
}

TEST_F(JournalReaderTest, ReadsTheJournalUnderRunLogJournal) {
  MakeJournal(Sshd(0, "Connection closed by 192.0.2.8 port 4000 [preauth]", 5),
              "run/log/journal/5f0e4c1a2b3d4e5f60718293a4b5c6d7/system.journal");
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].message, "Connection closed by 192.0.2.8 port 4000 [preauth]");
}

TEST_F(JournalReaderTest, KeepsTheMicrosecondsOfTheTime) {
  std::string entry = Sshd(0, "x", 1);
  entry.replace(entry.find('\n') - 6, 6, "123456");
  MakeJournal(entry);
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].time, (Timestamp{kBase, 123456}));
  EXPECT_EQ(entries[0].time_text, "2026-11-26T13:33:20.123456+00:00");
}

TEST_F(JournalReaderTest, TakesTheProgramFromCommWithoutSyslogIdentifier) {
  MakeJournal(ExportEntry(kBase, 1, {{"_COMM", "sshd-session"}, {"_PID", "77"}, {"MESSAGE", "m"}}));
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].program, "sshd-session");
  EXPECT_EQ(entries[0].host, "");
}

TEST_F(JournalReaderTest, PrefersSyslogPidToPid) {
  MakeJournal(ExportEntry(
      kBase, 1,
      {{"SYSLOG_IDENTIFIER", "sshd"}, {"SYSLOG_PID", "1234"}, {"_PID", "77"}, {"MESSAGE", "m"}}));
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].pid, 1234);
}

TEST_F(JournalReaderTest, FallsBackToPidWhenSyslogPidIsNotANumber) {
  MakeJournal(ExportEntry(
      kBase, 1,
      {{"SYSLOG_IDENTIFIER", "sshd"}, {"SYSLOG_PID", "12x4"}, {"_PID", "77"}, {"MESSAGE", "m"}}));
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].pid, 77);
}

TEST_F(JournalReaderTest, HasNoPidWhenNeitherFieldIsANumber) {
  MakeJournal(ExportEntry(
      kBase, 1, {{"SYSLOG_IDENTIFIER", "sshd"}, {"SYSLOG_PID", "99999999999"}, {"MESSAGE", "m"}}));
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_FALSE(entries[0].pid.has_value());
}

TEST_F(JournalReaderTest, KeepsABinaryMessageByteForByte) {
  const std::string message("Failed password for \x1b[31mroot\0hidden from 203.0.113.5", 52);
  MakeJournal(ExportEntry(kBase, 1, {{"SYSLOG_IDENTIFIER", "sshd"}, {"MESSAGE", message}}));
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].message, message);
  EXPECT_EQ(entries[0].message.size(), 52u);
}

TEST_F(JournalReaderTest, CutsAMessageAt64KiB) {
  const std::string message(kMaxJournalMessage + 5000, 'A');
  MakeJournal(ExportEntry(kBase, 1, {{"SYSLOG_IDENTIFIER", "sshd"}, {"MESSAGE", message}}));
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].message, std::string(kMaxJournalMessage, 'A'));
}

TEST_F(JournalReaderTest, CutsALongHostAndProgram) {
  MakeJournal(ExportEntry(kBase, 1,
                          {{"_HOSTNAME", std::string(1000, 'h')},
                           {"SYSLOG_IDENTIFIER", std::string(1000, 'p')},
                           {"MESSAGE", "m"}}));
  const auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].host, std::string(kMaxJournalName, 'h'));
  EXPECT_EQ(entries[0].program, std::string(kMaxJournalName, 'p'));
}

TEST_F(JournalReaderTest, KeepsOnlyTheIdentifiersAsked) {
  MakeJournal(SampleEntries());
  JournalOptions options;
  options.identifiers = {"sudo", "su"};
  const auto entries = ReadAll(options);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].program, "sudo");
}

TEST_F(JournalReaderTest, SkipsEntriesBeforeSince) {
  MakeJournal(SampleEntries());
  JournalOptions options;
  options.since = Timestamp{kBase + 60, 0};
  const auto entries = ReadAll(options);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].time.seconds, kBase + 60);
}

TEST_F(JournalReaderTest, StopsAfterUntil) {
  MakeJournal(SampleEntries());
  JournalOptions options;
  options.until = Timestamp{kBase + 60, 0};
  const auto entries = ReadAll(options);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].time.seconds, kBase + 60);
}

TEST_F(JournalReaderTest, ResumesAfterACursor) {
  MakeJournal(SampleEntries());
  const auto all = ReadAll();
  ASSERT_EQ(all.size(), 4u);
  auto root = Root::Open(root_dir());
  ASSERT_TRUE(root.ok());
  auto reader = JournalReader::Open(*root, {});
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(reader->SeekCursor(all[1].cursor).ok());
  const auto rest = Drain(*reader);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].cursor, all[2].cursor);
  EXPECT_EQ(rest[1].cursor, all[3].cursor);
}

TEST_F(JournalReaderTest, RefusesAMalformedCursor) {
  MakeJournal(SampleEntries());
  auto root = Root::Open(root_dir());
  ASSERT_TRUE(root.ok());
  auto reader = JournalReader::Open(*root, {});
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE(reader->SeekCursor("").ok());
  EXPECT_FALSE(reader->SeekCursor("s=1;i=2\n").ok());
  EXPECT_FALSE(reader->SeekCursor(std::string(5000, 'a')).ok());
  EXPECT_FALSE(reader->SeekCursor("no-such-cursor").ok());
}

TEST_F(JournalReaderTest, RefusesASymbolicLinkForTheJournalFolder) {
  MakeJournal(SampleEntries(), "elsewhere/5f0e4c1a2b3d4e5f60718293a4b5c6d7/system.journal");
  fs::create_directories(root_dir() / "var/log");
  fs::create_directory_symlink("/elsewhere", root_dir() / "var/log/journal");
  auto root = Root::Open(root_dir());
  ASSERT_TRUE(root.ok());
  auto reader = JournalReader::Open(*root, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.error().message.find("symbolic link"), std::string::npos);
}

TEST_F(JournalReaderTest, SkipsASymbolicLinkedJournalFile) {
  MakeJournal(SampleEntries(), "elsewhere/system.journal");
  fs::create_directories(root_dir() / "var/log/journal/m");
  fs::create_symlink(root_dir() / "elsewhere/system.journal",
                     root_dir() / "var/log/journal/m/system.journal");
  EXPECT_TRUE(ReadAll().empty());
}

TEST_F(JournalReaderTest, LeavesOutACorruptFileAndNamesIt) {
  MakeJournal(SampleEntries());
  const fs::path bad = root_dir() /
                       "var/log/journal/5f0e4c1a2b3d4e5f60718293a4b5c6d7/"
                       "system@0005-0006.journal~";
  std::ofstream(bad) << std::string(8192, 'x');
  auto root = Root::Open(root_dir());
  ASSERT_TRUE(root.ok());
  auto reader = JournalReader::Open(*root, {});
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(Drain(*reader).size(), 4u);
  ASSERT_EQ(reader->problems().size(), 1u);
  EXPECT_NE(reader->problems()[0].find("system@0005-0006.journal~: "), std::string::npos);
}

TEST_F(JournalReaderTest, ReadsAnImageWithoutJournalAsEmpty) { EXPECT_TRUE(ReadAll().empty()); }

TEST_F(JournalReaderTest, RefusesAnEmptyIdentifier) {
  fs::create_directories(root_dir());
  auto root = Root::Open(root_dir());
  ASSERT_TRUE(root.ok());
  JournalOptions options;
  options.identifiers = {"sshd", ""};
  EXPECT_FALSE(JournalReader::Open(*root, options).ok());
}

TEST(JournalLineHeader, ViewsTheEntrysFields) {
  JournalEntry entry;
  entry.time = {kBase, 5};
  entry.time_text = FormatRfc3339(entry.time, true);
  entry.host = "web1";
  entry.program = "sshd";
  entry.pid = 4242;
  entry.message = "Invalid user x from 1.2.3.4 from 203.0.113.9 port 22";
  const LineHeader header = JournalLineHeader(entry);
  EXPECT_EQ(header.time, entry.time);
  EXPECT_EQ(header.time_text, "2026-11-26T13:33:20.000005+00:00");
  EXPECT_EQ(header.time_text.data(), entry.time_text.data());
  EXPECT_EQ(header.zone, "UTC");
  EXPECT_EQ(header.host, "web1");
  EXPECT_EQ(header.program, "sshd");
  EXPECT_EQ(header.pid, 4242);
  EXPECT_EQ(header.message.data(), entry.message.data());
}

TEST(JournalReader, OpensTheRunningHostsJournal) {
  auto root = Root::Open("/");
  ASSERT_TRUE(root.ok());
  ASSERT_TRUE(root->live());
  JournalOptions options;
  options.identifiers = {"sshd"};
  auto reader = JournalReader::Open(*root, options);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto next = reader->Next();
  EXPECT_TRUE(next.ok());
}

}  // namespace
}  // namespace irk::logs
