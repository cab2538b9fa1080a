// SmtpSend (send.h) in a build without libcurl (the static irk): drafts go
// out through the local mail system's sendmail only.
#include "report/send.h"

namespace irk::report {

bool HasSmtp() { return false; }

Status SmtpSend(const SmtpServer& server, const std::string&, const std::vector<std::string>&,
                std::string_view) {
  return Fail(server.url + ": " + std::string(kNoSmtp));
}

}  // namespace irk::report
