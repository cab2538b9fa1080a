#include "logs/login_records.h"

#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmpx.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::logs {
namespace {

namespace fs = std::filesystem;

constexpr LoginRecordLayout kAllLayouts[] = {
    LoginRecordLayout::kX86_64, LoginRecordLayout::kAarch64, LoginRecordLayout::kBigEndian64};

void WriteFile(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

LoginRecord Login(std::string user, std::string line, std::string host,
                  std::optional<std::string> addr, int64_t seconds, int32_t pid = 4242) {
  LoginRecord r;
  r.type = LoginRecordType::kUserProcess;
  r.pid = pid;
  r.line = std::move(line);
  r.id = "ts/0";
  r.user = std::move(user);
  r.host = std::move(host);
  r.session = 7;
  r.time = {seconds, 123456};
  r.addr = std::move(addr);
  return r;
}

LoginRecord Boot(int64_t seconds) {
  LoginRecord r;
  r.type = LoginRecordType::kBootTime;
  r.line = "~";
  r.id = "~~";
  r.user = "reboot";
  r.host = "6.1.0-13-amd64";
  r.time = {seconds, 0};
  return r;
}

// A small wtmp: a boot, a login from IPv4, one from IPv6, a logout.
std::vector<LoginRecord> SampleRecords() {
  LoginRecord logout = Login("", "pts/0", "", std::nullopt, 1795700000, 4242);
  logout.type = LoginRecordType::kDeadProcess;
  logout.id = "ts/0";
  return {Boot(1795690000), Login("alice", "pts/0", "192.0.2.7", "192.0.2.7", 1795698131),
          Login("bob", "pts/1", "2001:db8::7", "2001:db8::7", 1795698200, 4300), logout};
}

std::string Encode(const std::vector<LoginRecord>& records, LoginRecordLayout layout) {
  std::string bytes;
  for (const LoginRecord& r : records) bytes += EncodeLoginRecord(r, layout);
  return bytes;
}

// Compares every field the format stores.
void ExpectSameRecord(const LoginRecord& got, const LoginRecord& want) {
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.pid, want.pid);
  EXPECT_EQ(got.line, want.line);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.user, want.user);
  EXPECT_EQ(got.host, want.host);
  EXPECT_EQ(got.session, want.session);
  EXPECT_EQ(got.time, want.time);
  EXPECT_EQ(got.addr, want.addr);
}

void SetType(std::string& bytes, size_t offset, int16_t type) {
  bytes[offset] = static_cast<char>(type & 0xff);
  bytes[offset + 1] = static_cast<char>((type >> 8) & 0xff);
}

#if defined(__x86_64__)
static_assert(sizeof(struct utmpx) == 384, "glibc's x86-64 utmpx is the 384-byte layout");

TEST(ReadLoginRecordFile, ReadsWhatGlibcsUtmpxWrites) {
  irk::testing::TempDir tmp;
  const fs::path file = tmp.path() / "wtmp";
  FILE* out = std::fopen(file.c_str(), "wb");
  ASSERT_NE(out, nullptr);

  struct utmpx login {};
  login.ut_type = USER_PROCESS;
  login.ut_pid = 31337;
  std::strncpy(login.ut_line, "pts/4", sizeof(login.ut_line));
  std::strncpy(login.ut_id, "ts/4", sizeof(login.ut_id));
  std::memcpy(login.ut_user, "abcdefghijklmnopqrstuvwxyz012345", 32);  // full, no NUL
  std::strncpy(login.ut_host, "198.51.100.23", sizeof(login.ut_host));
  login.ut_session = 31337;
  login.ut_tv.tv_sec = 1795698131;
  login.ut_tv.tv_usec = 654321;
  ASSERT_EQ(inet_pton(AF_INET, "198.51.100.23", &login.ut_addr_v6[0]), 1);

  struct utmpx from_v6 = login;
  std::strncpy(from_v6.ut_host, "2001:db8::42", sizeof(from_v6.ut_host));
  ASSERT_EQ(inet_pton(AF_INET6, "2001:db8::42", from_v6.ut_addr_v6), 1);

  struct utmpx logout {};
  logout.ut_type = DEAD_PROCESS;
  logout.ut_pid = 31337;
  std::strncpy(logout.ut_line, "pts/4", sizeof(logout.ut_line));
  logout.ut_tv.tv_sec = 1795699999;

  for (const struct utmpx* u : {&login, &from_v6, &logout}) {
    ASSERT_EQ(std::fwrite(u, sizeof(*u), 1, out), 1u);
  }
  std::fclose(out);

  const Result<LoginRecords> read = ReadLoginRecordFile(file);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->layout, LoginRecordLayout::kX86_64);
  EXPECT_TRUE(read->problems.empty());
  ASSERT_EQ(read->records.size(), 3u);
  const LoginRecord& r = read->records[0];
  EXPECT_EQ(r.type, LoginRecordType::kUserProcess);
  EXPECT_EQ(r.pid, 31337);
  EXPECT_EQ(r.line, "pts/4");
  EXPECT_EQ(r.id, "ts/4");
  EXPECT_EQ(r.user, "abcdefghijklmnopqrstuvwxyz012345");
  EXPECT_EQ(r.host, "198.51.100.23");
  EXPECT_EQ(r.session, 31337);
  EXPECT_EQ(r.time, (Timestamp{1795698131, 654321}));
  EXPECT_EQ(r.addr, "198.51.100.23");
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(read->records[1].addr, "2001:db8::42");
  EXPECT_EQ(read->records[1].offset, 384u);
  EXPECT_EQ(read->records[2].type, LoginRecordType::kDeadProcess);
  EXPECT_EQ(read->records[2].time.seconds, 1795699999);
  EXPECT_FALSE(read->records[2].addr);
}

