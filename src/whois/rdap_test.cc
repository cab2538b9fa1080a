// RDAP: the bootstrap's longest match, the abuse entity wherever a registry
// puts it (tests/data/whois/rdap, documentation addresses only), the GET
// against a local http.server, and Lookup with RDAP first.
#include "whois/rdap.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"
#include "whois/testing/responder.h"
#include "whois/whois.h"

namespace irk::whois {
namespace {

std::string RdapSample(const std::string& address) {
  std::ifstream in(testing::WhoisData() + "/rdap/ip/" + address, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr std::string_view kBootstrap = R"({
  "description": "test bootstrap", "version": "1.0",
  "services": [
    [["192.0.0.0/8"], ["http://rdap.wide.example/", "https://rdap.wide.example/"]],
    [["192.0.2.0/24", "198.51.100.0/24"], ["http://rdap.narrow.example/rdap"]],
    [["2001:db8::/32"], ["https://rdap.v6.example/"]]
  ]})";

TEST(BootstrapUrls, TakesTheLongestPrefixAndHttpsFirst) {
  auto urls = BootstrapUrls(kBootstrap, *IpAddress::Parse("192.0.2.7"));
  ASSERT_TRUE(urls.ok()) << urls.error().message;
  EXPECT_EQ(*urls, std::vector<std::string>{"http://rdap.narrow.example/rdap/"});
  urls = BootstrapUrls(kBootstrap, *IpAddress::Parse("192.0.3.7"));
  EXPECT_EQ(*urls,
            (std::vector<std::string>{"https://rdap.wide.example/", "http://rdap.wide.example/"}));
  urls = BootstrapUrls(kBootstrap, *IpAddress::Parse("2001:db8::7"));
  EXPECT_EQ(*urls, std::vector<std::string>{"https://rdap.v6.example/"});
  EXPECT_TRUE(BootstrapUrls(kBootstrap, *IpAddress::Parse("203.0.113.7"))->empty());
}

TEST(BootstrapUrls, RefusesWhatIsNoBootstrapFile) {
  EXPECT_FALSE(BootstrapUrls("{\"services\": 5}", *IpAddress::Parse("192.0.2.7")).ok());
  EXPECT_FALSE(BootstrapUrls("not json", *IpAddress::Parse("192.0.2.7")).ok());
  auto odd = BootstrapUrls(R"({"services":[[["192.0.2.0/24"],["file:///etc/passwd"]], 7]})",
                           *IpAddress::Parse("192.0.2.7"));
  ASSERT_TRUE(odd.ok());
  EXPECT_TRUE(odd->empty());
}

// The look-up of the URL only: nothing here asks any server.
TEST(BundledBootstrap, SendsAnAddressOfEachRirToThatRir) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"41.0.0.1", "https://rdap.afrinic.net/rdap/"},
      {"197.255.0.1", "https://rdap.afrinic.net/rdap/"},
      {"1.1.1.1", "https://rdap.apnic.net/"},
      {"126.0.0.1", "https://rdap.apnic.net/"},
      {"8.8.8.8", "https://rdap.arin.net/registry/"},
      {"216.0.0.1", "https://rdap.arin.net/registry/"},
      {"193.0.6.139", "https://rdap.db.ripe.net/"},
      {"95.0.0.1", "https://rdap.db.ripe.net/"},
      {"200.160.0.8", "https://rdap.lacnic.net/rdap/"},
      {"177.0.0.1", "https://rdap.lacnic.net/rdap/"},
      {"2c0f:f000::1", "https://rdap.afrinic.net/rdap/"},
      {"2001:4200::1", "https://rdap.afrinic.net/rdap/"},
      {"2400:cb00::1", "https://rdap.apnic.net/"},
      {"2001:dc0::1", "https://rdap.apnic.net/"},
      {"2600::1", "https://rdap.arin.net/registry/"},
      {"2620:0:2d0::1", "https://rdap.arin.net/registry/"},
      {"2a00:1450::1", "https://rdap.db.ripe.net/"},
      {"2003::1", "https://rdap.db.ripe.net/"},
      {"2800:3f0::1", "https://rdap.lacnic.net/rdap/"},
      {"2001:1200::1", "https://rdap.lacnic.net/rdap/"},
  };
  for (const auto& [address, url] : cases) {
    const auto ip = IpAddress::Parse(address);
    ASSERT_TRUE(ip) << address;
    auto urls = BootstrapUrls(BundledBootstrap(!ip->is_v4()), *ip);
    ASSERT_TRUE(urls.ok()) << address << ": " << urls.error().message;
    EXPECT_EQ(*urls, std::vector<std::string>{url}) << address;
  }
  // IANA's own and the reserved blocks belong to no RIR.
  for (const char* address : {"0.0.0.1", "10.0.0.1", "127.0.0.1", "240.0.0.1", "fc00::1"}) {
    const auto ip = IpAddress::Parse(address);
    EXPECT_TRUE(BootstrapUrls(BundledBootstrap(!ip->is_v4()), *ip)->empty()) << address;
  }
}

