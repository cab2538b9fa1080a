#include "logs/event.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace irk::logs {
namespace {

TEST(EventAddress, NormalizesIpAddresses) {
  EXPECT_EQ(EventAddress::Parse("::ffff:203.0.113.7")->view(), "203.0.113.7");
  EXPECT_EQ(EventAddress::Parse("2001:DB8::1")->view(), "2001:db8::1");
  EXPECT_TRUE(EventAddress::Parse("fe80::1%eth0")->is_ip());
}

TEST(EventAddress, KeepsHostNamesButNothingElse) {
  auto host = EventAddress::Parse("dialup-7.example.net.");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->view(), "dialup-7.example.net");
  EXPECT_FALSE(host->is_ip());
  for (const char* bad : {"", "a b", "x;rm", "-rf", "[1.2.3.4", "evil\x1b[2J", "a/b", "a..b", ".",
                          "..", "a.-b", "0.113.."}) {
    EXPECT_FALSE(EventAddress::Parse(bad)) << bad;
  }
  EXPECT_FALSE(EventAddress::Parse(std::string(300, 'a')));
  EXPECT_FALSE(EventAddress::ParseIp("host.example"));
}

TEST(EventAddress, KeepsLongHostNamesWholeAndSharedBetweenCopies) {
  // 64 bytes fit inline; 65 and up to 253 are kept on the heap.
  const std::string label(63, 'h');
  for (const std::string& name :
       {label, label + ".a", label + "." + label + "." + label + "." + std::string(61, 'z')}) {
    auto address = EventAddress::Parse(name);
    ASSERT_TRUE(address) << name.size();
    EXPECT_EQ(address->view(), name);
    const EventAddress copy = *address;
    address = EventAddress::Parse("203.0.113.7");
    EXPECT_EQ(copy.view(), name);
    EXPECT_TRUE(copy == *EventAddress::Parse(name));
    EXPECT_FALSE(copy == *address);
  }
}

TEST(EventAddress, ReadsBackItsOwnTextUnchanged) {
  for (const char* text : {"host.example.", "203.0.113.9", "::ffff:203.0.113.9", "a-b.c"}) {
    auto once = EventAddress::Parse(text);
    ASSERT_TRUE(once) << text;
    auto twice = EventAddress::Parse(once->view());
    ASSERT_TRUE(twice) << text;
    EXPECT_EQ(once->view(), twice->view());
  }
}

TEST(EventKind, NamesRoundTrip) {
  for (auto kind :
       {EventKind::kAuth, EventKind::kRefused, EventKind::kSession, EventKind::kConnection,
        EventKind::kPrivilege, EventKind::kAccount, EventKind::kService}) {
    EXPECT_EQ(ParseEventKind(EventKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseEventKind("login"));
}

TEST(AppendEventJson, WritesTheDesignRecordLeavingOutAbsentFields) {
  Event event;
  event.time = Timestamp{1795698131, 0};
  event.file = "/var/log/auth.log";
  event.line = 812;
  event.host = "web1";
  event.service = "sshd";
  event.pid = 4242;
  event.kind = EventKind::kAuth;
  event.outcome = Outcome::kFailure;
  event.user = "admin";
  event.user_valid = false;
  event.addr = EventAddress::Parse("203.0.113.7");
  event.port = 51234;
  event.method = "password";
  event.raw = "Nov 26 13:02:11 web1 sshd[4242]: Failed password for invalid user admin";
  std::string out;
  AppendEventJson(out, event);
  EXPECT_EQ(out,
            R"({"time":"2026-11-26T13:02:11+00:00","file":"/var/log/auth.log","line":812,)"
            R"("host":"web1","service":"sshd","pid":4242,"kind":"auth","outcome":"failure",)"
            R"("user":"admin","user_valid":false,"addr":"203.0.113.7","port":51234,)"
            R"("method":"password","raw":"Nov 26 13:02:11 web1 sshd[4242]: Failed password for )"
            R"(invalid user admin"})");
}

TEST(AppendEventJson, EscapesHostileTextIntoValidJson) {
  Event event;
  event.kind = EventKind::kRefused;
  event.user = "x\"}\n{\"kind\":\"auth";
  event.raw = std::string_view("a\0b\x1b[2J\xff", 8);
  std::string out;
  AppendEventJson(out, event);
  auto json = nlohmann::json::parse(out);
  EXPECT_EQ(json["user"], "x\"}\n{\"kind\":\"auth");
  EXPECT_EQ(json["kind"], "refused");
  EXPECT_FALSE(json.contains("outcome"));
  EXPECT_EQ(out.find('\n'), std::string::npos);
}

