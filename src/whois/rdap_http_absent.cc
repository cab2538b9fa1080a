// HttpGet (rdap.h) in a build without libcurl (the static irk): Debian's
// libcurl archive needs libraries that have none (Kerberos, LDAP), so RDAP
// is off there and whois asks the port-43 servers only.
#include "whois/rdap.h"

namespace irk::whois {

Result<std::string> HttpGet(const std::string& url, const Limits&, size_t) {
  return Fail(url + ": " + std::string(kNoRdap));
}

}  // namespace irk::whois
