#include "integrity/policy.h"

#include <fnmatch.h>

#include <variant>

namespace irk::integrity {
namespace {

constexpr AttributeSet kPermissions = kType | kMode | kUid | kGid | kAcl | kCaps | kSelinux;

// True when `path` is `prefix` or lies below it.
bool IsUnder(std::string_view path, std::string_view prefix) {
  if (prefix == "/") return path.starts_with('/');
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

Result<Rule> ReadRule(const Config& config, const ConfigTable& table, size_t index,
                      HashAlgorithm default_hash) {
  const std::string key = "integrity.rule[" + std::to_string(index) + "]";
  // Each rule is its own little configuration, so the typed lookups apply.
  const Config rule_config(config.source(), table);
  auto path = rule_config.String("path", "");
  if (!path.ok()) return config.KeyError(key, path.error().message);
  if (!path->starts_with('/')) {
    return config.KeyError(key + ".path", "expected an absolute path, found '" + *path + "'");
  }
  Rule rule;
  rule.path = *path;
  while (rule.path.size() > 1 && rule.path.back() == '/') rule.path.pop_back();
  auto names = rule_config.Strings("attributes", {"all"});
  if (!names.ok()) return config.KeyError(key, names.error().message);
  auto attributes = ParseAttributes(*names);
  if (!attributes.ok()) return config.KeyError(key + ".attributes", attributes.error().message);
  rule.attributes = *attributes;
  auto hash = rule_config.String("hash", HashName(default_hash));
  if (!hash.ok()) return config.KeyError(key, hash.error().message);
  const auto algorithm = ParseHashName(*hash);
  if (!algorithm) {
    return config.KeyError(key + ".hash",
                           "expected sha256, sha512 or blake2b, found '" + *hash + "'");
  }
  rule.hash = *algorithm;
  auto exclude = rule_config.Strings("exclude", {});
  if (!exclude.ok()) return config.KeyError(key, exclude.error().message);
  rule.exclude = *exclude;
  return rule;
}

}  // namespace

Result<AttributeSet> ParseAttributes(const std::vector<std::string>& names) {
  AttributeSet set = 0;
  for (const std::string& name : names) {
    if (name == "all") {
      set |= kAllAttributes;
    } else if (name == "permissions") {
      set |= kPermissions;
    } else if (const auto attribute = ParseAttribute(name)) {
      set |= *attribute;
    } else {
      return Fail("unknown attribute '" + name +
                  "' (known: all, permissions, type, mode, uid, gid, size, mtime, ctime, inode, "
                  "links, target, acl, caps, selinux, xattrs, hash, growing)");
    }
  }
  return set;
}

Policy DefaultPolicy() {
  Policy policy;
  const AttributeSet log = kPermissions | kSize | kInode | kGrowing;
  for (const char* path : {"/bin",
                           "/sbin",
                           "/usr/bin",
                           "/usr/sbin",
                           "/usr/local/bin",
                           "/usr/local/sbin",
                           "/lib",
                           "/lib32",
                           "/lib64",
                           "/usr/lib",
                           "/usr/lib32",
                           "/usr/lib64",
                           "/usr/libexec",
                           "/usr/local/lib",
                           "/etc",
                           "/boot",
                           "/root/.ssh",
                           "/home/*/.ssh",
                           "/var/spool/cron",
                           "/var/spool/anacron"}) {
    policy.rules.push_back(Rule{path, kAllAttributes, HashAlgorithm::kSha256, {}});
  }
  policy.rules.push_back(Rule{"/var/log", log, HashAlgorithm::kSha256, {"/var/log/journal"}});
  policy.exclude = {"*/__pycache__",
                    "*.pyc",
                    "/etc/mtab",
                    "/etc/adjtime",
                    "/etc/lvm/archive",
                    "/etc/lvm/backup",
                    "/etc/lvm/cache",
                    "/usr/lib/sysimage/rpm",
                    "/var/cache",
                    "/etc/.pwd.lock",
                    "/var/spool/anacron/cron.*"};
  return policy;
}

Result<Policy> PolicyFromConfig(const Config& config) {
  Policy policy = DefaultPolicy();
  auto hash_name = config.String("integrity.hash", "sha256");
  if (!hash_name.ok()) return hash_name.error();
  const auto hash = ParseHashName(*hash_name);
  if (!hash) {
    return config.KeyError("integrity.hash",
                           "expected sha256, sha512 or blake2b, found '" + *hash_name + "'");
  }
  for (Rule& rule : policy.rules) rule.hash = *hash;
  auto one_filesystem = config.Boolean("integrity.one_filesystem", true);
  if (!one_filesystem.ok()) return one_filesystem.error();
  policy.one_filesystem = *one_filesystem;
  auto exclude = config.Strings("integrity.exclude", policy.exclude);
  if (!exclude.ok()) return exclude.error();
  policy.exclude = *exclude;

  const ConfigValue* rules = config.Find("integrity.rule");
  if (rules == nullptr) return policy;
  const auto* array = std::get_if<ConfigArray>(&rules->value);
  if (array == nullptr || array->empty()) {
    return config.KeyError("integrity.rule", "expected an array of tables ([[integrity.rule]])");
  }
  policy.rules.clear();
  for (size_t i = 0; i < array->size(); ++i) {
    const auto* table = std::get_if<ConfigTable>(&(*array)[i].value);
    if (table == nullptr) {
      return config.KeyError("integrity.rule", "expected an array of tables ([[integrity.rule]])");
    }
    auto rule = ReadRule(config, *table, i, *hash);
    if (!rule.ok()) return rule.error();
    policy.rules.push_back(std::move(*rule));
  }
  return policy;
}

bool MatchesAny(const std::vector<std::string>& globs, std::string_view path) {
  for (const std::string& glob : globs) {
    // Most globs are a plain path or "*suffix": matched without fnmatch,
    // which matters when every file of /usr passes through here.
    const std::string_view tail = std::string_view(glob).substr(glob.starts_with('*') ? 1 : 0);
    if (tail.find_first_of("*?[\\") == std::string_view::npos) {
      if (tail.size() == glob.size() ? path == tail : path.ends_with(tail)) return true;
      continue;
    }
    if (fnmatch(glob.c_str(), std::string(path).c_str(), 0) == 0) return true;
  }
  return false;
}

Policy NarrowPolicy(const Policy& policy, const std::vector<std::string>& paths) {
  Policy narrowed;
  narrowed.exclude = policy.exclude;
  narrowed.one_filesystem = policy.one_filesystem;
  for (std::string path : paths) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    const Rule* best = nullptr;
    for (const Rule& rule : policy.rules) {
      if (IsUnder(path, rule.path) && (best == nullptr || rule.path.size() > best->path.size())) {
        best = &rule;
      }
    }
    Rule rule = best != nullptr ? *best : Rule{};
    rule.path = path;
    narrowed.rules.push_back(std::move(rule));
  }
  return narrowed;
}

}  // namespace irk::integrity
