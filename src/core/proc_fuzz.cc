// libFuzzer target: the /proc parsers on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/proc.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto stat = irk::ParseProcStat(text)) {
    Require(stat->comm.size() < size);
    (void)irk::TtyName(stat->tty_nr);
  }
  (void)irk::ParseProcStatus(text);
  const std::string joined = irk::JoinCmdline(text);
  Require(joined.size() <= irk::kMaxCmdlineBytes);
  Require(joined.find('\0') == std::string::npos);
  return 0;
}
