// A small, fixed incident for the renderers' tests: a case with a block of
// 203.0.113.7 and a hunt record, FTP guesses and an ssh login from it, a
// scan from 198.51.100.4, and log lines that hold HTML and Markdown markup.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "contain/plan.h"
#include "core/case_store.h"
#include "core/json.h"
#include "logs/event.h"
#include "report/model.h"

namespace irk::report::testing {

inline constexpr int64_t kAt1300 = 1795698000;  // 2026-11-26T13:00:00Z

// One event as the reader would hand it over; the strings live in `keep`.
inline logs::Event MakeEvent(std::vector<std::string>& keep, int64_t at, const char* addr,
                             logs::EventKind kind, logs::Outcome outcome, const char* user,
                             const char* service, const std::string& raw, uint64_t line) {
  keep.reserve(1000);
  logs::Event event;
  event.time = Timestamp{at, 0};
  keep.push_back(raw);
  event.raw = keep.back();
  event.time_text = event.raw.substr(0, event.raw[0] == 'T' ? 24 : 15);  // vsftpd, syslog
  event.zone = "UTC";
  event.file = service == std::string("sshd") ? "/var/log/auth.log" : "/var/log/vsftpd.log";
  event.line = line;
  event.host = "web1";
  event.service = service;
  event.kind = kind;
  event.outcome = outcome;
  event.user = user;
  event.addr = logs::EventAddress::Parse(addr);
  return event;
}

// The sample report, its case made in `dir` with the clock pinned.
inline Report SampleReport(const std::filesystem::path& dir,
                           const std::vector<SourceContact>& contacts) {
  int64_t clock = kAt1300 + 1800;
  SetClockForTesting([&clock] { return Timestamp{clock++, 0}; });
  auto store = CaseStore::Open(dir / "case", Actor{R"({"user":"root"})", "irk test"});
  EXPECT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(store->Append("hunt", R"({"high":1,"medium":0,"low":2,"info":0})").ok());
  contain::Plan plan;
  plan.action = "block";
  plan.target = "203.0.113.7";
  plan.steps.push_back(
      {"add 203.0.113.7 to the nftables set inet irk blocked4", [](contain::StepContext& context) {
         (void)context.Record(JsonObject().Add("kind", "nft_element").str());
         return contain::StepResult{contain::StepOutcome::kApplied, ""};
       }});
  EXPECT_TRUE(contain::ApplyPlan(*store, plan, [](const contain::JournaledStep&) {}).ok());
  auto records = store->Records();
  auto chain = store->Verify();
  SetClockForTesting(nullptr);

  std::vector<std::string> keep;
  EventTally tally(BlockedNetworks(contain::ReadActions(*records)));
  using logs::EventKind;
  using logs::Outcome;
  for (int i = 0; i < 3; ++i) {
    tally.Add(MakeEvent(keep, kAt1300 + 70 + i, "203.0.113.7", EventKind::kAuth, Outcome::kFailure,
                        "alice", "vsftpd",
                        "Thu Nov 26 13:01:1" + std::to_string(i) +
                            " 2026 [pid 1234] [alice] FAIL LOGIN: Client \"203.0.113.7\"",
                        1 + i));
  }
  tally.Add(MakeEvent(keep, kAt1300 + 80, "203.0.113.7", EventKind::kAuth, Outcome::kFailure,
                      "<script>document.title='pwned'</script>", "vsftpd",
                      "Thu Nov 26 13:01:20 2026 [pid 1234] [<script>document.title='pwned'"
                      "</script>] FAIL LOGIN: Client \"203.0.113.7\"",
                      4));
  // PAM's line about the same attempt is evidence, not a second attempt.
  logs::Event pam = MakeEvent(keep, kAt1300 + 80, "203.0.113.7", EventKind::kAuth,
                              Outcome::kFailure, "alice", "vsftpd",
                              "Nov 26 13:01:20 web1 vsftpd: pam_unix(vsftpd:auth): authentication "
                              "failure; logname= uid=0 euid=0 tty=ftp ruser=alice "
                              "rhost=203.0.113.7  user=alice",
                              5);
  pam.file = "/var/log/auth.log";
  pam.via_pam = true;
  tally.Add(pam);
  tally.Add(MakeEvent(keep, kAt1300 + 300, "203.0.113.7", EventKind::kAuth, Outcome::kSuccess,
                      "alice", "sshd",
                      "Nov 26 13:05:00 web1 sshd[4300]: Accepted password for alice from "
                      "203.0.113.7 port 40022 ssh2",
                      12));
  tally.Add(MakeEvent(keep, kAt1300 + 400, "198.51.100.4", EventKind::kAuth, Outcome::kFailure,
                      "<img src=x onerror=alert(1)>", "sshd",
                      "Nov 26 13:06:40 web1 sshd[4400]: Invalid user <img src=x onerror=alert(1)> "
                      "from 198.51.100.4 port 5000 ```",
                      13));
  ReportContext context{Timestamp{kAt1300 + 3600, 0}, "web1",       "Europe/Berlin", "/",
                        (dir / "case").string(),      std::nullopt, std::nullopt};
  return BuildReport(context, *records, *chain, std::move(tally), contacts, Selection{});
}

inline std::vector<SourceContact> SampleContacts() {
  SourceContact c;
  c.query = "203.0.113.7";
  c.cidrs = {"203.0.113.0/24"};
  c.netname = "EXAMPLE-NET";
  c.org = "Example Hosting <b>B.V.</b>";
  c.country = "NL";
  c.asn = "AS64500";
  c.abuse_email = "abuse@example.net";
  c.abuse_phone = "+31 20 555 0100";
  c.abuse_source = "abuse-c";
  return {c};
}

}  // namespace irk::report::testing
