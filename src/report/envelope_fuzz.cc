// Fuzzes the reader of a draft's To:, Cc: and Subject: and the recipients
// taken from them (irk report --send reads whatever .eml files lie in the
// folder it is given, and hands the recipients to the SMTP server).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "report/contacts.h"
#include "report/send.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const irk::report::Envelope envelope = irk::report::ReadEnvelope(text);
  // All come from the header, which is at most 64 KiB.
  if (envelope.to.size() + envelope.cc.size() + envelope.subject.size() > 64 * 1024) {
    __builtin_trap();
  }
  // Nothing but plain mailboxes reaches RCPT TO: no CR, LF, blank or '>'.
  if (auto recipients = irk::report::Recipients(envelope); recipients.ok()) {
    if (recipients->empty()) __builtin_trap();
    for (const auto& address : *recipients) {
      if (!irk::report::IsPlainMailbox(address) ||
          address.find_first_of("\r\n <>,") != std::string::npos) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
