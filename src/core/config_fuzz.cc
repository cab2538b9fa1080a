// Any bytes as a configuration file: a value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto config =
      irk::ParseConfig(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml");
  if (config.ok()) {
    (void)config->Integer("logins.usual_logins", 3, 1, 100);
    (void)config->Strings("integrity.paths", {});
  }
  return 0;
}
