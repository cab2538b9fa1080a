// libFuzzer target: ParsePam on arbitrary bytes, checking that every
// field of an event comes from the message (or is one of the parser's fixed
// words) and that an address is a valid one written in the message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "logs/event.h"
#include "logs/pam.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

// A view into the input, or one of the literals the parser may use.
bool FromInput(std::string_view field, std::string_view input) {
  if (field.empty()) return true;
  if (field.data() >= input.data() && field.data() + field.size() <= input.data() + input.size()) {
    return true;
  }
  for (std::string_view literal : {""}) {
    if (field == literal) return true;
  }
  return false;
}

bool IsAddressChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' ||
         c == '.' || c == '%' || c == '_' || c == '-';
}

// The address was written in the input: as it is, or in another spelling
// ("2001:DB8:0::5", "::ffff:c000:201") as the start of a run of address
// characters, ending at the run's end or before one of its ':' (a port).
bool Occurs(const irk::logs::EventAddress& addr, std::string_view input) {
  if (input.find(addr.view()) != std::string_view::npos) return true;
  if (!addr.is_ip()) return false;
  for (size_t start = 0; start < input.size(); ++start) {
    if (!IsAddressChar(input[start]) || (start > 0 && IsAddressChar(input[start - 1]))) continue;
    for (size_t end = start + 1; end <= input.size(); ++end) {
      const bool run_ends = end == input.size() || !IsAddressChar(input[end]);
      if (run_ends || input[end] == ':') {
        const auto again = irk::logs::EventAddress::ParseIp(input.substr(start, end - start));
        if (again && *again == addr) return true;
      }
      if (run_ends) break;
    }
  }
  return false;
}

void Check(const irk::logs::Parsed& parsed, std::string_view input) {
  if (parsed.what != irk::logs::Parsed::What::kEvent) return;
  const irk::logs::Event& e = parsed.event;
  Require(FromInput(e.user, input) && FromInput(e.method, input) && FromInput(e.key, input) &&
          FromInput(e.command, input) && FromInput(e.reason, input));
  Require(e.time_text.empty() && e.zone.empty() && e.file.empty() && e.host.empty() &&
          e.service.empty() && e.raw.empty() && !e.pid && e.line == 0);
  if (e.addr) {
    Require(irk::logs::EventAddress::Parse(e.addr->view()) == e.addr);
    Require(Occurs(*e.addr, input));
  }
  Require(!e.port);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Check(irk::logs::ParsePam(input), input);
  return 0;
}
