// Fuzzes AppendJsonString: whatever the bytes, the JSON text must stay
// within MaxJsonString and be valid UTF-8 that a JSON parser reads back as a
// string, equal to the input when the input is valid UTF-8 and shown by
// EscapeForTerminal exactly as the input is.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/json.h"
#include "core/text.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string json = "x";
  irk::AppendJsonString(json, input);
  Check(json.front() == 'x');
  Check(json.size() - 1 <= irk::MaxJsonString(size));
  const std::string_view text = std::string_view(json).substr(1);
  Check(irk::IsValidUtf8(text));
  // The text itself must be printable: only the escapes carry controls.
  Check(irk::EscapeForTerminal(text) == text);

  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  Check(parsed.is_string());
  const std::string& decoded = parsed.get_ref<const std::string&>();
  Check((decoded == input) == irk::IsValidUtf8(input));
  Check(irk::EscapeForTerminal(decoded) == irk::EscapeForTerminal(input));

  // The same input as a key and a value, beside a fixed member.
  irk::JsonObject object;
  object.Add(input, input).Add("n", size);
  const nlohmann::json parsed_object =
      nlohmann::json::parse(object.str(), nullptr, /*allow_exceptions=*/false);
  Check(parsed_object.is_object());
  if (decoded != "n") {
    Check(parsed_object.size() == 2);
    Check(parsed_object.contains(decoded) && parsed_object.at(decoded) == decoded);
    Check(parsed_object.at("n") == size);
  }
  return 0;
}
