#include "core/address.h"

#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>

namespace irk {
namespace {

bool IsZoneChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// The longest text of an address without a zone (INET6_ADDRSTRLEN less its
// NUL): six groups of four digits and a dotted quad.
constexpr size_t kMaxAddressText = 45;

// A dotted quad as inet_pton reads one: for IsDottedQuad, Parse, and the
// last two groups of ParseIpv6.
bool ParseIpv4(std::string_view text, uint8_t* bytes) {
  // "0.0.0.0" to "255.255.255.255": four numbers of one to three digits, no
  // leading zero, each after a dot but the first. Read from a copy that ends
  // in a NUL, so a number's next byte can be looked at without a bound check.
  if (text.size() < 7 || text.size() > 15) return false;
  std::array<char, 16> copy{};
  std::copy(text.begin(), text.end(), copy.begin());
  const char* at = copy.data();
  const auto digit = [](char c) { return static_cast<unsigned>(c - '0'); };
  for (int part = 0; part < 4; ++part) {
    if (part > 0 && *at++ != '.') return false;
    unsigned value = digit(at[0]);
    if (value > 9) return false;
    if (digit(at[1]) > 9) {
      at += 1;
    } else if (value == 0) {
      return false;
    } else if (digit(at[2]) > 9) {
      value = value * 10 + digit(at[1]);
      at += 2;
    } else {
      value = value * 100 + digit(at[1]) * 10 + digit(at[2]);
      if (value > 255) return false;
      at += 3;
    }
    bytes[part] = static_cast<uint8_t>(value);
  }
  return at == copy.data() + text.size();
}

// Each byte's value as a hex digit, or 16 for a byte that is none.
constexpr std::array<uint8_t, 256> kHexValue = [] {
  std::array<uint8_t, 256> value{};
  for (int byte = 0; byte < 256; ++byte) {
    if (byte >= '0' && byte <= '9') {
      value[byte] = static_cast<uint8_t>(byte - '0');
    } else if (byte >= 'a' && byte <= 'f') {
      value[byte] = static_cast<uint8_t>(byte - 'a' + 10);
    } else if (byte >= 'A' && byte <= 'F') {
      value[byte] = static_cast<uint8_t>(byte - 'A' + 10);
    } else {
      value[byte] = 16;
    }
  }
  return value;
}();

// RFC 4291 text, as glibc's inet_pton reads it: eight groups of one to four
// hex digits, or fewer with one "::" standing for at least one zero group;
// the last two groups may be a dotted quad. A ':' may only begin the text
// as "::" and only end it as "::".
bool ParseIpv6(std::string_view text, uint8_t* bytes) {
  std::array<uint16_t, 8> groups{};
  size_t count = 0;
  constexpr size_t kNoGap = SIZE_MAX;
  size_t gap = kNoGap;  // where "::" stands, in groups
  size_t pos = 0;
  if (text.starts_with(':')) {
    if (!text.starts_with("::")) return false;
    gap = 0;
    pos = 2;
  }
  while (pos < text.size()) {
    const size_t start = pos;
    unsigned value = 0;
    for (; pos < text.size() && pos - start <= 4; ++pos) {
      const unsigned digit = kHexValue[static_cast<unsigned char>(text[pos])];
      if (digit == 16) break;
      value = value * 16 + digit;
    }
    if (pos - start > 4) return false;
    if (pos < text.size() && text[pos] == '.') {
      std::array<uint8_t, 4> quad{};
      if (count > 6 || !ParseIpv4(text.substr(start), quad.data())) return false;
      groups[count++] = static_cast<uint16_t>(quad[0] << 8 | quad[1]);
      groups[count++] = static_cast<uint16_t>(quad[2] << 8 | quad[3]);
      break;
    }
    if (pos == start || count == groups.size()) return false;
    groups[count++] = static_cast<uint16_t>(value);
    if (pos == text.size()) break;
    if (text[pos] != ':' || ++pos == text.size()) return false;
    if (text[pos] == ':') {
      if (gap != kNoGap) return false;
      gap = count;
      ++pos;
    }
  }
  if (gap != kNoGap) {
    if (count == groups.size()) return false;  // "::" would stand for nothing
    // The groups after the gap move to the end; zeros fill it.
    const size_t after = count - gap;
    std::copy_backward(groups.begin() + static_cast<ptrdiff_t>(gap),
                       groups.begin() + static_cast<ptrdiff_t>(count), groups.end());
    std::fill(groups.begin() + static_cast<ptrdiff_t>(gap),
              groups.end() - static_cast<ptrdiff_t>(after), 0);
  } else if (count != groups.size()) {
    return false;
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    bytes[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xff);
  }
  return true;
}

size_t WriteIpv4(const uint8_t* bytes, char* out) {
  size_t size = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out[size++] = '.';
    const unsigned value = bytes[i];
    if (value >= 100) out[size++] = static_cast<char>('0' + value / 100);
    if (value >= 10) out[size++] = static_cast<char>('0' + value / 10 % 10);
    out[size++] = static_cast<char>('0' + value % 10);
  }
  return size;
}

// RFC 5952 text: lower-case hex without leading zeros, the longest run of
// two or more zero groups (the first of equals) as "::". Written by hand:
// inet_ntop goes through sprintf, and every event's address passes here.
size_t WriteIpv6(const uint8_t* bytes, char* out) {
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i)
    groups[i] = static_cast<uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
  int best_start = -1;
  int best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  size_t size = 0;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out[size++] = ':';
      if (i == 0) out[size++] = ':';
      i += best_length - 1;
      continue;
    }
    // Its hex digits from the highest one that is not zero, or "0".
    const unsigned group = groups[i];
    const int digits = std::max(static_cast<int>(std::bit_width(group)) + 3, 4) / 4;
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
      out[size++] = kHex[(group >> shift) & 0xf];
    }
    if (i < 7) out[size++] = ':';
  }
  return size;
}