TEST(EncodeLoginRecord, WritesTheBytesGlibcWrites) {
  struct utmpx u {};
  u.ut_type = USER_PROCESS;
  u.ut_pid = 4242;
  std::strncpy(u.ut_line, "pts/0", sizeof(u.ut_line));
  std::strncpy(u.ut_id, "ts/0", sizeof(u.ut_id));
  std::strncpy(u.ut_user, "alice", sizeof(u.ut_user));
  std::strncpy(u.ut_host, "192.0.2.7", sizeof(u.ut_host));
  u.ut_session = 7;
  u.ut_tv.tv_sec = 1795698131;
  u.ut_tv.tv_usec = 123456;
  ASSERT_EQ(inet_pton(AF_INET, "192.0.2.7", &u.ut_addr_v6[0]), 1);
  const std::string glibc(reinterpret_cast<const char*>(&u), sizeof(u));
  EXPECT_EQ(EncodeLoginRecord(Login("alice", "pts/0", "192.0.2.7", "192.0.2.7", 1795698131),
                              LoginRecordLayout::kX86_64),
            glibc);
}
#endif

TEST(ParseLoginRecords, ReadsAllThreeLayouts) {
  const std::vector<LoginRecord> want = SampleRecords();
  for (const LoginRecordLayout layout : kAllLayouts) {
    const std::string bytes = Encode(want, layout);
    EXPECT_EQ(bytes.size(), want.size() * LoginRecordSize(layout));
    const LoginRecords got = ParseLoginRecords(bytes);
    EXPECT_EQ(got.layout, layout);
    EXPECT_TRUE(got.problems.empty());
    ASSERT_EQ(got.records.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      ExpectSameRecord(got.records[i], want[i]);
      EXPECT_EQ(got.records[i].offset, i * LoginRecordSize(layout));
    }
  }
}

TEST(ParseLoginRecords, ReadsTimesPastTheYear2038InThe64BitLayouts) {
  const LoginRecord late = Login("carol", "pts/2", "", std::nullopt, 4000000000);
  for (const LoginRecordLayout layout :
       {LoginRecordLayout::kAarch64, LoginRecordLayout::kBigEndian64}) {
    const LoginRecords got = ParseLoginRecords(EncodeLoginRecord(late, layout));
    EXPECT_EQ(got.layout, layout);
    ASSERT_EQ(got.records.size(), 1u);
    EXPECT_EQ(got.records[0].time.seconds, 4000000000);
  }
}

TEST(DetectLoginRecordLayout, PrefersThe384ByteLayoutWhenNothingDecides) {
  EXPECT_EQ(DetectLoginRecordLayout(""), LoginRecordLayout::kX86_64);
  EXPECT_EQ(DetectLoginRecordLayout(std::string(384 * 25, '\0')), LoginRecordLayout::kX86_64);
}

TEST(ParseLoginRecords, HasNoRecordsAndNoProblemsForAnEmptyFile) {
  const LoginRecords got = ParseLoginRecords("");
  EXPECT_TRUE(got.records.empty());
  EXPECT_TRUE(got.problems.empty());
}

