#include "core/address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace irk {
namespace {

bool IsZoneChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// inet_pton accepts no leading zeros in IPv4 on glibc, but says nothing of
// length: bound the text before copying it into a NUL-terminated buffer.
constexpr size_t kMaxAddressText = 45;

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  std::string_view zone;
  if (const size_t percent = text.find('%'); percent != std::string_view::npos) {
    zone = text.substr(percent + 1);
    text = text.substr(0, percent);
    if (zone.empty() || zone.size() > 15 || !std::all_of(zone.begin(), zone.end(), IsZoneChar)) {
      return std::nullopt;
    }
  }
  if (text.empty() || text.size() > kMaxAddressText) return std::nullopt;
  std::array<char, kMaxAddressText + 1> buffer{};
  std::copy(text.begin(), text.end(), buffer.begin());

  IpAddress address;
  if (text.find(':') == std::string_view::npos) {
    if (!zone.empty()) return std::nullopt;
    if (inet_pton(AF_INET, buffer.data(), address.bytes_.data() + 12) != 1) return std::nullopt;
    address.v4_ = true;
    return address;
  }
  if (inet_pton(AF_INET6, buffer.data(), address.bytes_.data()) != 1) return std::nullopt;
  static constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                            0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), address.bytes_.begin())) {
    if (!zone.empty()) return std::nullopt;
    std::fill(address.bytes_.begin(), address.bytes_.begin() + 12, 0);
    address.v4_ = true;
    return address;
  }
  std::copy(zone.begin(), zone.end(), address.zone_.begin());
  address.zone_size_ = static_cast<uint8_t>(zone.size());
  return address;
}

std::string IpAddress::ToString() const {
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  if (v4_) {
    inet_ntop(AF_INET, bytes_.data() + 12, buffer.data(), buffer.size());
    return buffer.data();
  }
  inet_ntop(AF_INET6, bytes_.data(), buffer.data(), buffer.size());
  std::string text = buffer.data();
  if (zone_size_ > 0) {
    text += '%';
    text += zone();
  }
  return text;
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
