// libFuzzer target: ParseSshd on arbitrary messages, checking that what it
// reports comes from the message itself; and EventAddress::Parse on the
// same bytes, whose text the JSON records copy without escaping.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/json.h"
#include "logs/sshd.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

// A field is empty or a view into the message.
bool Within(std::string_view field, std::string_view message) {
  return field.empty() || (field.data() >= message.data() &&
                           field.data() + field.size() <= message.data() + message.size());
}

bool IsDelimiter(char c) {
  return c == ' ' || c == '[' || c == ']' || c == '(' || c == ')' || c == ',' || c == '=' ||
         c == '\'' || c == '"';
}

// Some stretch of `message` between delimiters (or ending at a ':') reads
// as `addr`: the parser never makes an address up.
bool OccursIn(const irk::logs::EventAddress& addr, std::string_view message) {
  for (size_t begin = 0; begin < message.size(); ++begin) {
    if (begin > 0 && !IsDelimiter(message[begin - 1])) continue;
    const size_t last = std::min(message.size(), begin + 300);
    for (size_t end = begin + 1; end <= last; ++end) {
      if (end < message.size() && !IsDelimiter(message[end]) && message[end] != ':') continue;
      auto parsed = irk::logs::EventAddress::Parse(message.substr(begin, end - begin));
      if (parsed && *parsed == addr) return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  if (auto addr = irk::logs::EventAddress::Parse(message)) {
    Require(irk::IsPlainJsonText(addr->view()));
  }
  const irk::logs::Parsed parsed = irk::logs::ParseSshd(message);
  if (parsed.what != irk::logs::Parsed::What::kEvent) {
    Require(!parsed.event.addr && parsed.event.user.empty());
    return 0;
  }
  const irk::logs::Event& e = parsed.event;
  Require((Within(e.user, message) || e.user == "root") && Within(e.method, message) &&
          Within(e.key, message) && Within(e.client, message) && Within(e.reason, message) &&
          e.command.empty());
  Require(e.time_text.empty() && e.host.empty() && e.service.empty() && !e.pid && e.raw.empty());
  if (e.port) Require(*e.port >= 1);
  if (e.addr) {
    auto again = irk::logs::EventAddress::Parse(e.addr->view());
    Require(again && *again == *e.addr && irk::IsPlainJsonText(e.addr->view()));
    Require(OccursIn(*e.addr, message));
  }
  return 0;
}
