// libcurl, loaded the first time a command asks a web or mail server (RDAP
// for whois, SMTP for report --send), not each time irk starts: linked in,
// it and the twenty libraries it pulls in cost every command about 8 ms
// before it does anything, and a host without libcurl could not run irk
// at all. Built when IRK_WITH_CURL is on.
#pragma once

#include <curl/curl.h>

#include "core/result.h"

namespace irk {

// The libcurl functions irk calls, found in the loaded library.
struct CurlLibrary {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  void (*easy_cleanup)(CURL*);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

// Deleters for std::unique_ptr, through the loaded library.
struct CurlEasyFree {
  const CurlLibrary* curl;
  void operator()(CURL* easy) const { curl->easy_cleanup(easy); }
};
struct CurlSlistFree {
  const CurlLibrary* curl;
  void operator()(curl_slist* list) const { curl->slist_free_all(list); }
};

// libcurl (libcurl.so.4), loaded and initialized by the first call, which
// later calls return; or why it could not be loaded. Thread-safe.
Result<const CurlLibrary*> LoadCurl();

// Loads the library file `name` (a soname or a path) and finds the
// functions, without calling any: what LoadCurl does first, and what tests
// call with libraries that are missing or are not libcurl.
Result<CurlLibrary> LoadCurlFrom(const char* name);

}  // namespace irk
