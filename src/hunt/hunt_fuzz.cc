// Any bytes as the /proc, /sys and account texts irk hunt parses: values or
// nothing, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hunt/accounts.h"
#include "hunt/files.h"
#include "hunt/network.h"
#include "hunt/processes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)irk::hunt::ParseProcNetPacket(text);
  (void)irk::hunt::ParseInterfaceFlags(text);
  (void)irk::hunt::FindLdPreload(text);
  (void)irk::hunt::ParseExeLink(text);
  (void)irk::hunt::ParseProcModules(text);
  (void)irk::hunt::ModuleName(text);
  if (auto key = irk::hunt::ParseAuthorizedKey(text)) {
    if (!key->fingerprint.starts_with("SHA256:")) __builtin_trap();
  }
  return 0;
}