TEST(AppendEventJson, CopiesPartsOfAPlainLineAndEscapesAllElse) {
  // The user as a part of the line, a text of its own, and a view that runs
  // past the end of a plain line into a quote: only the first may be copied.
  const std::string buffer = "Nov 26 13:02:11 web1 su: FAILED su for root by x\"y";
  const std::string_view line = std::string_view(buffer).substr(0, buffer.size() - 2);
  Event event;
  event.kind = EventKind::kPrivilege;
  event.raw = line;
  for (const auto& [user, expected] : std::vector<std::pair<std::string_view, std::string>>{
           {line.substr(line.find("root"), 4), "root"},
           {"a\"b", "a\"b"},
           {std::string_view(buffer).substr(buffer.size() - 3), "x\"y"}}) {
    event.user = user;
    std::string out;
    AppendEventJson(out, event);
    const auto json = nlohmann::json::parse(out);
    EXPECT_EQ(json["user"], expected);
    EXPECT_EQ(json["raw"], std::string(line));
  }
  // A line with a byte to escape: its parts are escaped too.
  const std::string hostile = "Nov 26 13:02:11 web1 su: FAILED su for r\"t\x1b by x";
  event.raw = hostile;
  event.user = std::string_view(hostile).substr(hostile.find("r\""), 4);
  std::string out;
  AppendEventJson(out, event);
  const auto json = nlohmann::json::parse(out);
  EXPECT_EQ(json["user"], "r\"t\x1b");
  EXPECT_EQ(json["raw"], hostile);
}

TEST(AppendEventJson, WritesTheClientsVersionAfterTheKey) {
  Event event;
  event.kind = EventKind::kConnection;
  event.client = "OpenSSH_9.2p1 \"x\"";
  std::string out;
  AppendEventJson(out, event);
  EXPECT_NE(out.find(R"("kind":"connection","client":"OpenSSH_9.2p1 \"x\"")"), std::string::npos)
      << out;
}

TEST(AppendEventJson, WritesNumbersAtTheirLimits) {
  Event event;
  event.time = Timestamp{-62167219200, 0};  // 0000-01-01
  event.line = UINT64_MAX;
  event.pid = INT64_MIN;
  event.port = 0;
  std::string out;
  AppendEventJson(out, event);
  EXPECT_EQ(out, R"({"time":"0000-01-01T00:00:00+00:00","line":18446744073709551615,)"
                 R"("pid":-9223372036854775808,"kind":"auth","port":0})");
  event.time = Timestamp{253402300800, 0};  // 10000-01-01: past the quick path
  event.pid = INT64_MAX;
  out.clear();
  AppendEventJson(out, event);
  EXPECT_TRUE(out.starts_with(R"({"time":"10000-01-01T00:00:00+00:00")")) << out;
  EXPECT_NE(out.find(R"("pid":9223372036854775807,)"), std::string::npos) << out;
}

// The record `writer` writes for `event` into exactly the room it asks for,
// on the heap, where AddressSanitizer sees a byte written past it.
std::string WriteInRoom(EventJsonWriter& writer, const Event& event) {
  const size_t room = writer.Room(event);
  const std::unique_ptr<char[]> buffer(new char[room]);
  char* end = writer.Write(buffer.get(), event);
  EXPECT_LE(end - buffer.get(), static_cast<ptrdiff_t>(room));
  return std::string(buffer.get(), end);
}

TEST(EventJsonWriter, WritesTheWorstTextOfEveryFieldWithinItsRoom) {
  // Every byte a control, escaped as six: the writer's room must hold it all
  // (AddressSanitizer watches the edge).
  const std::string worst(70000, '\x01');
  Event event;
  event.host = event.service = event.user = event.method = event.key = event.client =
      event.command = event.reason = event.raw = event.file = worst;
  const std::string label(60, 'a');
  event.addr = EventAddress::Parse(label + "." + label + "." + label + "." + label);
  ASSERT_TRUE(event.addr);
  event.pid = INT64_MIN;
  event.port = 65535;
  event.line = UINT64_MAX;
  EventJsonWriter writer;
  const std::string out = WriteInRoom(writer, event);
  std::string expected;
  AppendEventJson(expected, event);
  EXPECT_EQ(out, expected);
  EXPECT_EQ(nlohmann::json::parse(out)["raw"], worst);
}

TEST(EventJsonWriter, WritesWhatAppendEventJsonWritesAsTheFileChanges) {
  Event event;
  event.kind = EventKind::kSession;
  event.raw = "line";
  EventJsonWriter writer;
  for (std::string_view file :
       {"/var/log/auth.log", "/var/log/auth.log", "", "/var/log/\"x\x1b", "/var/log/auth.log"}) {
    event.file = file;
    std::string expected;
    AppendEventJson(expected, event);
    EXPECT_EQ(WriteInRoom(writer, event), expected) << file;
  }
}

}  // namespace
}  // namespace irk::logs
