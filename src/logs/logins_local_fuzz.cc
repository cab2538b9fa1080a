// libFuzzer target: ParseLogin, ParseLogind and ParseDropbear on arbitrary bytes, checking the
// invariants of logs/testing/parsed_checks.h.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logs/logins_local.h"
#include "logs/testing/parsed_checks.h"

namespace {

using irk::logs::testing::CheckParsed;
using irk::logs::testing::Ports;

// The fixed words the parser may put in a field instead of a view.
constexpr std::initializer_list<std::string_view> kLiterals = {"root", "password", "publickey"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckParsed(irk::logs::ParseLogin(input), input, kLiterals, Ports::kWithAddress);
  CheckParsed(irk::logs::ParseLogind(input), input, kLiterals, Ports::kWithAddress);
  CheckParsed(irk::logs::ParseDropbear(input), input, kLiterals, Ports::kWithAddress);
  return 0;
}
