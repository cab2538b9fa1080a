#include "report/render.h"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/testing/temp_dir.h"
#include "report/testing/sample_report.h"

namespace irk::report {
namespace {

using testing::SampleContacts;
using testing::SampleReport;

// The case folder differs per run, and with it the case's first record and
// every hash after it: the goldens hold CASE, IRK-ID and HASH in their place.
std::string Normalized(std::string text, const std::string& case_dir) {
  for (size_t at = text.find(case_dir); at != std::string::npos; at = text.find(case_dir, at)) {
    text.replace(at, case_dir.size(), "CASE");
  }
  text = std::regex_replace(text, std::regex("IRK-[0-9a-f]{12}"), "IRK-ID");
  return std::regex_replace(text, std::regex("[0-9a-f]{64}"), "HASH");
}

// Compares `actual` with tests/data/report/NAME; IRK_UPDATE_GOLDEN=1 rewrites it.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(std::getenv("IRK_TEST_DATA")) + "/report/" + name;
  if (std::getenv("IRK_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << actual;
  std::ifstream in(path);
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden " << path << " (IRK_UPDATE_GOLDEN=1 rewrites it)";
}

class RenderTest : public ::testing::Test {
 protected:
  ::irk::testing::TempDir dir_;
  std::string case_dir() const { return (dir_.path() / "case").string(); }
};

TEST_F(RenderTest, MarkdownMatchesItsGolden) {
  const Report report = SampleReport(dir_.path(), SampleContacts());
  ExpectGolden("sample.md", Normalized(RenderMarkdown(report), case_dir()));
}

TEST_F(RenderTest, JsonMatchesItsGolden) {
  const Report report = SampleReport(dir_.path(), SampleContacts());
  ExpectGolden("sample.jsonl", Normalized(RenderJson(report), case_dir()));
}

TEST_F(RenderTest, MarkdownEscapesMarkupAndFencesLogLinesSafely) {
  const std::string md = RenderMarkdown(SampleReport(dir_.path(), SampleContacts()));
  // Outside fences, markup is escaped; inside, a line is shown as it was.
  EXPECT_NE(md.find("- Users: \\<script\\>document.title='pwned'\\</script\\> (1 failed"),
            std::string::npos);
  EXPECT_NE(md.find("/var/log/vsftpd.log:4  Thu Nov 26 13:01:20 2026 [pid 1234] [<script>"),
            std::string::npos);
  // The line with ``` sits in a fence of four backticks.
  EXPECT_NE(md.find("````text\n"), std::string::npos);
  EXPECT_NE(md.find("\\<img src=x onerror=alert(1)\\>"), std::string::npos);
}

TEST_F(RenderTest, HtmlHasNoMarkupFromTheHostAndNothingToFetch) {
  const std::string html = RenderHtml(SampleReport(dir_.path(), SampleContacts()));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("[&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;]"),
            std::string::npos);
  EXPECT_NE(html.find("Example Hosting &lt;b&gt;B.V.&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("src=\""), std::string::npos);
  EXPECT_EQ(html.find("href=\""), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
}

TEST_F(RenderTest, JsonLinesCarryTheRawLinesAndTheContact) {
  const std::string json = RenderJson(SampleReport(dir_.path(), SampleContacts()));
  std::istringstream lines(json);
  std::string line;
  std::vector<nlohmann::json> records;
  while (std::getline(lines, line)) records.push_back(nlohmann::json::parse(line));
  ASSERT_GE(records.size(), 3u);
  EXPECT_EQ(records[0]["type"], "report");
  EXPECT_EQ(records[0]["journal"]["intact"], true);
  EXPECT_EQ(records[0]["without_contact"], nlohmann::json::array({"198.51.100.4"}));
  EXPECT_EQ(records[1]["addr"], "203.0.113.7");
  EXPECT_EQ(records[1]["reasons"], nlohmann::json::array({"blocked", "top"}));
  EXPECT_EQ(records[1]["contact"]["abuse"]["email"], "abuse@example.net");
  EXPECT_EQ(records[1]["lines"][3]["raw"],
            "Thu Nov 26 13:01:20 2026 [pid 1234] [<script>document.title='pwned'</script>] FAIL "
            "LOGIN: Client \"203.0.113.7\"");
  EXPECT_EQ(records[2]["addr"], "198.51.100.4");
  EXPECT_TRUE(records[2]["contact"].is_null());
}

TEST_F(RenderTest, AccountsPutTheOneLoggedIntoFirst) {
  const Report report = SampleReport(dir_.path(), SampleContacts());
  ASSERT_FALSE(report.accounts.empty());
  EXPECT_EQ(report.accounts[0].user, "alice");
  EXPECT_EQ(report.accounts[0].successes, 1u);
  EXPECT_EQ(report.accounts[0].logged_in_from, std::vector<std::string>{"203.0.113.7"});
}

}  // namespace
}  // namespace irk::report
