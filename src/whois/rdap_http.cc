// HttpGet (rdap.h) through libcurl. Built when IRK_WITH_CURL is on;
// rdap_http_absent.cc stands in without it.
#include "whois/rdap.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <utility>

#include <fmt/format.h>

namespace irk::whois {
namespace {

size_t Append(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<std::pair<std::string*, size_t>*>(user);
  const size_t bytes = size * count;
  if (sink->first->size() + bytes > sink->second) return 0;  // curl fails the transfer
  sink->first->append(data, bytes);
  return bytes;
}

struct CurlFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

Result<std::string> HttpGet(const std::string& url, const Limits& limits, size_t max_bytes) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return Fail(fmt::format("{}: curl could not start", url));
  std::unique_ptr<curl_slist, SlistFree> headers(
      curl_slist_append(nullptr, "Accept: application/rdap+json, application/json"));
  std::string body;
  std::pair<std::string*, size_t> sink{&body, max_bytes};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total_timeout.count()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "irk/" IRK_VERSION);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_WRITE_ERROR) {
    return Fail(fmt::format("{}: answer longer than {} bytes", url, max_bytes));
  }
  if (rc != CURLE_OK) return Fail(fmt::format("{}: {}", url, curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return Fail(fmt::format("{}: HTTP status {}", url, status));
  return body;
}

}  // namespace irk::whois