TEST(BundledBootstrap, IsInIanasFormatWithAPublicationTime) {
  for (const bool v6 : {false, true}) {
    const std::string_view text = BundledBootstrap(v6);
    EXPECT_EQ(BootstrapPublication(text), "2026-11-27T00:00:00Z");
    EXPECT_NE(text.find(R"("version": "1.0")"), std::string_view::npos);
  }
  EXPECT_EQ(BootstrapPublication("not json"), "");
  EXPECT_EQ(BootstrapPublication(kBootstrap), "");
}

TEST(ParseRdapNetwork, TakesRipesTopLevelAbuseEntity) {
  auto answer = ParseRdapNetwork(RdapSample("192.0.2.7"));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->range, "192.0.2.0 - 192.0.2.255");
  EXPECT_EQ(answer->cidrs, std::vector<std::string>{"192.0.2.0/24"});
  EXPECT_EQ(answer->name, "EXAMPLE-NET");
  EXPECT_EQ(answer->org, "Example Hosting B.V.");
  EXPECT_EQ(answer->country, "NL");
  EXPECT_EQ(answer->abuse,
            (AbuseContact{"abuse@example.net", "+31 20 555 0100", "rdap abuse entity"}));
}

TEST(ParseRdapNetwork, FindsArinsAbuseEntityNestedInTheRegistrant) {
  auto answer = ParseRdapNetwork(RdapSample("198.51.100.7"));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->handle, "NET-198-51-100-0-1");
  EXPECT_EQ(answer->asn, "AS64501");
  EXPECT_EQ(answer->org, "Example Customer LLC");
  EXPECT_EQ(answer->abuse,
            (AbuseContact{"abuse@customer.example.com", "+1-555-555-0199", "rdap abuse entity"}));
}

TEST(ParseRdapNetwork, TakesAnAbuseMailboxFromEntitiesWithoutRoles) {
  auto answer = ParseRdapNetwork(RdapSample("192.0.2.200"));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->cidrs, std::vector<std::string>{"192.0.2.128/25"});
  EXPECT_EQ(answer->abuse.email, "abuse@example.co.za");
  EXPECT_EQ(answer->abuse.source, "rdap entity e-mail");
}

TEST(ParseRdapNetwork, RefusesOtherObjectsAndRegistryMailboxes) {
  EXPECT_FALSE(ParseRdapNetwork(R"({"objectClassName":"entity"})").ok());
  EXPECT_FALSE(ParseRdapNetwork("[").ok());
  EXPECT_FALSE(ParseRdapNetwork(std::string(kMaxRdapJson + 1, ' ')).ok());
  auto answer = ParseRdapNetwork(
      R"({"objectClassName":"ip network","entities":[{"roles":["abuse"],"vcardArray":)"
      R"(["vcard",[["email",{},"text","abuse@ripe.net"]]]}]})");
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->abuse.email.empty());
}

class RdapServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(http_.url().empty()) << "python3 -m http.server did not start";
    ASSERT_FALSE(whois_.map().empty()) << "whois_responder.py did not start";
    bootstrap_ = tmp_.path() / "bootstrap.json";
    std::ofstream(bootstrap_) << R"({"services":[[["192.0.2.0/24","198.51.100.0/24",)"
                              << R"("203.0.113.0/24"],[")" << http_.url() << R"("]]]})";
    options_.servers = *ParseServerMap(whois_.map());
    options_.rdap_bootstrap = bootstrap_;
    options_.limits.total_timeout = std::chrono::milliseconds(3000);
    auto store = CaseStore::Open(tmp_.path() / "case", Actor{"{}", "irk whois"});
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_.emplace(std::move(store).value());
  }

  testing::HttpServer http_{testing::WhoisData() + "/rdap"};
  testing::Responder whois_{testing::WhoisData()};
  irk::testing::TempDir tmp_;
  std::filesystem::path bootstrap_;
  LookupOptions options_;
  std::optional<CaseStore> store_;
};

