// Fuzzes IpAddress::Parse against glibc's inet_pton: irk reads addresses
// with its own parsers, which must take exactly the texts inet_pton takes,
// as the same bytes, and write them back as text that reads the same.
#include <arpa/inet.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/address.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto parsed = irk::IpAddress::Parse(text);
  if (parsed) {
    // What irk writes reads back as the same address.
    const auto again = irk::IpAddress::Parse(parsed->ToString());
    Check(again && *again == *parsed);
  }
  // inet_pton knows no zones or brackets, and stops at a NUL.
  if (text.find_first_of("%[]") != std::string::npos || text.find('\0') != std::string::npos) {
    return 0;
  }
  if (text.find(':') == std::string::npos) {
    std::array<uint8_t, 4> expected{};
    const bool ok = inet_pton(AF_INET, text.c_str(), expected.data()) == 1;
    Check(parsed.has_value() == ok);
    if (ok) Check(*parsed == irk::IpAddress::FromV4Bytes(expected));
    return 0;
  }
  std::array<uint8_t, 16> expected{};
  const bool ok = inet_pton(AF_INET6, text.c_str(), expected.data()) == 1;
  Check(parsed.has_value() == ok);
  if (ok) Check(*parsed == irk::IpAddress::FromBytes(expected));
  return 0;
}