TEST(ParseLoginRecords, ReportsATruncatedLastRecordAndKeepsTheOthers) {
  std::string bytes = Encode(SampleRecords(), LoginRecordLayout::kX86_64);
  bytes.resize(384 * 2 + 100);
  const LoginRecords got = ParseLoginRecords(bytes);
  EXPECT_EQ(got.records.size(), 2u);
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_EQ(got.problems[0].offset, 768u);
  EXPECT_EQ(got.problems[0].what, "truncated record: 100 of 384 bytes");
}

TEST(ParseLoginRecords, KeepsARecordOfUnknownTypeAndSaysSo) {
  std::string bytes = Encode(SampleRecords(), LoginRecordLayout::kX86_64);
  SetType(bytes, 384, 4711);
  const LoginRecords got = ParseLoginRecords(bytes);
  EXPECT_EQ(got.layout, LoginRecordLayout::kX86_64);
  ASSERT_EQ(got.records.size(), 4u);
  EXPECT_EQ(got.records[1].type, LoginRecordType::kUnknown);
  EXPECT_EQ(got.records[1].user, "alice");
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_EQ(got.problems[0].offset, 384u);
  EXPECT_EQ(got.problems[0].what, "invalid record type 4711");
}

TEST(ParseLoginRecords, ReportsARunOfZeroedRecordsOnceWithItsLength) {
  const std::vector<LoginRecord> sample = SampleRecords();
  const std::string zero(384, '\0');
  const std::string bytes = EncodeLoginRecord(sample[0], LoginRecordLayout::kX86_64) + zero + zero +
                            zero + EncodeLoginRecord(sample[1], LoginRecordLayout::kX86_64) + zero +
                            EncodeLoginRecord(sample[3], LoginRecordLayout::kX86_64);
  const LoginRecords got = ParseLoginRecords(bytes);
  ASSERT_EQ(got.records.size(), 3u);
  EXPECT_EQ(got.records[1].offset, 384u * 4);
  ASSERT_EQ(got.problems.size(), 2u);
  EXPECT_EQ(got.problems[0].offset, 384u);
  EXPECT_EQ(got.problems[0].what,
            "3 zeroed records (the mark of a log cleaner that wipes entries)");
  EXPECT_EQ(got.problems[1].offset, 384u * 5);
  EXPECT_EQ(got.problems[1].what, "zeroed record (the mark of a log cleaner that wipes entries)");
}

TEST(ParseLoginRecords, NamesZeroedRecordsAtTheEndOfTheFileApart) {
  const std::string bytes =
      EncodeLoginRecord(SampleRecords()[1], LoginRecordLayout::kX86_64) + std::string(768, '\0');
  const LoginRecords got = ParseLoginRecords(bytes);
  EXPECT_EQ(got.records.size(), 1u);
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_EQ(got.problems[0].offset, 384u);
  EXPECT_EQ(got.problems[0].what,
            "2 zeroed records at the end of the file (a log cleaner, or a crash before the data "
            "reached the disk)");
}

TEST(ParseLoginRecords, ReportsATimeOutOfRangeAndKeepsTheRecord) {
  LoginRecord r = Login("alice", "pts/0", "", std::nullopt, 99999999999);
  const LoginRecords got = ParseLoginRecords(EncodeLoginRecord(r, LoginRecordLayout::kAarch64) +
                                             Encode(SampleRecords(), LoginRecordLayout::kAarch64));
  EXPECT_EQ(got.layout, LoginRecordLayout::kAarch64);
  ASSERT_EQ(got.records.size(), 5u);
  EXPECT_EQ(got.records[0].time.seconds, 99999999999);
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_EQ(got.problems[0].offset, 0u);
  EXPECT_EQ(got.problems[0].what, "time out of range (seconds 99999999999, microseconds 123456)");
}

TEST(ParseLoginRecords, ZeroesMicrosecondsOutOfRange) {
  std::string bytes = Encode(SampleRecords(), LoginRecordLayout::kX86_64);
  bytes[384 + 344 + 3] = 0x40;  // usec of the second record, little-endian int32
  const LoginRecords got = ParseLoginRecords(bytes);
  ASSERT_EQ(got.records.size(), 4u);
  EXPECT_EQ(got.records[1].time, (Timestamp{1795698131, 0}));
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_EQ(got.problems[0].offset, 384u);
}

