#include "integrity/check.h"

#include <sys/stat.h>

#include <algorithm>

namespace irk::integrity {
namespace {

bool IsUnder(std::string_view path, std::string_view prefix) {
  if (prefix == "/") return true;
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

std::string_view Parent(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string_view::npos ? "/" : path.substr(0, slash);
}

std::string_view Name(std::string_view path) { return path.substr(path.rfind('/') + 1); }

bool InPathFolder(std::string_view path) {
  const std::string_view parent = Parent(path);
  for (const std::string_view dir :
       {"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"}) {
    if (parent == dir) return true;
  }
  return false;
}

bool IsLibrary(std::string_view path) {
  const std::string_view name = Name(path);
  const bool shared_object = name.ends_with(".so") || name.find(".so.") != std::string_view::npos;
  if (!shared_object) return false;
  for (const std::string_view dir :
       {"/lib", "/lib32", "/lib64", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/local/lib"}) {
    if (IsUnder(path, dir)) return true;
  }
  return false;
}

// Where intruders stay: the reason, or empty.
std::string_view PersistencePlace(std::string_view path) {
  struct Place {
    std::string_view prefix;
    std::string_view reason;
  };
  static constexpr Place kPlaces[] = {
      {"/etc/cron.d", "cron"},        {"/etc/cron.hourly", "cron"},
      {"/etc/cron.daily", "cron"},    {"/etc/cron.weekly", "cron"},
      {"/etc/cron.monthly", "cron"},  {"/etc/crontab", "cron"},
      {"/etc/anacrontab", "cron"},    {"/var/spool/cron", "cron"},
      {"/etc/systemd", "systemd"},    {"/usr/lib/systemd", "systemd"},
      {"/lib/systemd", "systemd"},    {"/etc/sudoers", "sudoers"},
      {"/etc/sudoers.d", "sudoers"},  {"/etc/pam.d", "PAM"},
      {"/etc/security", "PAM"},       {"/etc/ssh", "SSH"},
      {"/root/.ssh", "SSH key"},      {"/etc/passwd", "accounts"},
      {"/etc/shadow", "accounts"},    {"/etc/group", "accounts"},
      {"/etc/gshadow", "accounts"},   {"/etc/ld.so.preload", "preload"},
      {"/etc/ld.so.conf", "preload"}, {"/etc/ld.so.conf.d", "preload"},
  };
  for (const Place& place : kPlaces) {
    if (IsUnder(path, place.prefix)) return place.reason;
  }
  if (path.find("/.ssh/") != std::string_view::npos) return "SSH key";
  const std::string_view name = Name(path);
  if (name.starts_with("pam_") && name.ends_with(".so")) return "PAM";
  return {};
}

// The attributes a person needs to judge an added or removed entry.
std::vector<AttributeChange> Describe(const FileRecord& record, bool added) {
  std::vector<std::pair<std::string, std::string>> values = {
      {"type", std::string(FileTypeName(record.type))},
      {"mode", FormatMode(record.mode)},
      {"uid", std::to_string(record.uid)},
      {"gid", std::to_string(record.gid)},
  };
  if (record.type == FileType::kRegular) values.emplace_back("size", std::to_string(record.size));
  if (!record.target.empty()) values.emplace_back("target", record.target);
  if (!record.hash.empty()) values.emplace_back("hash", record.hash);
  if (record.state != ReadState::kOk) {
    values.emplace_back("state", std::string(ReadStateName(record.state)) + ": " + record.problem);
  }
  std::vector<AttributeChange> changes;
  for (auto& [name, value] : values) {
    changes.push_back(added ? AttributeChange{name, "(none)", std::move(value)}
                            : AttributeChange{name, std::move(value), "(none)"});
  }
  return changes;
}

bool HasCaps(const FileRecord& record) {
  return std::any_of(record.xattrs.begin(), record.xattrs.end(),
                     [](const auto& xattr) { return xattr.first == "security.capability"; });
}

void Rank(Finding& finding, const FileRecord* then, const FileRecord* now) {
  if (now != nullptr) {
    const uint32_t old_mode = then != nullptr ? then->mode : 0;
    const uint32_t gained = now->mode & ~old_mode;
    const bool regular = now->type == FileType::kRegular;
    std::string reason;
    if (regular && (gained & S_ISUID) != 0) reason = "setuid gained";
    if (regular && (gained & S_ISGID) != 0) reason += reason.empty() ? "setgid gained" : ", setgid";
    const bool caps_now = HasCaps(*now);
    if (caps_now && (then == nullptr || !HasCaps(*then) ||
                     std::any_of(finding.attributes.begin(), finding.attributes.end(),
                                 [](const AttributeChange& c) {
                                   return c.attribute == "caps security.capability";
                                 }))) {
      reason += reason.empty() ? "capabilities gained" : ", capabilities";
    }
    if (!reason.empty()) {
      finding.severity = Severity::kPrivilege;
      finding.reason = reason;
      return;
    }
  }
  const bool removed = now == nullptr;
  if (!removed && InPathFolder(finding.path)) {
    finding.severity = Severity::kExecutable;
    finding.reason = "binary in PATH";
  } else if (!removed && IsLibrary(finding.path)) {
    finding.severity = Severity::kExecutable;
    finding.reason = "library";
  } else if (const std::string_view place = PersistencePlace(finding.path); !place.empty()) {
    finding.severity = Severity::kPersistence;
    finding.reason = place;
  }
}

}  // namespace

std::string_view ChangeName(Change change) {
  switch (change) {
    case Change::kAdded:
      return "added";
    case Change::kRemoved:
      return "removed";
    case Change::kChanged:
      break;
  }
  return "changed";
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kPrivilege:
      return "critical";
    case Severity::kExecutable:
    case Severity::kPersistence:
      return "high";
    case Severity::kOther:
      break;
  }
  return "medium";
}

std::optional<Finding> Judge(const FileRecord* then, const FileRecord* now) {
  Finding finding;
  if (then == nullptr && now == nullptr) return std::nullopt;
  finding.path = then != nullptr ? then->path : now->path;
  if (then == nullptr) {
    finding.change = Change::kAdded;
    finding.attributes = Describe(*now, /*added=*/true);
  } else if (now == nullptr) {
    finding.change = Change::kRemoved;
    finding.attributes = Describe(*then, /*added=*/false);
  } else {
    finding.attributes = Compare(*then, *now);
    if (finding.attributes.empty()) return std::nullopt;
  }
  Rank(finding, then, now);
  return finding;
}

void SortFindings(std::vector<Finding>& findings) {
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    return a.path < b.path;
  });
}

