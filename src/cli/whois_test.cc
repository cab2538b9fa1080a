// End to end: `irk whois` against local whois servers (whois_responder.py on
// 127.0.0.1, reached through --server-map or IRK_WHOIS_MAP). No test here
// ever reaches a real whois or RDAP server.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/run_irk.h"
#include "core/testing/temp_dir.h"
#include "whois/testing/responder.h"

namespace irk {
namespace {

class WhoisCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(responder_.map().empty()) << "whois_responder.py did not start";
  }

  // irk whois with the whois servers mapped and no RDAP: irk's bundled
  // bootstrap would send these addresses to the real RIRs' RDAP servers.
  testing::IrkRun Whois(std::vector<std::string> args, const std::string& map) {
    std::vector<std::string> all = {
        "--case", (tmp_.path() / "case").string(), "whois", "--no-rdap", "--server-map", map};
    all.insert(all.end(), args.begin(), args.end());
    return testing::RunIrk(all);
  }

  whois::testing::Responder responder_{whois::testing::WhoisData()};
  testing::TempDir tmp_;
};

TEST_F(WhoisCommand, PrintsTheContractsJsonFields) {
  auto run = Whois({"--json", "192.0.2.7"}, responder_.map());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["query"], "192.0.2.7");
  EXPECT_EQ(json["netblock"]["range"], "192.0.2.0 - 192.0.2.255");
  EXPECT_EQ(json["netblock"]["cidrs"], nlohmann::json::array({"192.0.2.0/24"}));
  EXPECT_EQ(json["netblock"]["name"], "EXAMPLE-NET");
  EXPECT_EQ(json["org"], "Example Hosting B.V.");
  EXPECT_EQ(json["country"], "NL");
  EXPECT_EQ(json["asn"], "AS64496");
  EXPECT_EQ(json["abuse"]["email"], "abuse@example.net");
  EXPECT_EQ(json["abuse"]["source"], "whois.ripe.net abuse-c comment");
  ASSERT_EQ(json["chain"].size(), 2u);
  EXPECT_EQ(json["chain"][0]["server"], "whois.iana.org");
  EXPECT_EQ(json["chain"][1]["protocol"], "whois");
  EXPECT_EQ(run.err.find("rdap"), std::string::npos) << run.err;
  EXPECT_FALSE(json.contains("rdap_bootstrap"));
}

TEST_F(WhoisCommand, ReadsTheServerMapFromTheEnvironment) {
  setenv("IRK_WHOIS_MAP", responder_.map().c_str(), 1);
  setenv("IRK_NO_RDAP", "1", 1);
  auto run = testing::RunIrk(
      {"--case", (tmp_.path() / "case").string(), "whois", "--json", "203.0.113.7"});
  unsetenv("IRK_WHOIS_MAP");
  unsetenv("IRK_NO_RDAP");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["abuse"]["email"], "abuse@example.org");
}