// ::ffff:a.b.c.d
bool IsMapped(const std::array<uint8_t, 16>& bytes) {
  static constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                            0, 0, 0, 0, 0xff, 0xff};
  return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
}

}  // namespace

IpAddress IpAddress::FromBytes(const std::array<uint8_t, 16>& bytes) {
  IpAddress address;
  address.bytes_ = bytes;
  if (IsMapped(bytes)) {
    std::fill(address.bytes_.begin(), address.bytes_.begin() + 12, 0);
    address.v4_ = true;
  }
  return address;
}

IpAddress IpAddress::FromV4Bytes(const std::array<uint8_t, 4>& bytes) {
  IpAddress address;
  std::copy(bytes.begin(), bytes.end(), address.bytes_.begin() + 12);
  address.v4_ = true;
  return address;
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  std::string_view zone;
  if (const size_t percent = text.find('%'); percent != std::string_view::npos) {
    zone = text.substr(percent + 1);
    text = text.substr(0, percent);
    if (zone.empty() || zone.size() > 15 ||
        !std::all_of(zone.begin(), zone.end(), [](char c) { return IsZoneChar(c); })) {
      return std::nullopt;
    }
  }
  // The parsers take only digits, hex letters, ':' and '.'.
  if (text.empty() || text.size() > kMaxAddressText) return std::nullopt;
  IpAddress address;
  if (text.find(':') == std::string_view::npos) {
    if (!zone.empty() || !ParseIpv4(text, address.bytes_.data() + 12)) return std::nullopt;
    address.v4_ = true;
    return address;
  }
  if (!ParseIpv6(text, address.bytes_.data())) return std::nullopt;
  if (IsMapped(address.bytes_)) {
    if (!zone.empty()) return std::nullopt;
    return FromBytes(address.bytes_);
  }
  std::copy(zone.begin(), zone.end(), address.zone_.begin());
  address.zone_size_ = static_cast<uint8_t>(zone.size());
  return address;
}

bool IpAddress::IsDottedQuad(std::string_view text) {
  std::array<uint8_t, 4> bytes{};
  return ParseIpv4(text, bytes.data());
}

size_t IpAddress::Write(char* out) const {
  if (v4_) return WriteIpv4(bytes_.data() + 12, out);
  static_assert(kMaxText >= INET6_ADDRSTRLEN + 1 + 15);
  size_t size = WriteIpv6(bytes_.data(), out);
  if (zone_size_ > 0) {
    out[size++] = '%';
    std::copy(zone_.begin(), zone_.begin() + zone_size_, out + size);
    size += zone_size_;
  }
  return size;
}

std::string IpAddress::ToString() const {
  std::array<char, kMaxText> buffer{};
  return std::string(buffer.data(), Write(buffer.data()));
}

std::optional<Network> Network::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  auto address = IpAddress::Parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int max_prefix = address->is_v4() ? 32 : 128;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > max_prefix || (digits.size() > 1 && digits[0] == '0')) {
      return std::nullopt;
    }
  }
  return Around(*address, prefix);
}

Network Network::Around(const IpAddress& address, int prefix) {
  Network network;
  network.base_ = address;
  network.base_.zone_size_ = 0;
  network.base_.zone_ = {};
  network.prefix_ = prefix;
  const int bits = address.is_v4() ? prefix + 96 : prefix;
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(bits - i * 8, 0, 8);
    network.base_.bytes_[i] &= static_cast<uint8_t>(0xff00 >> keep);
  }
  return network;
}

bool Network::Contains(const IpAddress& address) const {
  if (address.is_v4() != base_.is_v4()) return false;
  return Around(address, prefix_).base_.bytes() == base_.bytes();
}

std::string Network::ToString() const { return base_.ToString() + "/" + std::to_string(prefix_); }

}  // namespace irk
