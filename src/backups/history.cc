#include "backups/history.h"

#include <map>

#include <fmt/format.h>

namespace irk::backups {
namespace {

bool Trusted(Verdict verdict) {
  return verdict == Verdict::kBaseline || verdict == Verdict::kPackage;
}

// The hex part of "sha256:<hex>".
std::string_view HexOf(std::string_view hash) {
  const size_t colon = hash.find(':');
  return colon == std::string_view::npos ? hash : hash.substr(colon + 1);
}

bool Usable(const HistoryEntry& entry) {
  return entry.version.present && entry.version.problem.empty() &&
         entry.version.type == integrity::FileType::kRegular;
}

LastGood Pick(const History& history, size_t entry, std::string rule,
              const std::vector<Generation>& generations, const GoodRule& good) {
  LastGood pick{entry, std::move(rule), Trusted(history.entries[entry].verdict), {}};
  const size_t g = history.entries[entry].generation;
  if (g < good.source_on_host.size() && good.source_on_host[g]) {
    pick.cautions.push_back("its backup lives on the examined host");
  }
  if (good.since && generations[g].time >= *good.since) {
    pick.cautions.push_back("taken after the compromise time");
  }
  if (!pick.trusted) pick.cautions.push_back("matches no trusted reference");
  return pick;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kBaseline:
      return "baseline";
    case Verdict::kPackage:
      return "package";
    case Verdict::kDiffers:
      return "differs";
    case Verdict::kUnknown:
      return "unknown";
    case Verdict::kMissing:
      return "missing";
    case Verdict::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

Verdict Judge(const Version& version, const Reference& reference) {
  if (!version.problem.empty()) return Verdict::kUnreadable;
  if (!version.present) return Verdict::kMissing;
  if (version.type == integrity::FileType::kRegular) {
    if (!reference.baseline_hash.empty()) {
      const std::string_view hex = HexOf(reference.baseline_hash);
      if (hex == version.sha256 || (!version.other.empty() && HexOf(version.other) == hex)) {
        return Verdict::kBaseline;
      }
    }
    if (!reference.package_md5.empty() && reference.package_md5 == version.md5) {
      return Verdict::kPackage;
    }
  }
  return reference.baseline_hash.empty() && reference.package_md5.empty() ? Verdict::kUnknown
                                                                          : Verdict::kDiffers;
}

bool SameVersion(const Version& a, const Version& b) {
  return a.present == b.present && a.type == b.type && a.sha256 == b.sha256 && a.mode == b.mode &&
         a.uid == b.uid && a.gid == b.gid && a.target == b.target && a.problem == b.problem;
}

History BuildHistory(std::string_view path, const std::vector<Generation>& generations,
                     std::vector<Version> versions, const Reference& reference,
                     const GoodRule& rule) {
  History history;
  history.path = path;
  std::map<std::string_view, size_t> previous;  // source → its latest entry so far
  for (size_t i = 0; i < versions.size(); ++i) {
    const auto earlier = previous.find(generations[i].source);
    if (versions[i].problem == kUnchangedInIncrement && earlier != previous.end()) {
      versions[i] = history.entries[earlier->second].version;
    }
    previous[generations[i].source] = i;
    Verdict verdict = Judge(versions[i], reference);
    history.entries.push_back(HistoryEntry{i, std::move(versions[i]), verdict});
  }
  const auto& entries = history.entries;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && SameVersion(entries[i].version, entries[i - 1].version)) {
      history.groups.back().last = i;
    } else {
      history.groups.push_back(VersionGroup{i, i});
    }
  }
  // 1. The newest version that matches a trusted reference.
  for (size_t i = entries.size(); i-- > 0;) {
    if (Trusted(entries[i].verdict) && Usable(entries[i])) {
      history.last_good =
          Pick(history, i,
               entries[i].verdict == Verdict::kBaseline ? "the newest that matches the baseline"
                                                        : "the newest that matches the package "
                                                          "database's hash",
               generations, rule);
      return history;
    }
  }
  // 2. The version before the first change after the compromise time.
  if (rule.since) {
    for (size_t i = 1; i < entries.size(); ++i) {
      if (generations[entries[i].generation].time < *rule.since) continue;
      if (SameVersion(entries[i].version, entries[i - 1].version)) continue;
      if (Usable(entries[i - 1])) {
        history.last_good = Pick(
            history, i - 1,
            fmt::format("the version before the first change after {}", FormatRfc3339(*rule.since)),
            generations, rule);
      }
      return history;
    }
    for (size_t i = entries.size(); i-- > 0;) {
      if (Usable(entries[i])) {
        history.last_good =
            Pick(history, i, fmt::format("unchanged since {}", FormatRfc3339(*rule.since)),
                 generations, rule);
        break;
      }
    }
    return history;
  }
  // 3. The version before the host's current content first appeared.
  if (rule.current) {
    size_t first = entries.size();
    for (size_t i = entries.size(); i-- > 0;) {
      if (entries[i].version.present && entries[i].version.sha256 == *rule.current) {
        first = i;
      } else if (first != entries.size()) {
        break;
      }
    }
    if (first != entries.size() && first > 0 && Usable(entries[first - 1])) {
      history.last_good =
          Pick(history, first - 1, "the version before the host's current content first appeared",
               generations, rule);
    }
  }
  return history;
}

}  // namespace irk::backups