TEST(ParseLoginRecords, NormalizesAddresses) {
  struct Case {
    std::string written, read;
  };
  const Case cases[] = {
      {"203.0.113.9", "203.0.113.9"},
      {"2001:db8::1", "2001:db8::1"},
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
      {"2001:DB8:AAAA:0:0:0:0:FFFF", "2001:db8:aaaa::ffff"},
      {"::ffff:198.51.100.4", "198.51.100.4"},  // IPv4-mapped shows as IPv4
      {"::ffff:0.0.0.0", "::ffff:0:0"},         // found by the fuzzer: not "no address"
      {"::1", "::1"},
      {"2001:db8::", "32.1.13.184"},  // the format's ambiguity: reads as IPv4
  };
  for (const Case& c : cases) {
    const LoginRecords got = ParseLoginRecords(EncodeLoginRecord(
        Login("u", "pts/0", "", c.written, 1795698131), LoginRecordLayout::kX86_64));
    ASSERT_EQ(got.records.size(), 1u) << c.written;
    EXPECT_EQ(got.records[0].addr, c.read) << c.written;
  }
}

TEST(ParseLoginRecords, HasNoAddressWhenAllSixteenBytesAreZero) {
  const LoginRecords got = ParseLoginRecords(EncodeLoginRecord(
      Login("u", "tty1", "", std::nullopt, 1795698131), LoginRecordLayout::kX86_64));
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_FALSE(got.records[0].addr);
}

TEST(ParseLoginRecords, KeepsHostileUserAndHostBytesVerbatim) {
  const std::string user = "\x1b]0;pwned\x07\n\r\xff";
  const std::string host = "evil\x1b[2J\nJan  1 00:00:00 host sshd[1]: Accepted password";
  std::string full_user(32, 'A');
  full_user[5] = '\x01';
  const LoginRecords got =
      ParseLoginRecords(EncodeLoginRecord(Login(user, "pts/0", host, "192.0.2.1", 1795698131),
                                          LoginRecordLayout::kX86_64) +
                        EncodeLoginRecord(Login(full_user, "pts/1", "", std::nullopt, 1795698132),
                                          LoginRecordLayout::kX86_64));
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_EQ(got.records[0].user, user);
  EXPECT_EQ(got.records[0].host, host);
  EXPECT_EQ(got.records[1].user, full_user);  // all 32 bytes, no NUL to stop at
}

TEST(ParseLoginRecords, ListsAtMostAThousandProblemsThenCountsTheRest) {
  std::string bytes;
  for (int i = 0; i < 1500; ++i) {
    std::string rec = EncodeLoginRecord(SampleRecords()[1], LoginRecordLayout::kX86_64);
    SetType(rec, 0, 100);
    bytes += rec;
  }
  const LoginRecords got = ParseLoginRecords(bytes);
  EXPECT_EQ(got.records.size(), 1500u);
  ASSERT_EQ(got.problems.size(), 1001u);
  EXPECT_EQ(got.problems.back().what, "500 more problems not listed");
  EXPECT_EQ(got.problems.back().offset, 384u * 1000);
}

TEST(ReadLoginRecordFile, ReadsInChunksWhatParseReadsAtOnce) {
  // Over two chunks, with a zeroed run across the chunk boundary (1066.7
  // records of 384 bytes) and a truncated tail.
  const std::vector<LoginRecord> sample = SampleRecords();
  std::string bytes;
  for (int i = 0; i < 2500; ++i) {
    if (i >= 1060 && i < 1070) {
      bytes += std::string(384, '\0');
    } else {
      bytes += EncodeLoginRecord(sample[i % sample.size()], LoginRecordLayout::kX86_64);
    }
  }
  bytes += std::string(10, 'x');
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "wtmp", bytes);

  const LoginRecords want = ParseLoginRecords(bytes);
  const Result<LoginRecords> got = ReadLoginRecordFile(tmp.path() / "wtmp");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->layout, want.layout);
  ASSERT_EQ(got->records.size(), want.records.size());
  EXPECT_EQ(want.records.size(), 2490u);
  for (size_t i = 0; i < want.records.size(); ++i) {
    ExpectSameRecord(got->records[i], want.records[i]);
    EXPECT_EQ(got->records[i].offset, want.records[i].offset);
  }
  ASSERT_EQ(got->problems.size(), 2u);
  ASSERT_EQ(want.problems.size(), 2u);
  for (size_t i = 0; i < want.problems.size(); ++i) {
    EXPECT_EQ(got->problems[i].offset, want.problems[i].offset);
    EXPECT_EQ(got->problems[i].what, want.problems[i].what);
  }
  EXPECT_EQ(got->problems[0].what,
            "10 zeroed records (the mark of a log cleaner that wipes entries)");
  EXPECT_EQ(got->problems[1].what, "truncated record: 10 of 384 bytes");
}

