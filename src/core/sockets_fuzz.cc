// Any bytes as /proc/net/tcp: sockets or nothing, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/sockets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const irk::TcpSocket& socket : irk::ParseProcNetTcp(text)) {
    if (socket.local.ToString().empty() || socket.remote.ToString().empty()) __builtin_trap();
  }
  (void)irk::ParseSocketLink(text);
  return 0;
}
