// Small helpers for tests that build file trees in a temp folder.
#pragma once

#include <filesystem>
#include <fstream>
#include <string_view>

namespace irk::integrity::testing {

inline void WriteFile(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace irk::integrity::testing
