#include "core/curl_library.h"

#include <dlfcn.h>

#include <type_traits>

#include <fmt/format.h>

namespace irk {

Result<CurlLibrary> LoadCurlFrom(const char* name) {
  // Never closed: its functions are used until irk exits.
  void* library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    return Fail(fmt::format(
        "libcurl could not be loaded ({}); install it (apt install libcurl4) to use RDAP and SMTP",
        why != nullptr ? why : name));
  }
  CurlLibrary curl{};
  const char* missing = nullptr;
  const auto find = [library, &missing](const char* symbol, auto& function) {
    function =
        reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(library, symbol));
    if (function == nullptr && missing == nullptr) missing = symbol;
  };
  find("curl_global_init", curl.global_init);
  find("curl_easy_init", curl.easy_init);
  find("curl_easy_setopt", curl.easy_setopt);
  find("curl_easy_perform", curl.easy_perform);
  find("curl_easy_getinfo", curl.easy_getinfo);
  find("curl_easy_cleanup", curl.easy_cleanup);
  find("curl_easy_strerror", curl.easy_strerror);
  find("curl_slist_append", curl.slist_append);
  find("curl_slist_free_all", curl.slist_free_all);
  if (missing != nullptr) return Fail(fmt::format("{} is not libcurl: it lacks {}", name, missing));
  return curl;
}

Result<const CurlLibrary*> LoadCurl() {
  static const Result<CurlLibrary> loaded = []() -> Result<CurlLibrary> {
    auto curl = LoadCurlFrom("libcurl.so.4");
    if (curl.ok() && curl->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      return Fail("libcurl could not start (curl_global_init failed)");
    }
    return curl;
  }();
  if (!loaded.ok()) return loaded.error();
  return &*loaded;
}

}  // namespace irk
