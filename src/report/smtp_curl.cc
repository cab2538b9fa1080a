// SmtpSend (send.h) through libcurl. Built when IRK_WITH_CURL is on;
// smtp_absent.cc stands in without it.
#include "report/send.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "report/contacts.h"

namespace irk::report {
namespace {

struct CurlFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

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
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return Fail(fmt::format("{}: curl could not start", server.url));
  curl_slist* list = nullptr;
  for (const std::string& address : to)
    list = curl_slist_append(list, ("<" + address + ">").c_str());
  std::unique_ptr<curl_slist, SlistFree> recipients(list);
  const std::string sender = "<" + from + ">";
  std::string_view rest = message;
  char error[CURL_ERROR_SIZE] = "";
  // The URL's path is the name we greet with (EHLO): our own mail domain.
  std::string url = server.url;
  if (url.find('/', url.find("://") + 3) == std::string::npos) url += "/" + MailDomain(from);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  // Without a user a server that offers no STARTTLS still gets the message
  // (it is a report, not a secret); with one, the password needs TLS.
  curl_easy_setopt(
      c, CURLOPT_USE_SSL,
      server.user.empty() ? static_cast<long>(CURLUSESSL_TRY) : static_cast<long>(CURLUSESSL_ALL));
  if (!server.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, server.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, server.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(server.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(server.total_timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, sender.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(c, CURLOPT_READDATA, &rest);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return Fail(
        fmt::format("{}: {}", server.url, error[0] != '\0' ? error : curl_easy_strerror(rc)));
  }
  return Ok();
}

}  // namespace irk::report
