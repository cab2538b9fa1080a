// libFuzzer target: the /proc/net/tcp parser on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "contain/sockets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)irk::contain::ParseProcNetTcp(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
