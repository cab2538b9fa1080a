#include "report/contacts.h"

#include <gtest/gtest.h>

namespace irk::report {
namespace {

constexpr const char* kRipe =
    R"({"query":"203.0.113.7","netblock":{"range":"203.0.113.0 - 203.0.113.255",)"
    R"("cidrs":["203.0.113.0/24"],"name":"EXAMPLE-NET","handle":"EX1-RIPE"},"org":"Example )"
    R"(Hosting","country":"NL","asn":"AS64500","abuse":{"email":"abuse@example.net",)"
    R"("phone":"+31 20 555 0100","source":"abuse-c"},"chain":[{"server":"whois.iana.org",)"
    R"("protocol":"whois"}]})";

TEST(ParseSourceContact, ReadsTheFieldsOfIrkWhoisJson) {
  auto contact = ParseSourceContact(kRipe);
  ASSERT_TRUE(contact.ok()) << contact.error().message;
  EXPECT_EQ(contact->query, "203.0.113.7");
  EXPECT_EQ(contact->cidrs, std::vector<std::string>{"203.0.113.0/24"});
  EXPECT_EQ(contact->netname, "EXAMPLE-NET");
  EXPECT_EQ(contact->org, "Example Hosting");
  EXPECT_EQ(contact->country, "NL");
  EXPECT_EQ(contact->asn, "AS64500");
  EXPECT_EQ(contact->abuse_email, "abuse@example.net");
  EXPECT_EQ(contact->abuse_phone, "+31 20 555 0100");
  EXPECT_EQ(contact->abuse_source, "abuse-c");
}

TEST(ParseSourceContact, TakesANumericAsn) {
  auto contact = ParseSourceContact(R"({"query":"192.0.2.1","asn":64501})");
  ASSERT_TRUE(contact.ok()) << contact.error().message;
  EXPECT_EQ(contact->asn, "AS64501");
}

TEST(ParseSourceContact, RefusesAnAbuseAddressThatCouldInjectAHeader) {
  for (const char* email :
       {R"(abuse@example.net\r\nBcc: victim@example.org)", "a@b, c@d", "<a@b>", "no-at-sign",
        "two@at@signs", "\"quoted\"@example.net", "sp ace@example.net"}) {
    const std::string json =
        std::string(R"({"query":"192.0.2.1","abuse":{"email":")") + email + R"("}})";
    EXPECT_FALSE(ParseSourceContact(json).ok()) << email;
  }
}

TEST(ParseSourceContact, RefusesWrongTypesAndBadNetworks) {
  EXPECT_FALSE(ParseSourceContact(R"({"netblock":{}})").ok());  // no query
  EXPECT_FALSE(ParseSourceContact(R"({"query":7})").ok());
  EXPECT_FALSE(ParseSourceContact(R"({"query":"a","netblock":{"cidrs":["x/99"]}})").ok());
  EXPECT_FALSE(ParseSourceContact(R"({"query":"a","netblock":{"cidrs":"1.2.3.0/24"}})").ok());
  EXPECT_FALSE(ParseSourceContact(R"({"query":"a","abuse":[]})").ok());
  EXPECT_FALSE(ParseSourceContact("[1,2]").ok());
  EXPECT_FALSE(ParseSourceContact("{").ok());
}

TEST(ParseContacts, NamesTheLineOfABadObject) {
  auto contacts = ParseContacts(std::string(kRipe) + "\n\n{\"query\":1}\n", "c.json");
  ASSERT_FALSE(contacts.ok());
  EXPECT_EQ(contacts.error().message, "c.json:3: query: not a string");
}

TEST(FindContact, PrefersTheMostSpecificNetwork) {
  auto contacts = ParseContacts(
      R"({"query":"203.0.0.0/16","netblock":{"cidrs":["203.0.0.0/16"]},"abuse":{"email":"wide@example.net"}})"
      "\n"
      R"({"query":"203.0.113.7","netblock":{"cidrs":["203.0.113.0/24"]},"abuse":{"email":"narrow@example.net"}})",
      "c");
  ASSERT_TRUE(contacts.ok()) << contacts.error().message;
  const auto* found = FindContact(*contacts, *IpAddress::Parse("203.0.113.200"));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->abuse_email, "narrow@example.net");
  found = FindContact(*contacts, *IpAddress::Parse("203.0.5.1"));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->abuse_email, "wide@example.net");
  EXPECT_EQ(FindContact(*contacts, *IpAddress::Parse("198.51.100.1")), nullptr);
}

}  // namespace
}  // namespace irk::report
