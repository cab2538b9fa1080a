// libFuzzer target: ParseAccessLine on arbitrary bytes, checking what its
// contract states.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string_view>

#include "timeline/access_log.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

bool Within(std::string_view view, std::string_view input) {
  if (view.empty()) return true;
  const std::less_equal<const char*> le;
  return le(input.data(), view.data()) &&
         le(view.data() + view.size(), input.data() + input.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto access = irk::timeline::ParseAccessLine(input);
  if (!access) return 0;
  Require(Within(access->user, input) && Within(access->request, input) &&
          Within(access->time_text, input) && Within(access->zone, input));
  Require(access->status >= 100 && access->status <= 599);
  Require(access->addr.is_ip());
  // The address is the line's first field, which the server writes.
  const auto first = irk::logs::EventAddress::ParseIp(input.substr(0, input.find(' ')));
  Require(first && *first == access->addr);
  const auto event = irk::timeline::AccessEvent(*access, "nginx");
  Require(event.addr && *event.addr == access->addr && event.time == access->time);
  return 0;
}
