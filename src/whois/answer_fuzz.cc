// libFuzzer target: ParseWhoisAnswer and ContactForHandle on arbitrary bytes;
// every field stays within its bound and every CIDR is in normal form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/address.h"
#include "whois/answer.h"

namespace {

// Checked even under NDEBUG, which the fuzz preset sets.
void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const irk::whois::WhoisAnswer answer = irk::whois::ParseWhoisAnswer(input);
  for (const auto* field : {&answer.range, &answer.name, &answer.handle, &answer.org,
                            &answer.country, &answer.asn, &answer.abuse.phone}) {
    Check(field->size() <= irk::whois::kMaxValue);
  }
  Check(answer.cidrs.size() <= 64);
  for (const auto& cidr : answer.cidrs) {
    const auto network = irk::Network::Parse(cidr);
    Check(network && network->ToString() == cidr);
  }
  Check(answer.abuse.email.empty() || !irk::whois::IsRegistryMailbox(answer.abuse.email));
  if (answer.referral) Check(!answer.referral->host.empty() && answer.referral->port > 0);
  if (!answer.abuse_handle.empty()) {
    (void)irk::whois::ContactForHandle(input, answer.abuse_handle);
  }
  return 0;
}
