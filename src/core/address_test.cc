#include "core/address.h"

#include <arpa/inet.h>

#include <array>
#include <random>
#include <string>
#include <vector>

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

// A dotted quad is taken as written only where Parse would write it the same.
TEST(IpAddress, CallsADottedQuadOnlyWhatParseWritesUnchanged) {
  for (const char* text :
       {"192.0.2.1",    "0.0.0.0",        "255.255.255.255", "10.0.0.10", "",
        "192.0.2",      "192.0.2.256",    "010.0.0.1",       "1.2.3.4 ",  "[1.2.3.4]",
        "1.2.3.4%eth0", "::ffff:1.2.3.4", "1.2.3.4.",        ".1.2.3.4",  "1..2.3",
        "1.2.3.4.5",    "1234.2.3.4",     "1.2.3.00",        "+1.2.3.4",  "1.2.3.-4"}) {
    const auto parsed = IpAddress::Parse(text);
    EXPECT_EQ(IpAddress::IsDottedQuad(text), parsed && parsed->ToString() == text) << text;
  }
  EXPECT_FALSE(IpAddress::IsDottedQuad(std::string("192.0.2.1\0", 10)));
}

TEST(IpAddress, ReadsDottedQuadsAsInetPtonDoes) {
  // Texts of digits and dots, most of them near an address: glibc's
  // inet_pton takes exactly the four numbers of 0 to 255 without leading
  // zeros, as IsDottedQuad must.
  std::mt19937 random(7);
  const std::string alphabet = "0.1.2.5.9";
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    const auto size = std::uniform_int_distribution<size_t>(0, 17)(random);
    for (size_t j = 0; j < size; ++j) {
      text += alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(random)];
    }
    in_addr expected{};
    const bool valid = inet_pton(AF_INET, text.c_str(), &expected) == 1;
    ASSERT_EQ(IpAddress::IsDottedQuad(text), valid) << text;
    // And the same four numbers: written back by inet_ntop, the text itself.
    const auto parsed = IpAddress::Parse(text);
    ASSERT_EQ(parsed.has_value(), valid) << text;
    if (valid) {
      std::array<char, INET_ADDRSTRLEN> written{};
      ASSERT_NE(inet_ntop(AF_INET, &expected, written.data(), written.size()), nullptr);
      ASSERT_EQ(parsed->ToString(), written.data()) << text;
    }
  }
}

// Texts near IPv6 addresses: valid ones in every form (full, with leading
// zeros, with "::" anywhere, with a dotted quad), then bent by a few random
// edits from the bytes an address is made of.
std::string NearIpv6(std::mt19937& random) {
  const auto pick = [&random](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(random);
  };
  static const std::string kHex = "0123456789abcdefABCDEF";
  const bool quad = pick(4) == 0;
  const size_t groups = quad ? 6 : 8;
  std::vector<std::string> parts;
  for (size_t i = 0; i < groups; ++i) {
    std::string group;
    const size_t digits = pick(3) == 0 ? 0 : 1 + pick(4);  // zero groups are common
    for (size_t d = 0; d < digits; ++d) group += kHex[pick(kHex.size())];
    parts.push_back(group.empty() ? "0" : group);
  }
  // "::" in place of a run of groups, or none.
  std::string text;
  const size_t gap = pick(groups + 2);
  const size_t gap_length = 1 + pick(groups);
  for (size_t i = 0; i < groups; ++i) {
    if (i == gap) {
      text += i == 0 ? "::" : ":";
      i += gap_length - 1;
      if (i + 1 >= groups) break;
      continue;
    }
    text += parts[i];
    if (i + 1 < groups || quad) text += ':';
  }
  if (quad) {
    if (text.ends_with("::")) text.pop_back();
    text += std::to_string(pick(300)) + "." + std::to_string(pick(256)) + "." +
            std::to_string(pick(256)) + "." + std::to_string(pick(256));
  }
  static const std::string kBytes = "0123456789abcdefABCDEF:.:";
  for (size_t edits = pick(4); edits > 0 && !text.empty(); --edits) {
    const size_t at = pick(text.size());
    switch (pick(3)) {
      case 0:
        text.erase(at, 1);
        break;
      case 1:
        text.insert(at, 1, kBytes[pick(kBytes.size())]);
        break;
      default:
        text[at] = kBytes[pick(kBytes.size())];
    }
  }
  return text;
}

