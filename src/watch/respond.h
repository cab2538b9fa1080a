// `irk watch --respond`: the containment plans that answer an alert (block
// its address, kill its session), never against the operator, each address
// and session once.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "contain/block.h"
#include "contain/firewall.h"
#include "contain/plan.h"
#include "watch/rules.h"

namespace irk::watch {

// What a response must never touch.
struct ResponseGuard {
  contain::Protected addresses;       // the operator's and the host's own addresses
  std::string operator_user;          // the operator's login user: their sessions are never killed
  std::vector<int> operator_lineage;  // irk's ancestors: the operator's own session
};

class Responder {
 public:
  Responder(std::shared_ptr<contain::Firewall> firewall, ResponseGuard guard);

  // The plans that answer `alert`, to be applied with ApplyPlan: a block of
  // its address when it asks for one, a kill of its sshd process and what
  // that started when it asks for one. What the guard refuses is left out
  // and said, one line each, in `refused`. An address or a process already
  // answered is not planned again.
  std::vector<contain::Plan> Plans(const Alert& alert, std::vector<std::string>& refused);

 private:
  std::shared_ptr<contain::Firewall> firewall_;
  ResponseGuard guard_;
  std::set<std::string> blocked_;  // addresses this watch blocked
  std::set<int64_t> killed_;       // sshd processes this watch killed
};

}  // namespace irk::watch
