// Lookup: the walk from IANA through the registries' local stand-ins
// (whois_responder.py), the abuse contact each registry's answer gives, the
// evidence and the cache in the case.
#include "whois/whois.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/testing/temp_dir.h"
#include "whois/testing/responder.h"

namespace irk::whois {
namespace {

class LookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(responder_.map().empty()) << "whois_responder.py did not start";
    auto map = ParseServerMap(responder_.map());
    ASSERT_TRUE(map.ok());
    options_.servers = *map;
    // The walk only: with RDAP on, the bundled bootstrap would send these
    // addresses to the real RIRs' servers.
    options_.rdap = false;
    options_.limits.connect_timeout = std::chrono::milliseconds(1000);
    options_.limits.total_timeout = std::chrono::milliseconds(1500);
    auto store = CaseStore::Open(tmp_.path() / "case", Actor{"{}", "irk whois"});
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_.emplace(std::move(store).value());
  }

  Result<WhoisResult> Look(std::string_view address) {
    return Lookup(*store_, *IpAddress::Parse(address), options_);
  }

  testing::Responder responder_{testing::WhoisData()};
  irk::testing::TempDir tmp_;
  LookupOptions options_;
  std::optional<CaseStore> store_;
};

std::vector<std::string> Servers(const WhoisResult& result) {
  std::vector<std::string> servers;
  for (const Hop& hop : result.chain) servers.push_back(hop.server + "/" + hop.protocol);
  return servers;
}

TEST_F(LookupTest, WalksFromIanaToRipeAndTakesTheAbuseComment) {
  auto result = Look("192.0.2.7");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->netblock.range, "192.0.2.0 - 192.0.2.255");
  EXPECT_EQ(result->netblock.cidrs, std::vector<std::string>{"192.0.2.0/24"});
  EXPECT_EQ(result->org, "Example Hosting B.V.");
  EXPECT_EQ(result->asn, "AS64496");
  EXPECT_EQ(result->abuse.email, "abuse@example.net");
  EXPECT_EQ(result->abuse.source, "whois.ripe.net abuse-c comment");
  EXPECT_EQ(Servers(*result),
            (std::vector<std::string>{"whois.iana.org/whois", "whois.ripe.net/whois"}));
}

TEST_F(LookupTest, FollowsArinsReferralToRwhois) {
  auto result = Look("198.51.100.7");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(Servers(*result),
            (std::vector<std::string>{"whois.iana.org/whois", "whois.arin.net/whois",
                                      "rwhois.example.com:4321/rwhois"}));
  EXPECT_EQ(result->netblock.cidrs, std::vector<std::string>{"198.51.100.0/25"});
  EXPECT_EQ(result->abuse.email, "dsl-abuse@customer.example.com");
  EXPECT_EQ(result->abuse.source, "rwhois.example.com remarks");
}

TEST_F(LookupTest, KeepsArinsContactWhenItsRwhoisServerIsDown) {
  options_.servers["rwhois.example.com"] = Endpoint{"127.0.0.1", 1};
  auto result = Look("198.51.100.7");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->abuse.email, "abuse@customer.example.com");
  EXPECT_EQ(result->abuse.source, "whois.arin.net RAbuseEmail");
  EXPECT_EQ(result->netblock.name, "EXAMPLE-CUST-100");
  ASSERT_FALSE(result->notes.empty());
  EXPECT_NE(result->notes.back().find("rwhois.example.com:4321: 127.0.0.1:1: connect"),
            std::string::npos)
      << result->notes.back();
}

TEST_F(LookupTest, TakesApnicsIrtMailboxNotApnicsOwn) {
  auto result = Look("203.0.113.7");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->abuse.email, "abuse@example.org");
  EXPECT_EQ(result->abuse.source, "whois.apnic.net irt abuse-mailbox");
}

TEST_F(LookupTest, ResolvesLacnicsAbuseHandleWithASecondQuery) {
  auto result = Look("2001:db8::7");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->abuse.email, "abuso@example.com.br");
  EXPECT_EQ(result->abuse.phone, "+55 11 5555-0100");
  EXPECT_EQ(result->abuse.source, "whois.lacnic.net abuse-c e-mail");
  EXPECT_EQ(result->chain.size(), 3u);
  EXPECT_EQ(result->country, "BR");
}

