#include "watch/respond.h"

#include <algorithm>

#include <fmt/format.h>

#include "contain/kill.h"

namespace irk::watch {

Responder::Responder(std::shared_ptr<contain::Firewall> firewall, ResponseGuard guard)
    : firewall_(std::move(firewall)), guard_(std::move(guard)) {}

std::vector<contain::Plan> Responder::Plans(const Alert& alert, std::vector<std::string>& refused) {
  std::vector<contain::Plan> plans;
  if (alert.kill_session && alert.pid && !killed_.contains(*alert.pid)) {
    const int pid = static_cast<int>(*alert.pid);
    if (!alert.user.empty() && alert.user == guard_.operator_user) {
      refused.push_back(fmt::format("not killing session {}: {} is the operator", pid, alert.user));
    } else if (std::find(guard_.operator_lineage.begin(), guard_.operator_lineage.end(), pid) !=
               guard_.operator_lineage.end()) {
      refused.push_back(fmt::format("not killing session {}: it is the operator's own", pid));
    } else {
      killed_.insert(*alert.pid);
      contain::Plan plan;
      plan.action = "kill";
      plan.target = std::to_string(pid);
      contain::KillSelector selector;
      selector.pid = pid;
      plan.steps.push_back(contain::KillStep(
          selector,
          fmt::format("kill sshd process {} and what it started ({} alert)", pid, alert.rule)));
      plans.push_back(std::move(plan));
    }
  }
  if (alert.block_address && firewall_ && !blocked_.contains(alert.addr)) {
    auto network = Network::Parse(alert.addr);
    if (!network) return plans;
    if (auto refusal = contain::RefuseBlock(*network, guard_.addresses, /*force=*/false)) {
      refused.push_back(fmt::format("not blocking {}: {}", alert.addr, *refusal));
    } else {
      blocked_.insert(alert.addr);
      contain::BlockRequest request{
          {*network}, std::nullopt, fmt::format("irk watch {}", alert.rule)};
      plans.push_back(contain::PlanBlock(firewall_, request));
    }
  }
  return plans;
}

}  // namespace irk::watch