// IPv6 text is read by irk's own parser: it must take exactly what glibc's
// inet_pton takes, as the same bytes.
TEST(IpAddress, ReadsIpv6AsInetPtonDoes) {
  std::mt19937 random(11);
  size_t valid = 0;
  for (int i = 0; i < 400000; ++i) {
    const std::string text = NearIpv6(random);
    if (text.find(':') == std::string::npos) continue;  // read as IPv4
    std::array<uint8_t, 16> expected{};
    const bool ok = inet_pton(AF_INET6, text.c_str(), expected.data()) == 1;
    const auto parsed = IpAddress::Parse(text);
    ASSERT_EQ(parsed.has_value(), ok) << text;
    if (ok) {
      ++valid;
      ASSERT_EQ(*parsed, IpAddress::FromBytes(expected)) << text;
    }
  }
  // Enough of both kinds for the comparison to mean something.
  EXPECT_GT(valid, 50000u);
  EXPECT_LT(valid, 350000u);
  for (const char* text : {"::",
                           "::1",
                           "1::",
                           "1:2:3:4:5:6:7::",
                           "::2:3:4:5:6:7:8",
                           "1:2:3:4:5:6:7:8::",
                           ":1::",
                           "1::2::3",
                           "1:",
                           ":::",
                           "1:::2",
                           "::ffff:1.2.3.4",
                           "::1.2.3.4",
                           "1:2:3:4:5:6:1.2.3.4",
                           "1:2:3:4:5:6:7:1.2.3.4",
                           "::01.2.3.4",
                           "::1.2.3.4:5",
                           "12345::",
                           "::1234.1.1.1",
                           "::a.1.1.1",
                           "0000:0000:0000:0000:0000:0000:0000:0001"}) {
    std::array<uint8_t, 16> expected{};
    const bool ok = inet_pton(AF_INET6, text, expected.data()) == 1;
    const auto parsed = IpAddress::Parse(text);
    ASSERT_EQ(parsed.has_value(), ok) << text;
    if (ok) {
      EXPECT_EQ(*parsed, IpAddress::FromBytes(expected)) << text;
    }
  }
}

TEST(IpAddress, WritesIpv6AsRfc5952Says) {
  EXPECT_EQ(Normal("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(Normal("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");     // the first of equal runs
  EXPECT_EQ(Normal("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // one zero group stays
  EXPECT_EQ(Normal("0:0:0:0:0:0:0:1"), "::1");
  EXPECT_EQ(Normal("1:0:0:0:0:0:0:0"), "1::");
  EXPECT_EQ(Normal("2001:db8:0:0:0:1:0:0"), "2001:db8::1:0:0");
  EXPECT_EQ(Normal("fe80:0:0:0:abcd:ef01:2345:6789%eth0"), "fe80::abcd:ef01:2345:6789%eth0");
}

TEST(IpAddress, WritesIpv6AsInetNtopDoes) {
  uint64_t state = 88172645463325252ULL;
  for (int n = 0; n < 20000; ++n) {
    std::array<uint8_t, 16> bytes{};
    for (int group = 0; group < 8; ++group) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      if (state % 2 == 0) continue;  // half the groups zero: many runs of zeros
      bytes[2 * group] = static_cast<uint8_t>(state >> 8);
      bytes[2 * group + 1] = static_cast<uint8_t>(state >> 16);
    }
    char expected[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, bytes.data(), expected, sizeof expected);
    // inet_ntop writes IPv4-compatible and mapped forms with a dotted quad.
    if (std::string_view(expected).find('.') != std::string_view::npos) continue;
    auto address = IpAddress::Parse(expected);
    ASSERT_TRUE(address) << expected;
    EXPECT_EQ(address->ToString(), expected);
  }
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
