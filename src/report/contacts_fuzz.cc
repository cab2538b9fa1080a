// Fuzzes the reader of whois contact JSON lines (--contacts).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "report/contacts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto contacts = irk::report::ParseContacts(text, "fuzz");
  if (contacts.ok()) {
    for (const auto& contact : *contacts) {
      // An accepted abuse address is always one header-safe mailbox.
      for (const char c : contact.abuse_email) {
        if (c == '\r' || c == '\n' || c == ',' || c == '<') __builtin_trap();
      }
    }
    if (auto ip = irk::IpAddress::Parse("203.0.113.7")) irk::report::FindContact(*contacts, *ip);
  }
  return 0;
}