TEST(ReadLoginRecordFile, ReadsFilesThatAnotherEncoderWroteInEachLayout) {
  // tests/data/login_records/wtmp_* were written with Python's struct module
  // from the offsets of glibc's headers, not with EncodeLoginRecord.
  const char* env = std::getenv("IRK_TEST_DATA");  // ctest sets it
  const fs::path data =
      env != nullptr ? fs::path(env) : fs::path(__FILE__).parent_path() / "../../tests/data";
  const std::pair<const char*, LoginRecordLayout> files[] = {
      {"wtmp_x86_64", LoginRecordLayout::kX86_64},
      {"wtmp_aarch64", LoginRecordLayout::kAarch64},
      {"wtmp_s390x", LoginRecordLayout::kBigEndian64}};
  for (const auto& [name, layout] : files) {
    const Result<LoginRecords> got = ReadLoginRecordFile(fs::path(data) / "login_records" / name);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->layout, layout) << name;
    EXPECT_TRUE(got->problems.empty()) << name;
    ASSERT_EQ(got->records.size(), 4u) << name;
    EXPECT_EQ(got->records[0].type, LoginRecordType::kBootTime);
    EXPECT_EQ(got->records[0].host, "6.1.0-13-amd64");
    const LoginRecord& alice = got->records[1];
    EXPECT_EQ(alice.user, "alice");
    EXPECT_EQ(alice.line, "pts/0");
    EXPECT_EQ(alice.pid, 4242);
    EXPECT_EQ(alice.session, 4242);
    EXPECT_EQ(alice.time, (Timestamp{1795698131, 123456}));
    EXPECT_EQ(alice.addr, "192.0.2.7");
    EXPECT_EQ(got->records[2].addr, "2001:db8::7");
    EXPECT_EQ(got->records[3].type, LoginRecordType::kDeadProcess);
    EXPECT_EQ(got->records[3].time.seconds, 1795700000);
  }
}

TEST(ReadLoginRecordFile, ReadsTheBigEndianLayoutFromAFile) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "wtmp", Encode(SampleRecords(), LoginRecordLayout::kBigEndian64));
  const Result<LoginRecords> got = ReadLoginRecordFile(tmp.path() / "wtmp");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->layout, LoginRecordLayout::kBigEndian64);
  EXPECT_EQ(got->records.size(), 4u);
}

TEST(ReadLoginRecordFile, ReadsAnEmptyFile) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "btmp", "");
  const Result<LoginRecords> got = ReadLoginRecordFile(tmp.path() / "btmp");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(got->records.empty());
  EXPECT_TRUE(got->problems.empty());
}

TEST(ReadLoginRecordFile, NamesTheFileWhenItIsMissing) {
  irk::testing::TempDir tmp;
  const fs::path file = tmp.path() / "wtmp";
  const Result<LoginRecords> got = ReadLoginRecordFile(file);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message, "read " + file.string() + ": no such file or directory");
}

TEST(ReadLoginRecordFile, RefusesAFifoWithoutWaitingForAWriter) {
  irk::testing::TempDir tmp;
  const fs::path fifo = tmp.path() / "wtmp";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const Result<LoginRecords> got = ReadLoginRecordFile(fifo);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message, "read " + fifo.string() + ": not a regular file (a FIFO)");
}

TEST(ReadLoginRecordFile, RefusesADeviceADirectoryAndASymbolicLink) {
  irk::testing::TempDir tmp;
  Result<LoginRecords> got = ReadLoginRecordFile("/dev/null");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message, "read /dev/null: not a regular file (a character device)");

  got = ReadLoginRecordFile(tmp.path());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message,
            "read " + tmp.path().string() + ": not a regular file (a directory)");

  // Log cleaners link wtmp to /dev/null; the link itself is refused.
  fs::create_symlink("/dev/null", tmp.path() / "wtmp");
  got = ReadLoginRecordFile(tmp.path() / "wtmp");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message,
            "read " + (tmp.path() / "wtmp").string() + ": is a symbolic link (not followed)");
}

TEST(LoginRecordTypeName, NamesTypesAsUtmp5Does) {
  EXPECT_EQ(LoginRecordTypeName(LoginRecordType::kUserProcess), "USER_PROCESS");
  EXPECT_EQ(LoginRecordTypeName(LoginRecordType::kBootTime), "BOOT_TIME");
  EXPECT_EQ(LoginRecordTypeName(LoginRecordType::kUnknown), "UNKNOWN");
}

}  // namespace
}  // namespace irk::logs
