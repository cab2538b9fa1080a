// ParseWhoisAnswer on answers written in each registry's documented format
// (tests/data/whois, documentation addresses only), and on hostile ones.
#include "whois/answer.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace irk::whois {
namespace {

std::string Sample(const std::string& name) {
  const char* dir = std::getenv("IRK_TEST_DATA");
  std::ifstream in(std::string(dir ? dir : "tests/data") + "/whois/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

TEST(ParseWhoisAnswer, FollowsIanasReferToTheRegistry) {
  const WhoisAnswer answer = ParseWhoisAnswer(Sample("iana-192.0.2.7.txt"));
  ASSERT_TRUE(answer.referral);
  EXPECT_EQ(*answer.referral, (Referral{"whois.ripe.net", 43, "whois"}));
  EXPECT_EQ(answer.range, "192.0.0.0 - 192.255.255.255");
  EXPECT_EQ(answer.cidrs, std::vector<std::string>{"192.0.0.0/8"});
  EXPECT_TRUE(answer.abuse.email.empty());
}

TEST(ParseWhoisAnswer, ReadsRipesAbuseCommentNetblockOrgAndOrigin) {
  const WhoisAnswer answer = ParseWhoisAnswer(Sample("ripe-192.0.2.7.txt"));
  EXPECT_FALSE(answer.referral);
  EXPECT_EQ(answer.range, "192.0.2.0 - 192.0.2.255");
  EXPECT_EQ(answer.cidrs, std::vector<std::string>{"192.0.2.0/24"});
  EXPECT_EQ(answer.name, "EXAMPLE-NET");
  EXPECT_EQ(answer.org, "Example Hosting B.V.");
  EXPECT_EQ(answer.country, "NL");
  EXPECT_EQ(answer.asn, "AS64496");
  EXPECT_EQ(answer.abuse.email, "abuse@example.net");
  EXPECT_EQ(answer.abuse.source, "abuse-c comment");
}

TEST(ParseWhoisAnswer, PrefersArinsReassignedAbuseAndTakesTheMostSpecificNet) {
  const WhoisAnswer answer = ParseWhoisAnswer(Sample("arin-198.51.100.7.txt"));
  EXPECT_EQ(answer.range, "198.51.100.0 - 198.51.100.255");
  EXPECT_EQ(answer.cidrs, std::vector<std::string>{"198.51.100.0/24"});
  EXPECT_EQ(answer.name, "EXAMPLE-CUST-100");
  EXPECT_EQ(answer.handle, "NET-198-51-100-0-1");
  EXPECT_EQ(answer.org, "Example Customer LLC");
  EXPECT_EQ(answer.country, "US");
  EXPECT_EQ(answer.asn, "AS64501");
  EXPECT_EQ(answer.abuse,
            (AbuseContact{"abuse@customer.example.com", "+1-555-555-0199", "RAbuseEmail"}));
  ASSERT_TRUE(answer.referral);
  EXPECT_EQ(*answer.referral, (Referral{"rwhois.example.com", 4321, "rwhois"}));
}

TEST(ParseWhoisAnswer, FallsBackToOrgAbuseEmailAndNeverToArinsHostmaster) {
  const WhoisAnswer answer = ParseWhoisAnswer(
      "NetRange: 198.51.0.0 - 198.51.255.255\nNetName: X\n\n"
      "OrgTechEmail: hostmaster@arin.net\n\n"
      "OrgAbuseEmail:  hostmaster@arin.net\n\n"
      "OrgAbusePhone: +1-555-555-0100\nOrgAbuseEmail:  abuse@example.com\n");
  EXPECT_EQ(answer.abuse, (AbuseContact{"abuse@example.com", "+1-555-555-0100", "OrgAbuseEmail"}));
}

TEST(ParseWhoisAnswer, ReadsAnRwhoisAnswer) {
  const WhoisAnswer answer = ParseWhoisAnswer(Sample("rwhois-198.51.100.7.txt"));
  EXPECT_EQ(answer.cidrs, std::vector<std::string>{"198.51.100.0/25"});
  EXPECT_EQ(answer.name, "EXAMPLE-DSL-POOL");
  EXPECT_EQ(answer.org, "Example DSL subscribers");
  EXPECT_EQ(answer.abuse.email, "dsl-abuse@customer.example.com");
}

TEST(ParseWhoisAnswer, RefusesApnicsOwnMailboxAndTakesTheIrtAbuseMailbox) {
  const WhoisAnswer answer = ParseWhoisAnswer(Sample("apnic-203.0.113.7.txt"));
  EXPECT_EQ(answer.abuse.email, "abuse@example.org");
  EXPECT_EQ(answer.abuse.source, "irt abuse-mailbox");
  EXPECT_EQ(answer.abuse.phone, "");  // the irt has none; the role's +000000000 is a placeholder
  EXPECT_EQ(answer.org, "Example Networks Pty Ltd");
  EXPECT_EQ(answer.country, "AU");
  EXPECT_EQ(answer.asn, "AS64502");
}

TEST(ParseWhoisAnswer, LeavesLacnicsAbuseHandleToResolve) {
  const WhoisAnswer answer = ParseWhoisAnswer(Sample("lacnic-2001_db8__7.txt"));
  EXPECT_EQ(answer.range, "2001:db8::/32");
  EXPECT_EQ(answer.cidrs, std::vector<std::string>{"2001:db8::/32"});
  EXPECT_EQ(answer.org, "Ejemplo Telecomunicaciones S.A.");
  EXPECT_EQ(answer.handle, "BR-EXTE-LACNIC");
  EXPECT_EQ(answer.asn, "AS64503");
  EXPECT_TRUE(answer.abuse.email.empty());
  EXPECT_EQ(answer.abuse_handle, "EXA2");
}

TEST(ContactForHandle, ReadsTheNicHandlesEmailAndPhone) {
  const auto contact = ContactForHandle(Sample("lacnic-EXA2.txt"), "EXA2");
  ASSERT_TRUE(contact);
  EXPECT_EQ(*contact, (AbuseContact{"abuso@example.com.br", "+55 11 5555-0100", "abuse-c e-mail"}));
  EXPECT_FALSE(ContactForHandle(Sample("lacnic-EXA2.txt"), "OTHER"));
}

TEST(ParseWhoisAnswer, ResolvesAnAbuseHandleFoundInTheSameAnswer) {
  const WhoisAnswer answer = ParseWhoisAnswer(
      "inetnum: 192.0.2/24\nabuse-c: EXA2\n\nnic-hdl: EXA2\ne-mail: abuso@example.com\n");
  EXPECT_EQ(answer.cidrs, std::vector<std::string>{"192.0.2.0/24"});
  EXPECT_EQ(answer.abuse.email, "abuso@example.com");
  EXPECT_EQ(answer.abuse.source, "abuse-c e-mail");
  EXPECT_TRUE(answer.abuse_handle.empty());
}

TEST(ParseWhoisAnswer, TakesAfrinicsAbuseAddressFromARemark) {
  const WhoisAnswer answer = ParseWhoisAnswer(Sample("afrinic-192.0.2.200.txt"));
  EXPECT_EQ(answer.cidrs, std::vector<std::string>{"192.0.2.128/25"});
  EXPECT_EQ(answer.abuse.email, "noc@example.co.za");
  EXPECT_EQ(answer.abuse.source, "remarks");
}

TEST(ParseWhoisAnswer, ReadsWhoisAndBareReferralServers) {
  EXPECT_EQ(*ParseWhoisAnswer("ReferralServer: whois://whois.ripe.net\n").referral,
            (Referral{"whois.ripe.net", 43, "whois"}));
  EXPECT_EQ(*ParseWhoisAnswer("ReferralServer: whois://Whois.Example.net:4343/\n").referral,
            (Referral{"whois.example.net", 4343, "whois"}));
  EXPECT_EQ(*ParseWhoisAnswer("refer: whois.afrinic.net\n").referral,
            (Referral{"whois.afrinic.net", 43, "whois"}));
}

TEST(ParseWhoisAnswer, FollowsApnicsStubForSpaceTransferredAway) {
  const WhoisAnswer answer = ParseWhoisAnswer(
      "inetnum: 203.0.113.0 - 203.0.113.255\nnetname: STUB-203-0-113\n"
      "descr: Transferred to the ARIN region on 2020-01-01T00:00:00Z.\nmnt-by: APNIC-STUB\n");
  ASSERT_TRUE(answer.referral);
  EXPECT_EQ(*answer.referral, (Referral{"whois.arin.net", 43, "whois"}));
  EXPECT_FALSE(ParseWhoisAnswer("descr: Transferred to the moon\n").referral);
}

TEST(ParseWhoisAnswer, RefusesReferralsThatAreNotHostNames) {
  for (const char* bad :
       {"ReferralServer: http://example.net/\n", "refer: host;rm -rf /\n",
        "refer: whois.example.net:99999\n", "refer: $(id).example.net\n", "refer:\n"}) {
    EXPECT_FALSE(ParseWhoisAnswer(bad).referral) << bad;
  }
}

TEST(ParseWhoisAnswer, KeepsHostileTextAsDataAndSkipsHugeLines) {
  const std::string huge = "netname: " + std::string(100000, 'A') + "\n";
  const WhoisAnswer answer =
      ParseWhoisAnswer("inetnum: 192.0.2.0 - 192.0.2.255\r\nnetname: EVIL\x1b[2J\r\n" + huge +
                       "descr: " + std::string(5000, 'b') + "x\n");
  EXPECT_EQ(answer.name, "EVIL\x1b[2J");  // escaped when printed, not here
  EXPECT_EQ(answer.org, "");              // the 5000-byte line was skipped
  const WhoisAnswer cut = ParseWhoisAnswer("descr: " + std::string(900, 'b') + "\n");
  EXPECT_EQ(cut.org.size(), kMaxValue);
}

TEST(ParseWhoisAnswer, TakesNoEmailFromAFieldThatIsNoMailbox) {
  const WhoisAnswer answer = ParseWhoisAnswer(
      "inetnum: 192.0.2.0 - 192.0.2.255\nabuse-mailbox: not an address\n"
      "remarks: contact us@ for abuse\n");
  EXPECT_TRUE(answer.abuse.email.empty());
}

TEST(IsRegistryMailbox, RefusesTheRegistriesOwnAddresses) {
  for (const char* own :
       {"hostmaster@arin.net", "abuse@ripe.net", "search-apnic-not-arin@apnic.net",
        "abuse@lacnic.net", "Hostmaster@ARIN.NET", "abuse@whois.afrinic.net",
        "search-apnic-not-arin@example.net"}) {
    EXPECT_TRUE(IsRegistryMailbox(own)) << own;
  }
  for (const char* other : {"abuse@example.net", "abuse@notarin.net", "hostmaster@example.com"}) {
    EXPECT_FALSE(IsRegistryMailbox(other)) << other;
  }
}

TEST(RangeToCidrs, CoversARangeExactly) {
  EXPECT_EQ(RangeToCidrs("192.0.2.0", "192.0.2.255"), std::vector<std::string>{"192.0.2.0/24"});
  EXPECT_EQ(RangeToCidrs("192.0.2.0", "192.0.3.127"),
            (std::vector<std::string>{"192.0.2.0/24", "192.0.3.0/25"}));
  EXPECT_EQ(RangeToCidrs("0.0.0.0", "255.255.255.255"), std::vector<std::string>{"0.0.0.0/0"});
  EXPECT_EQ(RangeToCidrs("255.255.255.255", "255.255.255.255"),
            std::vector<std::string>{"255.255.255.255/32"});
  EXPECT_EQ(RangeToCidrs("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
            std::vector<std::string>{"2001:db8::/32"});
  EXPECT_EQ(RangeToCidrs("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            std::vector<std::string>{"::/0"});
}

TEST(RangeToCidrs, RefusesMixedReversedAndBadRanges) {
  EXPECT_TRUE(RangeToCidrs("192.0.2.9", "192.0.2.1").empty());
  EXPECT_TRUE(RangeToCidrs("192.0.2.0", "2001:db8::").empty());
  EXPECT_TRUE(RangeToCidrs("x", "192.0.2.1").empty());
  EXPECT_EQ(RangeToCidrs("0.0.0.1", "255.255.255.254").size(), 62u);
}

}  // namespace
}  // namespace irk::whois
