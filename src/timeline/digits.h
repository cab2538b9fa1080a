// Fixed-width decimal fields, as the stamps of the logs this module reads
// write them.
#pragma once

#include <cstddef>
#include <string_view>

namespace irk::timeline {

// Reads text[at, at + count) as a decimal number into `value`; false when the
// text is shorter or holds anything but digits there.
inline bool ReadDigits(std::string_view text, size_t at, size_t count, int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace irk::timeline