// RDAP through a local http.server named by IRK_RDAP_BOOTSTRAP, which
// overrides irk's bundled bootstrap; then through the case's copy that
// --update-bootstrap fetched from a local stand-in for IANA's site.
TEST_F(WhoisCommand, SaysWhichRdapBootstrapNamedTheServer) {
  whois::testing::HttpServer rdap(whois::testing::WhoisData() + "/rdap");
  ASSERT_FALSE(rdap.url().empty()) << "python3 -m http.server did not start";
  const auto site = tmp_.path() / "site";
  std::filesystem::create_directories(site);
  for (const char* name : {"ipv4.json", "ipv6.json"}) {
    std::ofstream(site / name) << R"({"publication":"2026-11-01T12:00:00Z","services":[[[)"
                               << R"("198.51.100.0/24","2001:db8::/32"],[")" << rdap.url()
                               << R"("]]],"version":"1.0"})";
  }
  const std::string named = (site / "ipv4.json").string();
  setenv("IRK_RDAP_BOOTSTRAP", named.c_str(), 1);
  auto run = testing::RunIrk({"--case", (tmp_.path() / "case").string(), "whois", "--server-map",
                              responder_.map(), "--json", "198.51.100.7"});
  unsetenv("IRK_RDAP_BOOTSTRAP");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["chain"][0]["protocol"], "rdap");
  EXPECT_EQ(json["abuse"]["email"], "abuse@customer.example.com");
  EXPECT_EQ(json["rdap_bootstrap"]["source"], named);
  EXPECT_EQ(json["rdap_bootstrap"]["publication"], "2026-11-01T12:00:00Z");

  whois::testing::HttpServer iana(site.string());
  ASSERT_FALSE(iana.url().empty()) << "python3 -m http.server did not start";
  auto update = testing::RunIrk({"--case", (tmp_.path() / "case").string(), "whois",
                                 "--update-bootstrap", "--bootstrap-from", iana.url()});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  run = testing::RunIrk({"--case", (tmp_.path() / "case").string(), "whois", "--server-map",
                         responder_.map(), "--no-cache", "198.51.100.7"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("case (published 2026-11-01T12:00:00Z)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("(rdap)"), std::string::npos) << run.out;
}

TEST_F(WhoisCommand, ShowsAPersonTheContactAndWhereItCameFrom) {
  auto run = Whois({"198.51.100.7"}, responder_.map());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("dsl-abuse@customer.example.com"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("rwhois.example.com remarks"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("whois.iana.org (whois) -> whois.arin.net (whois) -> "
                         "rwhois.example.com:4321 (rwhois)"),
            std::string::npos)
      << run.out;
}

TEST_F(WhoisCommand, EscapesHostileAnswersInTheTable) {
  auto run = Whois({"192.0.2.66"}, responder_.map());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find('\r'), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find('\x07'), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("EVIL\\x1b[2J\\x1b]0;owned\\x07NET"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("abuse@example.net"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("huge.example"), std::string::npos) << run.out;
}

TEST_F(WhoisCommand, AnswersFromTheCaseUntilToldNotTo) {
  ASSERT_EQ(Whois({"--json", "192.0.2.7"}, responder_.map()).exit_code, 0);
  const std::string dead = "whois.iana.org=127.0.0.1:1";
  auto cached = Whois({"--json", "192.0.2.7"}, dead);
  ASSERT_EQ(cached.exit_code, 0) << cached.err;
  EXPECT_EQ(nlohmann::json::parse(cached.out)["abuse"]["email"], "abuse@example.net");
  auto fresh = Whois({"--json", "--no-cache", "192.0.2.7"}, dead);
  EXPECT_EQ(fresh.exit_code, 2);
  EXPECT_NE(fresh.err.find("whois.iana.org: 127.0.0.1:1: connect"), std::string::npos) << fresh.err;
}

TEST_F(WhoisCommand, EndsACutOffAnswerWithAClearError) {
  auto run = Whois({"192.0.2.7"}, "whois.iana.org=" + responder_.Endpoint("truncated"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("whois.iana.org: 127.0.0.1:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("answer cut off after"), std::string::npos) << run.err;
}

TEST_F(WhoisCommand, RefusesABadServerMapAndAPrivateAddress) {
  auto bad = Whois({"192.0.2.7"}, "whois.iana.org");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--server-map: server map entry 'whois.iana.org'"), std::string::npos)
      << bad.err;
  auto lan = Whois({"192.168.1.1"}, responder_.map());
  EXPECT_EQ(lan.exit_code, 2);
  EXPECT_NE(lan.err.find("private"), std::string::npos) << lan.err;
}

// irk report takes each source's abuse contact from what irk whois cached.
TEST_F(WhoisCommand, ReportDraftsGoToTheContactWhoisCached) {
  ASSERT_EQ(Whois({"192.0.2.7"}, responder_.map()).exit_code, 0);
  const auto image = tmp_.path() / "image";
  std::filesystem::create_directories(image / "var/log");
  std::ofstream(image / "var/log/auth.log")
      << "Nov 26 13:05:00 web1 sshd[4300]: Failed password for root from 192.0.2.7 port 40022 "
         "ssh2\n";
  const auto config = tmp_.path() / "irk.toml";
  std::ofstream(config) << "[report]\nemail = \"security@example.com\"\n";
  setenv("IRK_TEST_NOW", "2026-11-26T14:00:00Z", 1);
  const auto drafts = tmp_.path() / "drafts";
  auto run = testing::RunIrk({"--case", (tmp_.path() / "case").string(), "--root", image.string(),
                              "--config", config.string(), "report", "--abuse", "192.0.2.7",
                              "--out", drafts.string()});
  unsetenv("IRK_TEST_NOW");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  std::string to;
  for (const auto& entry : std::filesystem::directory_iterator(drafts)) {
    if (entry.path().extension() != ".eml") continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with("To: ")) to = line;
    }
  }
  EXPECT_EQ(to, "To: abuse@example.net\r") << run.out;
}

}  // namespace
}  // namespace irk
