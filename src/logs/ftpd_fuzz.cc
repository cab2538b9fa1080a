// libFuzzer target: the four FTP daemon parsers on arbitrary bytes, checking
// the invariants their contracts state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string_view>

#include "logs/event.h"
#include "logs/ftpd.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

// A view that is empty, lies within `input`, or is one of the users the
// parsers imply ("root", "anonymous").
bool FromInput(std::string_view view, std::string_view input) {
  if (view.empty() || view == "root" || view == "anonymous") return true;
  const std::less_equal<const char*> le;
  return le(input.data(), view.data()) &&
         le(view.data() + view.size(), input.data() + input.size());
}

bool IsAddressChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == ':' || c == '%' || c == '-' || c == '_';
}

// True when one maximal run of address characters in `input` is `addr` as
// EventAddress writes it: every parser takes an address whole from between
// delimiters, so it must be found that way.
bool OccursInInput(const irk::logs::EventAddress& addr, std::string_view input) {
  size_t i = 0;
  while (i < input.size()) {
    if (!IsAddressChar(input[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < input.size() && IsAddressChar(input[j])) ++j;
    const auto run = irk::logs::EventAddress::Parse(input.substr(i, j - i));
    if (run && *run == addr) return true;
    i = j;
  }
  return false;
}

void Check(const irk::logs::Parsed& parsed, std::string_view input) {
  using irk::logs::Parsed;
  if (parsed.what != Parsed::What::kEvent) {
    Require(!parsed.event.addr && parsed.event.user.empty() && parsed.event.reason.empty());
    return;
  }
  const irk::logs::Event& e = parsed.event;
  Require(FromInput(e.user, input) && FromInput(e.reason, input) && FromInput(e.method, input) &&
          FromInput(e.key, input) && FromInput(e.command, input));
  Require(e.kind != irk::logs::EventKind::kAuth || e.outcome != irk::logs::Outcome::kNone);
  // Every FTP event names its client; the normal form parses back to itself.
  Require(e.addr.has_value());
  {
    const auto again = irk::logs::EventAddress::Parse(e.addr->view());
    Require(again && *again == *e.addr && again->is_ip() == e.addr->is_ip());
    Require(OccursInInput(*e.addr, input));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Check(irk::logs::ParseVsftpd(input), input);
  Check(irk::logs::ParseProftpd(input), input);
  Check(irk::logs::ParsePureFtpd(input), input);
  Check(irk::logs::ParseWuFtpd(input), input);
  return 0;
}
