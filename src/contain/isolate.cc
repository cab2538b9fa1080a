#include "contain/isolate.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json.h"
#include "core/time.h"

namespace irk::contain {
namespace {

std::string Elements(const std::vector<Network>& keep, bool v4) {
  std::string list;
  for (const auto& network : keep) {
    if (network.base().is_v4() != v4) continue;
    list += (list.empty() ? "" : ", ") + NetworkText(network);
  }
  return list.empty() ? "" : fmt::format(" elements = {{ {} }};", list);
}

}  // namespace

std::string IsolateTable(const IsolateRequest& request) {
  const std::string dns_in =
      request.keep_dns ? "    udp sport 53 accept\n    tcp sport 53 accept\n" : "";
  const std::string dns_out =
      request.keep_dns ? "    udp dport 53 accept\n    tcp dport 53 accept\n" : "";
  return fmt::format(
      R"(table {table} {{
  set keep4 {{ type ipv4_addr; flags interval;{keep4} }}
  set keep6 {{ type ipv6_addr; flags interval;{keep6} }}
  set isolating {{ type nf_proto; flags timeout; elements = {{ ipv4 timeout {t}s, ipv6 timeout {t}s }}; }}
  chain input {{
    type filter hook input priority -300; policy accept;
    iif "lo" accept
    ip saddr @keep4 accept
    ip6 saddr @keep6 accept
    icmpv6 type {{ nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert }} accept
{dns_in}    meta nfproto @isolating drop
  }}
  chain output {{
    type filter hook output priority -300; policy accept;
    oif "lo" accept
    ip daddr @keep4 accept
    ip6 daddr @keep6 accept
    icmpv6 type {{ nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit }} accept
{dns_out}    meta nfproto @isolating drop
  }}
  chain forward {{
    type filter hook forward priority -300; policy accept;
    meta nfproto @isolating drop
  }}
}}
)",
      fmt::arg("table", kIsolateTable), fmt::arg("keep4", Elements(request.keep, true)),
      fmt::arg("keep6", Elements(request.keep, false)), fmt::arg("t", request.confirm_within),
      fmt::arg("dns_in", dns_in), fmt::arg("dns_out", dns_out));
}

Plan PlanIsolate(std::shared_ptr<Firewall> firewall, const IsolateRequest& request) {
  Plan plan;
  plan.action = "isolate";
  std::string kept;
  for (const auto& network : request.keep) kept += " " + NetworkText(network);
  plan.target = kept.empty() ? "(nothing kept)" : "keep" + kept;
  plan.steps.push_back(Step{
      fmt::format("drop every packet in and out, IPv4 and IPv6, but loopback{}{}; lifts itself "
                  "in {} unless irk isolate --confirm",
                  kept.empty() ? "" : ", and" + kept, request.keep_dns ? ", DNS" : "",
                  FormatDuration(request.confirm_within)),
      [firewall, request](StepContext& context) -> StepResult {
        if (firewall->Run(fmt::format("list table {}", kIsolateTable)).ok()) {
          return StepResult{StepOutcome::kAlreadyDone, "isolated already (irk undo lifts it)"};
        }
        if (auto status = context.Record(JsonObject().Add("kind", "nft_isolate").str());
            !status.ok()) {
          return StepResult{StepOutcome::kFailed, status.error().message};
        }
        auto created = firewall->Run(IsolateTable(request));
        if (!created.ok()) return StepResult{StepOutcome::kFailed, created.error().message};
        return StepResult{StepOutcome::kApplied,
                          fmt::format("confirm within {}: irk isolate --confirm",
                                      FormatDuration(request.confirm_within))};
      }});
  plan.notes.push_back(
      "the kernel lifts isolation by itself when the time runs out (the drop rules match a set "
      "whose elements expire); irk isolate --confirm keeps it until irk undo");
  return plan;
}

Plan PlanConfirmIsolation(std::shared_ptr<Firewall> firewall) {
  Plan plan;
  plan.action = "isolate.confirm";
  plan.target = "isolation";
  plan.steps.push_back(
      Step{"keep the isolation until irk undo (stop its dead-man timer)",
           [firewall](StepContext&) -> StepResult {
             const auto state = ReadIsolation(*firewall);
             if (!firewall->Run(fmt::format("list table {}", kIsolateTable)).ok()) {
               return StepResult{StepOutcome::kFailed, "not isolated: nothing to confirm"};
             }
             if (!state.active) {
               return StepResult{StepOutcome::kFailed,
                                 "too late: the isolation has lifted itself; isolate again"};
             }
             if (!state.lifts_in) return StepResult{StepOutcome::kAlreadyDone, "confirmed already"};
             // One transaction: the elements never lapse between the two commands.
             auto made = firewall->Run(fmt::format(
                 "flush set {0} isolating\nadd element {0} isolating {{ ipv4, ipv6 }}\n",
                 kIsolateTable));
             if (!made.ok()) return StepResult{StepOutcome::kFailed, made.error().message};
             return StepResult{StepOutcome::kApplied, "isolated until irk undo"};
           }});
  return plan;
}

IsolationState ReadIsolation(Firewall& firewall) {
  IsolationState state;
  auto listed = firewall.Run(fmt::format("list set {} isolating", kIsolateTable), /*json=*/true);
  if (!listed.ok()) return state;
  const auto doc = nlohmann::json::parse(*listed, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("nftables") || !doc["nftables"].is_array()) return state;
  for (const auto& item : doc["nftables"]) {
    if (!item.is_object() || !item.contains("set") || !item["set"].contains("elem")) continue;
    for (const auto& elem : item["set"]["elem"]) {
      state.active = true;
      if (elem.is_object() && elem.contains("elem") && elem["elem"].contains("expires") &&
          elem["elem"]["expires"].is_number_integer()) {
        state.lifts_in = elem["elem"]["expires"].get<int64_t>();
      }
    }
  }
  return state;
}

}  // namespace irk::contain
