// A base for end-to-end tests on a system image: the image's folder in a
// temporary folder, "now" pinned to 2026-11-26T14:00:00Z, file times set by
// hand, and the arguments that run irk on the image with a case of its own.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::testing {

class ImageTest : public ::testing::Test {
 protected:
  static constexpr int64_t kAt1300 = 1795698000;  // 2026-11-26T13:00:00Z, an hour before "now"

  ImageTest() { setenv("IRK_TEST_NOW", "2026-11-26T14:00:00Z", 1); }
  ~ImageTest() override { unsetenv("IRK_TEST_NOW"); }

  std::filesystem::path image() const { return tmp_.path() / "image"; }

  // "--case CASE --root IMAGE" followed by `rest`.
  std::vector<std::string> Args(const std::vector<std::string>& rest) const {
    std::vector<std::string> args = {"--case", (tmp_.path() / "case").string(), "--root",
                                     image().string()};
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  }

  // Sets the atime and mtime of `path`.
  static void SetMtime(const std::filesystem::path& path, int64_t mtime) {
    const struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  }

 private:
  TempDir tmp_;
};

}  // namespace irk::testing
