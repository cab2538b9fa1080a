// Invariants every service parser keeps, for the fuzz targets: an event's
// text comes from the message (or is one of the parser's fixed words), the
// reader's fields stay unset, and an address is valid and written in the
// message. Checked even under NDEBUG, which the fuzz preset sets.
#pragma once

#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include "logs/event.h"

namespace irk::logs::testing {

inline void Require(bool condition) {
  if (!condition) std::abort();
}

// A view into the input, or one of `literals`.
inline bool FromInput(std::string_view field, std::string_view input,
                      std::initializer_list<std::string_view> literals) {
  if (field.empty()) return true;
  if (field.data() >= input.data() && field.data() + field.size() <= input.data() + input.size()) {
    return true;
  }
  for (std::string_view literal : literals) {
    if (field == literal) return true;
  }
  return false;
}

inline bool IsAddressChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' ||
         c == '.' || c == '%' || c == '_' || c == '-';
}

// The address was written in the input: as it is, or in another spelling
// ("2001:DB8:0::5", "::ffff:c000:201") as the start of a run of address
// characters, ending at the run's end or before one of its ':' (a port).
inline bool Occurs(const EventAddress& addr, std::string_view input) {
  if (input.find(addr.view()) != std::string_view::npos) return true;
  if (!addr.is_ip()) return false;
  for (size_t start = 0; start < input.size(); ++start) {
    if (!IsAddressChar(input[start]) || (start > 0 && IsAddressChar(input[start - 1]))) continue;
    for (size_t end = start + 1; end <= input.size(); ++end) {
      const bool run_ends = end == input.size() || !IsAddressChar(input[end]);
      if (run_ends || input[end] == ':') {
        const auto again = EventAddress::ParseIp(input.substr(start, end - start));
        if (again && *again == addr) return true;
      }
      if (run_ends) break;
    }
  }
  return false;
}

enum class Ports { kNever, kWithAddress };

// Aborts unless `parsed` keeps the invariants above. `literals` are the
// fixed words the parser may put in a field; `ports` says whether it may set
// a port (only ever beside an address).
inline void CheckParsed(const Parsed& parsed, std::string_view input,
                        std::initializer_list<std::string_view> literals, Ports ports) {
  if (parsed.what != Parsed::What::kEvent) return;
  const Event& e = parsed.event;
  Require(FromInput(e.user, input, literals) && FromInput(e.method, input, literals) &&
          FromInput(e.key, input, literals) && FromInput(e.command, input, literals) &&
          FromInput(e.reason, input, literals));
  Require(e.time_text.empty() && e.zone.empty() && e.file.empty() && e.host.empty() &&
          e.service.empty() && e.raw.empty() && !e.pid && e.line == 0);
  if (e.addr) {
    Require(EventAddress::Parse(e.addr->view()) == e.addr);
    Require(Occurs(*e.addr, input));
  }
  if (e.port) Require(ports == Ports::kWithAddress && e.addr.has_value());
}

}  // namespace irk::logs::testing
