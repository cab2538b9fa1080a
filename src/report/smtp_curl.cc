// SmtpSend (send.h) through libcurl, loaded on first use. Built when
// IRK_WITH_CURL is on; smtp_absent.cc stands in without it.
#include "report/send.h"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "core/curl_library.h"
#include "report/contacts.h"

namespace irk::report {
namespace {

// Hands libcurl the message, a piece at a time.
size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* rest = static_cast<std::string_view*>(user);
  const size_t bytes = std::min(size * count, rest->size());
  std::copy_n(rest->data(), bytes, buffer);
  rest->remove_prefix(bytes);
  return bytes;
}

}  // namespace

bool HasSmtp() { return true; }

Status SmtpSend(const SmtpServer& server, const std::string& from,
                const std::vector<std::string>& to, std::string_view message) {
  auto loaded = LoadCurl();
  if (!loaded.ok()) return Fail(fmt::format("{}: {}", server.url, loaded.error().message));
  const CurlLibrary* lib = *loaded;
  std::unique_ptr<CURL, CurlEasyFree> curl(lib->easy_init(), CurlEasyFree{lib});
  if (!curl) return Fail(fmt::format("{}: curl could not start", server.url));
  curl_slist* list = nullptr;
  for (const std::string& address : to)
    list = lib->slist_append(list, ("<" + address + ">").c_str());
  std::unique_ptr<curl_slist, CurlSlistFree> recipients(list, CurlSlistFree{lib});
  const std::string sender = "<" + from + ">";
  std::string_view rest = message;
  char error[CURL_ERROR_SIZE] = "";
  // The URL's path is the name we greet with (EHLO): our own mail domain.
  std::string url = server.url;
  if (url.find('/', url.find("://") + 3) == std::string::npos) url += "/" + MailDomain(from);
  CURL* c = curl.get();
  lib->easy_setopt(c, CURLOPT_URL, url.c_str());
  lib->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  lib->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  lib->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  lib->easy_setopt(c, CURLOPT_NOPROXY, "*");
  lib->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  lib->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  // Without a user a server that offers no STARTTLS still gets the message
  // (it is a report, not a secret); with one, the password needs TLS.
  lib->easy_setopt(
      c, CURLOPT_USE_SSL,
      server.user.empty() ? static_cast<long>(CURLUSESSL_TRY) : static_cast<long>(CURLUSESSL_ALL));
  if (!server.user.empty()) {
    lib->easy_setopt(c, CURLOPT_USERNAME, server.user.c_str());
    lib->easy_setopt(c, CURLOPT_PASSWORD, server.password.c_str());
  }
  lib->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(server.connect_timeout.count()));
  lib->easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(server.total_timeout.count()));
  lib->easy_setopt(c, CURLOPT_MAIL_FROM, sender.c_str());
  lib->easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  lib->easy_setopt(c, CURLOPT_UPLOAD, 1L);
  lib->easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  lib->easy_setopt(c, CURLOPT_READFUNCTION, ReadMessage);
  lib->easy_setopt(c, CURLOPT_READDATA, &rest);
  lib->easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = lib->easy_perform(c);
  if (rc != CURLE_OK) {
    return Fail(
        fmt::format("{}: {}", server.url, error[0] != '\0' ? error : lib->easy_strerror(rc)));
  }
  return Ok();
}

}  // namespace irk::report
