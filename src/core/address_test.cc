#include "core/address.h"

#include <gtest/gtest.h>

namespace irk {
namespace {

std::string Normal(std::string_view text) {
  auto address = IpAddress::Parse(text);
  return address ? address->ToString() : "(none)";
}

TEST(IpAddress, ParsesIpv4AndIpv6InNormalForm) {
  EXPECT_EQ(Normal("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(Normal("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(Normal("[2001:db8::1]"), "2001:db8::1");
}

TEST(IpAddress, ShowsIpv4MappedIpv6AsIpv4) {
  EXPECT_EQ(Normal("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_TRUE(IpAddress::Parse("::ffff:203.0.113.7")->is_v4());
  EXPECT_EQ(*IpAddress::Parse("::ffff:203.0.113.7"), *IpAddress::Parse("203.0.113.7"));
}

TEST(IpAddress, KeepsAZoneOnIpv6Only) {
  EXPECT_EQ(Normal("fe80::1%eth0"), "fe80::1%eth0");
  EXPECT_EQ(Normal("192.0.2.1%eth0"), "(none)");
  EXPECT_EQ(Normal("fe80::1%"), "(none)");
  EXPECT_EQ(Normal("fe80::1%eth0;rm"), "(none)");
  EXPECT_EQ(Normal("fe80::1%0123456789abcdef"), "(none)");
}

TEST(IpAddress, RejectsWhatIsNoAddress) {
  for (const char* text : {"", "host.example", "192.0.2", "192.0.2.256", "010.0.0.1", "1.2.3.4 ",
                           "1.2.3.4:22", "2001:db8::1::2", "::ffff:1.2.3.4%eth0", "[1.2.3.4"}) {
    EXPECT_FALSE(IpAddress::Parse(text)) << text;
  }
  EXPECT_FALSE(IpAddress::Parse(std::string(1000, '1')));
  EXPECT_FALSE(IpAddress::Parse(std::string("192.0.2.1\0junk", 14)));
  EXPECT_FALSE(IpAddress::Parse(std::string("2001:db8::1\0", 12)));
  EXPECT_FALSE(IpAddress::Parse("1.2.3.4."));
  EXPECT_FALSE(IpAddress::Parse(".1.2.3.4"));
  EXPECT_FALSE(IpAddress::Parse("1..2.3"));
  EXPECT_FALSE(IpAddress::Parse("1.2.3.4.5"));
  EXPECT_FALSE(IpAddress::Parse("1234.2.3.4"));
}

TEST(IpAddress, WritesWhatItParsed) {
  for (const char* text : {"0.0.0.0", "10.0.0.1", "255.255.255.255", "198.51.100.42", "2001:db8::1",
                           "fe80::1%eth0", "::"}) {
    EXPECT_EQ(Normal(text), text);
  }
}

TEST(Network, ParsesCidrAndClearsHostBits) {
  auto network = Network::Parse("192.0.2.77/24");
  ASSERT_TRUE(network);
  EXPECT_EQ(network->ToString(), "192.0.2.0/24");
  EXPECT_EQ(Network::Parse("2001:db8:1:2::5/48")->ToString(), "2001:db8:1::/48");
  EXPECT_EQ(Network::Parse("198.51.100.1")->ToString(), "198.51.100.1/32");
  EXPECT_EQ(Network::Parse("0.0.0.0/0")->prefix(), 0);
}

TEST(Network, RejectsBadPrefixes) {
  for (const char* text : {"192.0.2.0/33", "192.0.2.0/", "192.0.2.0/-1", "192.0.2.0/08",
                           "2001:db8::/129", "192.0.2.0/24x"}) {
    EXPECT_FALSE(Network::Parse(text)) << text;
  }
}

TEST(Network, ContainsAddressesOfItsFamilyOnly) {
  auto network = *Network::Parse("203.0.113.0/24");
  EXPECT_TRUE(network.Contains(*IpAddress::Parse("203.0.113.200")));
  EXPECT_TRUE(network.Contains(*IpAddress::Parse("::ffff:203.0.113.9")));
  EXPECT_FALSE(network.Contains(*IpAddress::Parse("203.0.114.1")));
  EXPECT_FALSE(network.Contains(*IpAddress::Parse("::cb00:7101")));
  EXPECT_TRUE(Network::Around(*IpAddress::Parse("2001:db8:aa:bb::1"), 48)
                  .Contains(*IpAddress::Parse("2001:db8:aa:ff::2")));
}

}  // namespace
}  // namespace irk
