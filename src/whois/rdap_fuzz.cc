// libFuzzer target: ParseRdapNetwork, BootstrapUrls and FromJson on arbitrary
// bytes; every field stays within its bound and every URL is http(s).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "whois/rdap.h"
#include "whois/whois.h"

namespace {

// Checked even under NDEBUG, which the fuzz preset sets.
void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto answer = irk::whois::ParseRdapNetwork(input); answer.ok()) {
    for (const auto* field : {&answer->name, &answer->handle, &answer->org, &answer->country,
                              &answer->abuse.email, &answer->abuse.phone}) {
      Check(field->size() <= irk::whois::kMaxValue);
    }
    Check(answer->cidrs.size() <= 64);
    Check(answer->abuse.email.empty() || !irk::whois::IsRegistryMailbox(answer->abuse.email));
  }
  for (const char* address : {"192.0.2.7", "2001:db8::7"}) {
    if (auto urls = irk::whois::BootstrapUrls(input, *irk::IpAddress::Parse(address)); urls.ok()) {
      for (const auto& url : *urls) {
        Check(url.starts_with("https://") || url.starts_with("http://"));
        Check(url.ends_with('/'));
      }
    }
  }
  if (auto result = irk::whois::FromJson(input); result.ok()) {
    Check(!result->query.empty());
    (void)irk::whois::ToJson(*result);
  }
  return 0;
}
