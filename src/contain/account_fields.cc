#include "contain/account_fields.h"

namespace irk::contain {
namespace {

// Where field `field` of the first line named `name` starts and ends in
// `text`; nullopt when there is none.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

std::optional<Span> FindField(std::string_view text, std::string_view name, size_t field) {
  if (field == 0 || name.empty() || name.find_first_of(":\n") != std::string_view::npos) {
    return std::nullopt;
  }
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line = text.substr(line_start, line_end - line_start);
    if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ':') {
      size_t begin = 0;
      for (size_t i = 1; i < field; ++i) {
        const size_t colon = line.find(':', begin);
        if (colon == std::string_view::npos) return std::nullopt;
        begin = colon + 1;
      }
      const size_t colon = line.find(':', begin);
      const size_t end = colon == std::string_view::npos ? line.size() : colon;
      return Span{line_start + begin, line_start + end};
    }
    line_start = line_end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> AccountField(std::string_view text, std::string_view name,
                                        size_t field) {
  const auto span = FindField(text, name, field);
  if (!span) return std::nullopt;
  return std::string(text.substr(span->begin, span->end - span->begin));
}

std::optional<std::string> SetAccountField(std::string_view text, std::string_view name,
                                           size_t field, std::string_view value) {
  if (value.find_first_of(":\n") != std::string_view::npos) return std::nullopt;
  const auto span = FindField(text, name, field);
  if (!span) return std::nullopt;
  std::string edited(text.substr(0, span->begin));
  edited += value;
  edited += text.substr(span->end);
  return edited;
}

std::string LockedPassword(std::string_view password) {
  if (password.starts_with('!')) return std::string(password);
  return "!" + std::string(password);
}

}  // namespace irk::contain
