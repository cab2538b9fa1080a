// IP addresses and networks (IPv4, IPv6 with an optional zone, CIDR), parsed
// strictly and written in one normal form, so the same host is the same text
// whichever log named it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace irk {

class IpAddress {
 public:
  // Parses "192.0.2.1", "2001:db8::1", "fe80::1%eth0", "[2001:db8::1]" and
  // "::ffff:192.0.2.1" (an IPv4-mapped IPv6 address, which becomes IPv4).
  // Nothing else: no leading zeros in IPv4 octets ("010.0.0.1" is ambiguous),
  // no host names, no ports. A zone is 1 to 15 letters, digits, '.', '_' or '-'.
  static std::optional<IpAddress> Parse(std::string_view text);
  // Whether `text` is an IPv4 address as Parse takes it, written as a plain
  // dotted quad: then it is its own normal form, and a caller that needs only
  // the text can keep it as written.
  static bool IsDottedQuad(std::string_view text);

  // The address of 16 bytes in network order, as the kernel gives them; an
  // IPv4-mapped one (::ffff:a.b.c.d) becomes IPv4.
  static IpAddress FromBytes(const std::array<uint8_t, 16>& bytes);
  // The IPv4 address of 4 bytes in network order.
  static IpAddress FromV4Bytes(const std::array<uint8_t, 4>& bytes);

  bool is_v4() const { return v4_; }
  // The 16 bytes in network order; an IPv4 address sits in the last 4.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  std::string_view zone() const { return std::string_view(zone_.data(), zone_size_); }

  // The normal form: dotted quad, or RFC 5952 IPv6 text with "%zone".
  std::string ToString() const;
  // The same written into `out` (at least kMaxText bytes) without
  // allocating; returns the length.
  static constexpr size_t kMaxText = 64;
  size_t Write(char* out) const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  friend class Network;

  std::array<uint8_t, 16> bytes_{};
  std::array<char, 15> zone_{};
  uint8_t zone_size_ = 0;
  bool v4_ = false;
};

class Network {
 public:
  // "203.0.113.0/24", "2001:db8::/32", or a single address (a /32 or /128).
  // Host bits set below the prefix are cleared ("192.0.2.7/24" is 192.0.2.0/24).
  static std::optional<Network> Parse(std::string_view text);
  // The network of `prefix` bits around `address`: its /24, its /48.
  static Network Around(const IpAddress& address, int prefix);

  bool Contains(const IpAddress& address) const;
  const IpAddress& base() const { return base_; }
  int prefix() const { return prefix_; }
  std::string ToString() const;  // "203.0.113.0/24"

  friend bool operator==(const Network&, const Network&) = default;

 private:
  IpAddress base_;
  int prefix_ = 0;
};

}  // namespace irk
