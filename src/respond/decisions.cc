#include "respond/decisions.h"

#include <algorithm>

namespace irk::respond {

Result<Decisions> ReadDecisions(const Config& plan) {
  Decisions decisions;
  auto skip = plan.Strings("skip", {});
  if (!skip.ok()) return skip.error();
  for (const auto& name : *skip) {
    if (FindStep(name) == nullptr) return plan.KeyError("skip", "no step named '" + name + "'");
    decisions.skip.insert(name);
  }
  auto failures = plan.Integer("triage.failures", decisions.failure_threshold, 1, 1000000);
  if (!failures.ok()) return failures.error();
  decisions.failure_threshold = static_cast<int>(*failures);

  struct ListKey {
    const char* key;
    std::vector<std::string>* into;
  };
  for (const ListKey& list :
       {ListKey{"contain.block", &decisions.block}, ListKey{"contain.lock", &decisions.lock},
        ListKey{"contain.kill", &decisions.kill},
        ListKey{"contain.isolate_keep", &decisions.isolate_keep},
        ListKey{"entry.targets", &decisions.entry},
        ListKey{"recover.from", &decisions.recover_from},
        ListKey{"recover.paths", &decisions.recover_paths}}) {
    auto value = plan.Strings(list.key, *list.into);
    if (!value.ok()) return value.error();
    *list.into = std::move(*value);
  }
  struct TextKey {
    const char* key;
    std::string* into;
  };
  for (const TextKey& text :
       {TextKey{"contain.block_for", &decisions.block_for},
        TextKey{"assess.key_file", &decisions.key_file}, TextKey{"assess.db", &decisions.db},
        TextKey{"watch.duration", &decisions.watch_duration},
        TextKey{"report.out", &decisions.report_out},
        TextKey{"report.contacts", &decisions.report_contacts}}) {
    auto value = plan.String(text.key, *text.into);
    if (!value.ok()) return value.error();
    *text.into = std::move(*value);
  }
  struct FlagKey {
    const char* key;
    bool* into;
  };
  for (const FlagKey& flag : {FlagKey{"contain.hosts_deny", &decisions.hosts_deny},
                              FlagKey{"contain.isolate", &decisions.isolate},
                              FlagKey{"assess.packages", &decisions.packages},
                              FlagKey{"watch.respond", &decisions.watch_respond},
                              FlagKey{"report.whois", &decisions.report_whois}}) {
    auto value = plan.Boolean(flag.key, *flag.into);
    if (!value.ok()) return value.error();
    *flag.into = *value;
  }
  return decisions;
}

std::vector<std::string> ExpandSuspects(const std::vector<std::string>& items,
                                        const std::vector<std::string>& suspects) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& item) {
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  };
  for (const auto& item : items) {
    if (item == "suspects") {
      for (const auto& suspect : suspects) add(suspect);
    } else {
      add(item);
    }
  }
  return out;
}

}  // namespace irk::respond
