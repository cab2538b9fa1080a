// libFuzzer target: TimeZone::FromTzif on arbitrary bytes; a zone it accepts
// must convert any time without crashing and within a day and two hours.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "logs/timezone.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto zone = irk::logs::TimeZone::FromTzif(bytes, "fuzz");
  if (!zone.ok()) {
    Require(zone.error().message.starts_with("tzif fuzz: at byte "));
    return 0;
  }
  constexpr int64_t kDay = 26 * 3600;
  for (const int64_t local :
       {int64_t{0}, int64_t{-2208988800}, int64_t{1795698131}, int64_t{1774747800},
        int64_t{1792888200}, int64_t{4102444800}, int64_t{253402300799}, int64_t{-62135596800}}) {
    const int64_t utc = zone->LocalToUtc(local);
    Require(utc - local <= kDay && local - utc <= kDay);
    const int32_t offset = zone->OffsetAt(local);
    Require(offset >= -kDay && offset <= kDay);
  }
  zone->LocalToUtc(INT64_MAX);
  zone->LocalToUtc(INT64_MIN);
  zone->OffsetAt(INT64_MAX);
  zone->OffsetAt(INT64_MIN);
  return 0;
}