TEST_F(LookupTest, FindsAfrinicsContactInARemark) {
  auto result = Look("192.0.2.200");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->abuse.email, "noc@example.co.za");
  EXPECT_EQ(result->abuse.source, "whois.afrinic.net remarks");
}

TEST_F(LookupTest, KeepsEveryAnswerAsEvidenceAndJournalsItsHash) {
  ASSERT_TRUE(Look("192.0.2.7").ok());
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(tmp_.path() / "case" / "whois")) {
    ++files;
    EXPECT_NE(entry.path().filename().string().find("-whois-whois."), std::string::npos)
        << entry.path();
  }
  EXPECT_EQ(files, 2u);
  auto records = store_->Records();
  ASSERT_TRUE(records.ok());
  size_t whois_records = 0;
  for (const auto& record : *records) {
    if (record.kind != "whois") continue;
    ++whois_records;
    const auto details = nlohmann::json::parse(record.details_json);
    EXPECT_EQ(details["sha256"].get<std::string>().size(), 64u);
    EXPECT_TRUE(std::filesystem::exists(details["file"].get<std::string>()));
  }
  EXPECT_EQ(whois_records, 2u);
}

TEST_F(LookupTest, AnswersFromTheCacheWithoutAskingAgain) {
  auto first = Look("192.0.2.7");
  ASSERT_TRUE(first.ok());
  options_.servers["whois.iana.org"] = Endpoint{"127.0.0.1", 1};  // nothing listens there
  auto second = Look("192.0.2.7");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(ToJson(*second), ToJson(*first));
  auto cached = CachedResult(*store_, *IpAddress::Parse("192.0.2.7"));
  ASSERT_TRUE(cached.ok() && *cached);
  EXPECT_EQ((*cached)->abuse.email, "abuse@example.net");
  EXPECT_FALSE(*CachedResult(*store_, *IpAddress::Parse("192.0.2.8")));
  options_.use_cache = false;
  auto fresh = Look("192.0.2.7");
  ASSERT_FALSE(fresh.ok());
  EXPECT_NE(fresh.error().message.find("no server answered"), std::string::npos);
}

TEST_F(LookupTest, RefusesPrivateAddressesWithoutAsking) {
  for (const char* address : {"10.1.2.3", "192.168.0.1", "127.0.0.1", "::1", "fd00::1"}) {
    auto result = Look(address);
    ASSERT_FALSE(result.ok()) << address;
    EXPECT_NE(result.error().message.find("private"), std::string::npos);
  }
}

TEST_F(LookupTest, StopsAReferralLoop) {
  auto result = Look("192.0.2.99");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->chain.size(), 2u);
  ASSERT_FALSE(result->notes.empty());
  EXPECT_NE(result->notes.back().find("referral loop"), std::string::npos);
}

TEST(WhoisJson, RoundTripsEveryField) {
  WhoisResult result;
  result.query = "192.0.2.7";
  result.netblock = Netblock{"192.0.2.0 - 192.0.2.255", {"192.0.2.0/24"}, "N\x1b[2J", "H"};
  result.org = "O";
  result.country = "NL";
  result.asn = "AS64496";
  result.abuse = AbuseContact{"abuse@example.net", "+31", "s"};
  result.chain = {Hop{"whois.iana.org", "whois"}};
  result.time = "2026-11-27T10:00:00+00:00";
  result.bootstrap = "bundled";
  result.bootstrap_publication = "2026-11-27T00:00:00Z";
  const std::string json = ToJson(result);
  EXPECT_NE(
      json.find(R"("rdap_bootstrap":{"source":"bundled","publication":"2026-11-27T00:00:00Z"})"),
      std::string::npos)
      << json;
  EXPECT_EQ(json.find('\x1b'), std::string::npos);
  auto back = FromJson(json);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(ToJson(*back), json);
  EXPECT_FALSE(FromJson("[1]").ok());
  EXPECT_FALSE(FromJson("{\"query\":").ok());
}

}  // namespace
}  // namespace irk::whois
