#include "report/abuse.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/testing/temp_dir.h"
#include "report/csirt.h"
#include "report/send.h"
#include "report/testing/sample_report.h"

namespace irk::report {
namespace {

using testing::SampleContacts;
using testing::SampleReport;

Reporter Us() {
  return Reporter{"Ada Admin", "security@example.org", "Example Org", "+1 555 0100"};
}

class AbuseTest : public ::testing::Test {
 protected:
  ::irk::testing::TempDir dir_;
};

TEST_F(AbuseTest, WritesOneDraftPerAbuseMailboxAndNoneWithoutContact) {
  const Report report = SampleReport(dir_.path(), SampleContacts());
  const auto drafts = AbuseDrafts(report, Us(), {});
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].to, "abuse@example.net");
  EXPECT_EQ(drafts[0].sources, std::vector<std::string>{"203.0.113.7"});
  EXPECT_EQ(drafts[0].file_name, "01-abuse_example.net.eml");
  const Envelope envelope = ReadEnvelope(drafts[0].message);
  EXPECT_EQ(envelope.to, "abuse@example.net");
  EXPECT_TRUE(envelope.message_id.starts_with("<" + report.incident_id + "."))
      << envelope.message_id;
  EXPECT_EQ(envelope.subject,
            "[abuse] Unauthorized access from 203.0.113.7 to web1 on "
            "2026-11-26 (UTC) [" +
                report.incident_id + "]");
}

TEST_F(AbuseTest, OnlyDraftsForTheNamedNetworks) {
  const Report report = SampleReport(dir_.path(), SampleContacts());
  EXPECT_TRUE(AbuseDrafts(report, Us(), {*Network::Parse("192.0.2.0/24")}).empty());
  EXPECT_EQ(AbuseDrafts(report, Us(), {*Network::Parse("203.0.113.0/24")}).size(), 1u);
}

TEST_F(AbuseTest, AHostileHostNameStaysInsideTheSubject) {
  Report report = SampleReport(dir_.path(), SampleContacts());
  report.host = "web1\r\nBcc: everyone@example.org";
  const auto drafts = AbuseDrafts(report, Us(), {});
  ASSERT_EQ(drafts.size(), 1u);
  const std::string& m = drafts[0].message;
  const std::string header = m.substr(0, m.find("\r\n\r\n"));
  EXPECT_EQ(header.find("\nBcc:"), std::string::npos) << header;
  for (size_t at = header.find('\n'); at != std::string::npos; at = header.find('\n', at + 1)) {
    EXPECT_EQ(header[at - 1], '\r') << "a bare LF in the header";
  }
}

TEST_F(AbuseTest, XarfHasTheMandatoryFieldsAndTheLinesAsEvidence) {
  const Report report = SampleReport(dir_.path(), SampleContacts());
  const auto xarf = nlohmann::json::parse(XarfJson(report, report.sources[0], Us()));
  for (const char* key : {"xarf_version", "report_id", "timestamp", "reporter", "sender",
                          "source_identifier", "category", "type"}) {
    EXPECT_TRUE(xarf.contains(key)) << key;
  }
  EXPECT_EQ(xarf["xarf_version"], "4.0.0");
  EXPECT_EQ(xarf["source_identifier"], "203.0.113.7");
  EXPECT_EQ(xarf["attempt_count"], 5);
  const std::string id = xarf["report_id"];
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_EQ(xarf["evidence"][0]["hash"].get<std::string>().substr(0, 7), "sha256:");
}

TEST_F(AbuseTest, ReporterComesFromTheReportTable) {
  auto config = ParseConfig(
      "[report]\nname = \"Ada\"\nemail = \"sec@example.org\"\norganisation = \"Ex\"\n", "irk.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto us = ReporterFromConfig(*config);
  ASSERT_TRUE(us.ok()) << us.error().message;
  EXPECT_EQ(us->email, "sec@example.org");
  EXPECT_EQ(us->organisation, "Ex");
  auto bad = ParseConfig("[report]\nemail = \"a@b, c@d\"\n", "irk.toml");
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(ReporterFromConfig(*bad).ok());
}

TEST_F(AbuseTest, IodefEscapesHostTextAndNamesTheSource) {
  const Report report = SampleReport(dir_.path(), SampleContacts());
  const std::string xml = IodefXml(report, Us());
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_NE(xml.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(xml.find("<Address category=\"ipv4-addr\">203.0.113.7</Address>"), std::string::npos);
  const std::string notice = CsirtNotice(report, Us(), "");
  EXPECT_NE(notice.find("8. Severity: high (an account was logged into)."), std::string::npos)
      << notice;
  EXPECT_NE(notice.find("10. Others informed: abuse contacts of the source networks "
                        "(abuse@example.net)"),
            std::string::npos)
      << notice;
}

TEST(ReadEnvelope, UnfoldsHeadersAndStopsAtTheBody) {
  const Envelope e = ReadEnvelope(
      "To: a@example.net\r\nSubject: =?UTF-8?B?YQ==?=\r\n =?UTF-8?B?Yg==?=\r\n\r\nTo: b@x\r\n");
  EXPECT_EQ(e.to, "a@example.net");
  EXPECT_EQ(e.subject, "=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?=");
}

}  // namespace
}  // namespace irk::report
