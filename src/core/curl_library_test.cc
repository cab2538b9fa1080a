#include "core/curl_library.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace irk {
namespace {

// True when a libcurl is mapped into this process.
bool CurlMapped() {
  std::ifstream maps("/proc/self/maps");
  std::stringstream text;
  text << maps.rdbuf();
  return text.str().find("/libcurl") != std::string::npos;
}

TEST(LoadCurl, LoadsTheLibraryOnlyWhenFirstCalled) {
  // Each test runs in a process of its own (gtest_discover_tests).
  EXPECT_FALSE(CurlMapped()) << "libcurl is linked, not loaded when needed";
  auto curl = LoadCurl();
  ASSERT_TRUE(curl.ok()) << curl.error().message;
  EXPECT_TRUE(CurlMapped());
  auto again = LoadCurl();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *curl);

  CURL* easy = (*curl)->easy_init();
  ASSERT_NE(easy, nullptr);
  EXPECT_STREQ((*curl)->easy_strerror(CURLE_OK), "No error");
  (*curl)->easy_cleanup(easy);
}

TEST(LoadCurl, TheProgramDoesNotLinkLibcurl) {
  // A module linking libcurl again would load it into every command.
  FILE* pipe = popen("ldd " IRK_BIN " 2>&1", "r");
  ASSERT_NE(pipe, nullptr);
  std::string libraries;
  char buffer[4096];
  while (const size_t n = fread(buffer, 1, sizeof buffer, pipe)) libraries.append(buffer, n);
  ASSERT_EQ(pclose(pipe), 0) << libraries;
  EXPECT_NE(libraries.find("libc.so"), std::string::npos) << libraries;
  EXPECT_EQ(libraries.find("libcurl"), std::string::npos) << libraries;
}

TEST(LoadCurlFrom, AMissingLibrarySaysWhatToInstall) {
  auto curl = LoadCurlFrom("libirk-no-such-curl.so.4");
  ASSERT_FALSE(curl.ok());
  EXPECT_NE(curl.error().message.find("libirk-no-such-curl.so.4"), std::string::npos)
      << curl.error().message;
  EXPECT_NE(curl.error().message.find("apt install libcurl4"), std::string::npos)
      << curl.error().message;
}

TEST(LoadCurlFrom, ALibraryThatIsNotLibcurlIsRefused) {
  auto curl = LoadCurlFrom("libz.so.1");
  ASSERT_FALSE(curl.ok());
  EXPECT_EQ(curl.error().message, "libz.so.1 is not libcurl: it lacks curl_global_init");
}

}  // namespace
}  // namespace irk
