// The whois client against local servers (whois_responder.py on 127.0.0.1):
// answers read whole, and slow, silent, huge and cut-off answers ending in a
// clear error within the limits.
#include "whois/client.h"

#include <gtest/gtest.h>

#include "whois/testing/responder.h"

namespace irk::whois {
namespace {

using Clock = std::chrono::steady_clock;

Endpoint At(const testing::Responder& responder, const std::string& name) {
  const std::string text = responder.Endpoint(name);
  const size_t colon = text.rfind(':');
  return Endpoint{text.substr(0, colon), static_cast<uint16_t>(std::stoi(text.substr(colon + 1)))};
}

Limits Short() {
  Limits limits;
  limits.connect_timeout = std::chrono::milliseconds(1000);
  limits.total_timeout = std::chrono::milliseconds(1500);
  limits.max_answer = 64 * 1024;
  return limits;
}

TEST(Query, ReadsAWholeAnswerUntilTheServerCloses) {
  testing::Responder responder(testing::WhoisData());
  ASSERT_FALSE(responder.map().empty()) << "whois_responder.py did not start";
  auto answer = Query(At(responder, "whois.ripe.net"), "-B 192.0.2.7", false, Short());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_NE(answer->find("% Abuse contact for '192.0.2.0 - 192.0.2.255'"), std::string::npos);
  EXPECT_NE(answer->find("This query was served"), std::string::npos);
}

TEST(Query, StopsAnRwhoisAnswerAtItsOkLine) {
  testing::Responder responder(testing::WhoisData());
  const auto start = Clock::now();
  auto answer = Query(At(responder, "rwhois.example.com"), "198.51.100.7", true, Short());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_NE(answer->find("network:IP-Network:198.51.100.0/25"), std::string::npos);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1000));  // did not wait for a close
}

TEST(Query, EndsASlowAnswerAtTheTotalTimeout) {
  testing::Responder responder(testing::WhoisData());
  const auto start = Clock::now();
  auto answer = Query(At(responder, "slow"), "192.0.2.7", false, Short());
  const auto took = Clock::now() - start;
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("no end of the answer within 1500 ms"), std::string::npos)
      << answer.error().message;
  EXPECT_GE(took, std::chrono::milliseconds(1400));
  EXPECT_LT(took, std::chrono::milliseconds(3000));
}

TEST(Query, EndsAnAnswerThatNeverEnds) {
  testing::Responder responder(testing::WhoisData());
  auto answer = Query(At(responder, "silent"), "192.0.2.7", false, Short());
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("no end of the answer"), std::string::npos);
}

TEST(Query, RefusesAHugeAnswer) {
  testing::Responder responder(testing::WhoisData());
  auto answer = Query(At(responder, "huge"), "192.0.2.7", false, Short());
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("answer longer than 65536 bytes"), std::string::npos)
      << answer.error().message;
}

TEST(Query, SaysWhenAnAnswerWasCutOff) {
  testing::Responder responder(testing::WhoisData());
  auto answer = Query(At(responder, "truncated"), "192.0.2.7", false, Short());
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("answer cut off after"), std::string::npos)
      << answer.error().message;
}

TEST(Query, NamesTheServerThatRefusedTheConnection) {
  uint16_t port = 0;
  {
    testing::Responder responder(testing::WhoisData());
    port = At(responder, "slow").port;
  }  // the responder is gone: nothing listens there now
  auto answer = Query(Endpoint{"127.0.0.1", port}, "192.0.2.7", false, Short());
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("127.0.0.1:" + std::to_string(port) + ": connect"),
            std::string::npos)
      << answer.error().message;
}

TEST(ParseServerMap, ReadsNamesHostsAndPorts) {
  auto map = ParseServerMap("Whois.IANA.org=127.0.0.1:4343,whois.ripe.net=[::1]:43");
  ASSERT_TRUE(map.ok()) << map.error().message;
  ASSERT_EQ(map->size(), 2u);
  EXPECT_EQ(map->at("whois.iana.org").host, "127.0.0.1");
  EXPECT_EQ(map->at("whois.iana.org").port, 4343);
  EXPECT_EQ(map->at("whois.ripe.net").host, "[::1]");
  EXPECT_TRUE(ParseServerMap("")->empty());
}

TEST(ParseServerMap, RefusesEntriesWithoutHostOrPort) {
  for (const char* bad : {"whois.iana.org", "=127.0.0.1:43", "a=127.0.0.1", "a=127.0.0.1:0",
                          "a=127.0.0.1:70000", "a=:43"}) {
    EXPECT_FALSE(ParseServerMap(bad).ok()) << bad;
  }
}

TEST(QueryLine, UsesEachRegistrysFlavour) {
  EXPECT_EQ(QueryLine("whois.arin.net", "198.51.100.7"), "n + 198.51.100.7");
  EXPECT_EQ(QueryLine("whois.ripe.net", "192.0.2.7"), "-B 192.0.2.7");
  EXPECT_EQ(QueryLine("whois.apnic.net", "203.0.113.7"), "-B 203.0.113.7");
  EXPECT_EQ(QueryLine("whois.afrinic.net", "192.0.2.200"), "-B 192.0.2.200");
  EXPECT_EQ(QueryLine("whois.iana.org", "192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(QueryLine("whois.lacnic.net", "2001:db8::7"), "2001:db8::7");
}

}  // namespace
}  // namespace irk::whois
