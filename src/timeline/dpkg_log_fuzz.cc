// libFuzzer target: ParseDpkgLine on arbitrary bytes, checking what its
// contract states.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string_view>

#include "timeline/dpkg_log.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

bool Within(std::string_view view, std::string_view input) {
  const std::less_equal<const char*> le;
  return !view.empty() && le(input.data(), view.data()) &&
         le(view.data() + view.size(), input.data() + input.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const irk::logs::TimeZone kZone = irk::logs::TimeZone::Fixed(-4 * 3600);
  const auto change = irk::timeline::ParseDpkgLine(input, kZone);
  if (!change) return 0;
  Require(Within(change->action, input) && Within(change->package, input) &&
          Within(change->old_version, input) && Within(change->new_version, input));
  Require(change->package.find(' ') == std::string_view::npos);
  return 0;
}
