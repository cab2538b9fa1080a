// End to end: `irk hunt --root DIR` on a system image the test builds.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/run_irk.h"
#include "core/testing/temp_dir.h"

namespace irk {
namespace {

void Write(const std::filesystem::path& path, std::string_view text, mode_t mode = 0644) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  chmod(path.c_str(), mode);
}

TEST(HuntCommand, ReportsAnImagesBackdoorsAsJsonMostSevereFirst) {
  testing::TempDir tmp;
  const auto img = tmp.path() / "img";
  Write(img / "etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbackup2:x:0:0::/root:/bin/sh\n");
  Write(img / "var/lib/dpkg/info/base.list", "/usr/bin/true\n");
  Write(img / "tmp/.ICE-unix/\x1b[2Jsh",
        "\x7f"
        "ELF",
        04755);
  Write(img / "etc/cron.d/sync", "* * * * * root /tmp/.ICE-unix/sh\n");
  auto run = testing::RunIrk(
      {"--case", (tmp.path() / "case").string(), "--root", img.string(), "hunt", "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  std::vector<nlohmann::json> lines;
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_GE(lines.size(), 4u) << run.out;
  EXPECT_EQ(lines[0]["severity"], "high");
  std::set<std::string> kinds;
  for (const auto& line : lines) kinds.insert(line["kind"].get<std::string>());
  for (const char* kind : {"uid0", "setuid", "tmp_executable", "persistence"}) {
    EXPECT_TRUE(kinds.contains(kind)) << kind << "\n" << run.out;
  }
}

TEST(HuntCommand, EscapesHostileFileNamesInTheTable) {
  testing::TempDir tmp;
  const auto img = tmp.path() / "img";
  Write(img / "tmp/\x1b[2Jx",
        "\x7f"
        "ELF",
        0755);
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root", img.string(),
                              "hunt", "--only", "tmp_executable"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\\x1b[2Jx"), std::string::npos) << run.out;
}

TEST(HuntCommand, RefusesAnUnknownKind) {
  testing::TempDir tmp;
  auto run =
      testing::RunIrk({"--case", (tmp.path() / "case").string(), "hunt", "--only", "rootkits"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--only rootkits: no such kind"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace irk
