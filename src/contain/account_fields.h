// The colon-separated account files (passwd, shadow, group, gshadow) edited
// field by field, keeping every other byte as it was. Pure: the text is
// attacker-influenced (a user can set their own gecos), so lines are never
// trusted for structure beyond counting colons.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace irk::contain {

// Field `field` (1-based, as passwd(5) and shadow(5) count: 1 is the name)
// of the first line whose name is `name`; nullopt when there is no such line,
// it has fewer fields, or `name` holds a colon or newline.
std::optional<std::string> AccountField(std::string_view text, std::string_view name, size_t field);

// `text` with that field set to `value` and every other byte kept; nullopt
// when there is no such line, it has fewer fields, or `value` holds a colon
// or a newline.
std::optional<std::string> SetAccountField(std::string_view text, std::string_view name,
                                           size_t field, std::string_view value);

// The shadow(5) fields irk's lock changes.
inline constexpr size_t kShadowPassword = 2;
inline constexpr size_t kShadowExpire = 8;
inline constexpr size_t kPasswdShell = 7;

// The password field locked: "!" in front, unless it already starts with
// "!" (passwd -l, usermod -L and irk all write one "!").
std::string LockedPassword(std::string_view password);

}  // namespace irk::contain