Result<std::vector<Finding>> CheckAgainstBaseline(Baseline& baseline, const Root& root,
                                                  const Policy& policy, const ScanOptions& options,
                                                  const std::vector<std::string>& limit,
                                                  const RecordSink& also) {
  std::vector<Finding> findings;
  auto scanned = Scan(root, policy, options, [&](std::vector<FileRecord>& batch) -> Status {
    for (const FileRecord& now : batch) {
      auto then = baseline.Find(now.path);
      if (!then.ok()) return then.error();
      if (auto finding = Judge(*then ? &**then : nullptr, &now)) {
        findings.push_back(std::move(*finding));
      }
    }
    if (auto status = baseline.MarkSeen(batch); !status.ok()) return status;
    return also ? also(batch) : Ok();
  });
  if (!scanned.ok()) return scanned.error();
  auto status = baseline.ForEachUnseen([&](const FileRecord& then) -> Status {
    const bool in_limit =
        limit.empty() || std::any_of(limit.begin(), limit.end(), [&](const std::string& prefix) {
          return IsUnder(then.path, prefix);
        });
    if (in_limit && !MatchesAny(policy.exclude, then.path)) {
      if (auto finding = Judge(&then, nullptr)) findings.push_back(std::move(*finding));
    }
    return Ok();
  });
  if (!status.ok()) return status.error();
  SortFindings(findings);
  return findings;
}

}  // namespace irk::integrity
