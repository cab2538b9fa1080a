// HttpGet (rdap.h) through libcurl, loaded on first use. Built when
// IRK_WITH_CURL is on; rdap_http_absent.cc stands in without it.
#include "whois/rdap.h"

#include <memory>
#include <utility>

#include <fmt/format.h>

#include "core/curl_library.h"

namespace irk::whois {
namespace {

size_t Append(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<std::pair<std::string*, size_t>*>(user);
  const size_t bytes = size * count;
  if (sink->first->size() + bytes > sink->second) return 0;  // curl fails the transfer
  sink->first->append(data, bytes);
  return bytes;
}

}  // namespace

Result<std::string> HttpGet(const std::string& url, const Limits& limits, size_t max_bytes) {
  auto loaded = LoadCurl();
  if (!loaded.ok()) return Fail(fmt::format("{}: {}", url, loaded.error().message));
  const CurlLibrary* lib = *loaded;
  std::unique_ptr<CURL, CurlEasyFree> curl(lib->easy_init(), CurlEasyFree{lib});
  if (!curl) return Fail(fmt::format("{}: curl could not start", url));
  std::unique_ptr<curl_slist, CurlSlistFree> headers(
      lib->slist_append(nullptr, "Accept: application/rdap+json, application/json"),
      CurlSlistFree{lib});
  std::string body;
  std::pair<std::string*, size_t> sink{&body, max_bytes};
  CURL* c = curl.get();
  lib->easy_setopt(c, CURLOPT_URL, url.c_str());
  lib->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  lib->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  lib->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  lib->easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
  lib->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  lib->easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  lib->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
  lib->easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total_timeout.count()));
  lib->easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  lib->easy_setopt(c, CURLOPT_USERAGENT, "irk/" IRK_VERSION);
  lib->easy_setopt(c, CURLOPT_WRITEFUNCTION, Append);
  lib->easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = lib->easy_perform(c);
  if (rc == CURLE_WRITE_ERROR) {
    return Fail(fmt::format("{}: answer longer than {} bytes", url, max_bytes));
  }
  if (rc != CURLE_OK) return Fail(fmt::format("{}: {}", url, lib->easy_strerror(rc)));
  long status = 0;
  lib->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return Fail(fmt::format("{}: HTTP status {}", url, status));
  return body;
}

}  // namespace irk::whois
