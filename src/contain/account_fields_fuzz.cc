// libFuzzer target: account-file field edits and sshd_config reading on
// arbitrary bytes. The edit must keep every byte outside the edited field.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "contain/account_fields.h"
#include "contain/sshd_config.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The first line names the user; the rest is the file.
  const size_t newline = text.find('\n');
  const std::string_view name = text.substr(0, newline == std::string_view::npos ? 0 : newline);
  const std::string_view file = newline == std::string_view::npos ? text : text.substr(newline + 1);
  // Field 1 is the name itself: setting it would change which line is found.
  for (size_t field = 2; field <= 9; ++field) {
    const auto old = irk::contain::AccountField(file, name, field);
    const auto edited = irk::contain::SetAccountField(file, name, field, "!x");
    Require(old.has_value() == edited.has_value());
    if (edited) {
      Require(edited->size() == file.size() - old->size() + 2);
      Require(irk::contain::AccountField(*edited, name, field) == "!x");
    }
  }
  irk::contain::SshdKeySettings settings;
  irk::contain::ParseSshdConfig(text, settings);
  irk::PasswdEntry user{"u", 1, 1, "", "/home/u", "/bin/sh"};
  for (const auto& pattern : settings.authorized_keys_files) {
    const std::string path = irk::contain::ExpandKeysFile(pattern, user);
    Require(path.empty() || path.front() == '/');
  }
  return 0;
}
