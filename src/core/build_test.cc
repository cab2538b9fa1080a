#include "core/build.h"

#include <netdb.h>
#include <sys/socket.h>

#include <string>

#include <gtest/gtest.h>

namespace irk {
namespace {

TEST(VersionText, NamesTheVersionAndEachMissingFeatureWithItsWorkaround) {
  const std::string text = VersionText();
  EXPECT_EQ(text.rfind("irk " IRK_VERSION, 0), 0u) << text;
  for (const MissingFeature& feature : MissingFeatures()) {
    EXPECT_NE(text.find(std::string(feature.name) + ": " + std::string(feature.workaround)),
              std::string::npos)
        << text;
  }
  if (!IsStaticBuild()) {
    EXPECT_EQ(text, "irk " IRK_VERSION);
  }
}

TEST(MissingFeatures, EachSaysWhatToDoInstead) {
  for (const MissingFeature& feature : MissingFeatures()) {
    EXPECT_FALSE(feature.name.empty());
    EXPECT_FALSE(feature.workaround.empty()) << feature.name;
  }
  // RDAP is one of them exactly when the build has no libcurl.
  bool rdap_missing = false;
  for (const MissingFeature& feature : MissingFeatures()) {
    rdap_missing |= feature.name.find("RDAP") != std::string_view::npos;
  }
  EXPECT_EQ(rdap_missing, !HasRdap());
}

TEST(UseBuiltinNameService, StillResolvesFromEtcHosts) {
  UseBuiltinNameService();
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  ASSERT_EQ(getaddrinfo("localhost", nullptr, &hints, &found), 0);
  ASSERT_NE(found, nullptr);
  freeaddrinfo(found);
}

}  // namespace
}  // namespace irk