TEST_F(RdapServerTest, GetsAnAnswerAndRefusesAMissingOrHugeOne) {
  auto body = HttpGet(http_.url() + "ip/192.0.2.7", Limits{}, kMaxRdapJson);
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_NE(body->find("EXAMPLE-NET"), std::string::npos);
  auto missing = HttpGet(http_.url() + "ip/192.0.2.8", Limits{}, kMaxRdapJson);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("HTTP status 404"), std::string::npos);
  auto huge = HttpGet(http_.url() + "ip/198.51.100.7", Limits{}, 100);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("longer than 100 bytes"), std::string::npos);
}

TEST_F(RdapServerTest, LookupAsksRdapFirstAndStopsWhenItGivesTheContact) {
  auto result = Lookup(*store_, *IpAddress::Parse("198.51.100.7"), options_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->chain.size(), 1u);
  EXPECT_EQ(result->chain[0].protocol, "rdap");
  EXPECT_EQ(result->chain[0].server, http_.url().substr(7, http_.url().size() - 8));
  EXPECT_EQ(result->abuse.email, "abuse@customer.example.com");
  EXPECT_EQ(result->abuse.source, result->chain[0].server + " rdap abuse entity");
  EXPECT_EQ(result->asn, "AS64501");
}

TEST_F(RdapServerTest, LookupAsksWhoisForTheContactRdapLacks) {
  auto result = Lookup(*store_, *IpAddress::Parse("203.0.113.7"), options_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->chain.size(), 3u);
  EXPECT_EQ(result->chain[0].protocol, "rdap");
  EXPECT_EQ(result->chain[2].server, "whois.apnic.net");
  EXPECT_EQ(result->netblock.name, "EXAMPLE-AP");  // RDAP's netblock kept
  EXPECT_EQ(result->abuse.email, "abuse@example.org");
  EXPECT_EQ(result->asn, "AS64502");  // a gap RDAP left, filled by whois
}

TEST_F(RdapServerTest, LookupSaysWhichBootstrapNamedTheServer) {
  auto result = Lookup(*store_, *IpAddress::Parse("198.51.100.7"), options_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->bootstrap, bootstrap_.string());
  EXPECT_EQ(result->bootstrap_publication, "");
  const auto json = ToJson(*result);
  EXPECT_NE(json.find(R"("rdap_bootstrap":{"source":")" + bootstrap_.string() + "\"}"),
            std::string::npos)
      << json;
  auto again = FromJson(json);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->bootstrap, bootstrap_.string());
}

TEST_F(RdapServerTest, ChoosesTheNamedFileThenTheCasesCopyThenTheBundledOne) {
  const auto v4 = *IpAddress::Parse("192.0.2.7");
  const auto v6 = *IpAddress::Parse("2001:db8::7");
  auto named = ChooseBootstrap(*store_, options_, v6);
  ASSERT_TRUE(named.ok()) << named.error().message;
  EXPECT_EQ(named->source, bootstrap_.string());  // for either family: only it

  options_.rdap_bootstrap.clear();
  auto bundled = ChooseBootstrap(*store_, options_, v4);
  ASSERT_TRUE(bundled.ok());
  EXPECT_EQ(bundled->source, "bundled");
  EXPECT_EQ(bundled->text, BundledBootstrap(false));

  std::filesystem::create_directories(tmp_.path() / "case/rdap");
  std::ofstream(tmp_.path() / "case/rdap/ipv4.json") << kBootstrap;
  auto fetched = ChooseBootstrap(*store_, options_, v4);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->source, "case");
  EXPECT_EQ(fetched->text, kBootstrap);
  auto other_family = ChooseBootstrap(*store_, options_, v6);
  EXPECT_EQ(other_family->source, "bundled");
  EXPECT_EQ(other_family->text, BundledBootstrap(true));

  options_.rdap_bootstrap = tmp_.path() / "missing.json";
  auto missing = ChooseBootstrap(*store_, options_, v4);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing.json: missing"), std::string::npos);
}

TEST_F(RdapServerTest, UpdateBootstrapFetchesAndChecksTheFiles) {
  const auto site = tmp_.path() / "site";
  std::filesystem::create_directories(site);
  std::ofstream(site / "ipv4.json") << kBootstrap;
  std::ofstream(site / "ipv6.json") << kBootstrap;
  testing::HttpServer iana(site.string());
  auto files = UpdateBootstrap(*store_, iana.url(), Limits{});
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->size(), 2u);
  EXPECT_TRUE(std::filesystem::exists(tmp_.path() / "case/rdap/ipv4.json"));
  std::ofstream(site / "ipv6.json", std::ios::trunc) << "<html>not a bootstrap</html>";
  EXPECT_FALSE(UpdateBootstrap(*store_, iana.url(), Limits{}).ok());
}

}  // namespace
}  // namespace irk::whois
