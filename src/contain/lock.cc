#include "contain/lock.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "contain/account_fields.h"
#include "contain/file_steps.h"
#include "contain/kill.h"
#include "contain/sshd_config.h"
#include "core/passwd.h"
#include "core/text.h"

namespace irk::contain {
namespace {

constexpr size_t kMaxConfigBytes = 1 << 20;
constexpr size_t kMaxIncludedFiles = 64;

// Files in a home that let someone in or run code without a login
// (detect_contain.md §2, items 3, 4, 10 and 11).
constexpr std::string_view kHomeDoors[] = {
    ".rhosts",     ".shosts",     ".k5login", ".k5users", ".forward",
    ".procmailrc", ".mailfilter", ".netrc",   ".ssh/rc",
};

// Groups whose members are root in all but name.
constexpr std::string_view kRootGroups[] = {"root",   "sudo", "wheel", "admin",
                                            "docker", "lxd",  "disk",  "shadow"};

std::string ReadOr(const Root& root, std::string_view path, std::string fallback = "") {
  auto text = root.ReadFile(path, kMaxConfigBytes);
  return text.ok() ? std::move(text).value() : fallback;
}

// The sshd settings of the system: sshd_config and the files it includes
// (one level; a glob only as its last component).
SshdKeySettings ReadSshdSettings(const Root& root) {
  SshdKeySettings settings;
  ParseSshdConfig(ReadOr(root, "/etc/ssh/sshd_config"), settings);
  const auto includes = settings.includes;
  size_t read = 0;
  for (std::string pattern : includes) {
    if (!pattern.starts_with('/')) pattern = "/etc/ssh/" + pattern;
    const size_t slash = pattern.rfind('/');
    const std::string dir = pattern.substr(0, slash);
    const std::string name = pattern.substr(slash + 1);
    const size_t star = name.find('*');
    std::vector<std::string> names;
    if (star == std::string::npos) {
      names.push_back(name);
    } else if (auto listed = root.ListFiles(dir); listed.ok()) {
      const std::string prefix = name.substr(0, star);
      const std::string suffix = name.substr(star + 1);
      for (const auto& file : *listed) {
        if (file.size() >= prefix.size() + suffix.size() && file.starts_with(prefix) &&
            file.ends_with(suffix)) {
          names.push_back(file);
        }
      }
    }
    for (const auto& file : names) {
      if (++read > kMaxIncludedFiles) break;
      ParseSshdConfig(ReadOr(root, dir + "/" + file), settings);
    }
  }
  return settings;
}

std::string Nologin(const Root& root) {
  for (const char* shell : {"/usr/sbin/nologin", "/sbin/nologin"}) {
    if (root.OpenFile(shell).ok()) return shell;
  }
  return "/bin/false";
}

// Lines of sudoers files that name `user` or one of `groups` as %group.
std::vector<std::string> SudoersLines(const Root& root, const std::string& user,
                                      const std::vector<std::string>& groups) {
  std::vector<std::string> files = {"/etc/sudoers"};
  if (auto listed = root.ListFiles("/etc/sudoers.d"); listed.ok()) {
    for (const auto& name : *listed) files.push_back("/etc/sudoers.d/" + name);
  }
  std::vector<std::string> found;
  auto names = [](std::string_view line, std::string_view word) {
    size_t at = 0;
    while ((at = line.find(word, at)) != std::string_view::npos) {
      const auto boundary = [](char c) {
        return c == ' ' || c == '\t' || c == ',' || c == '=' || c == ':' || c == '(' || c == ')';
      };
      const bool start_ok = at == 0 || boundary(line[at - 1]);
      const size_t end = at + word.size();
      if (start_ok && (end == line.size() || boundary(line[end]))) return true;
      at = end;
    }
    return false;
  };
  for (const auto& file : files) {
    const std::string text = ReadOr(root, file);
    std::string_view rest = text;
    size_t number = 0;
    while (!rest.empty()) {
      const std::string_view line = TakeLine(rest);
      ++number;
      if (line.empty() || line.front() == '#') continue;
      bool hit = names(line, user);
      for (const auto& group : groups) hit = hit || names(line, "%" + group);
      if (hit) found.push_back(fmt::format("{}:{}: {}", file, number, line));
    }
  }
  return found;
}

// The groups of /etc/group that list `user` as a member, or have it as
// their primary group `gid`.
std::vector<std::string> GroupsOf(std::string_view group_text, const PasswdEntry& user) {
  std::vector<std::string> groups;
  while (!group_text.empty()) {
    const std::string_view line = TakeLine(group_text);
    const size_t c1 = line.find(':');
    const size_t c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
    const size_t c3 = c2 == std::string_view::npos ? c2 : line.find(':', c2 + 1);
    if (c3 == std::string_view::npos) continue;
    const std::string name(line.substr(0, c1));
    const std::string_view gid = line.substr(c2 + 1, c3 - c2 - 1);
    bool member = gid == std::to_string(user.gid);
    std::string_view members = line.substr(c3 + 1);
    while (!member && !members.empty()) {
      const size_t comma = members.find(',');
      member = members.substr(0, comma) == user.name;
      members = comma == std::string_view::npos ? std::string_view() : members.substr(comma + 1);
    }
    if (member) groups.push_back(name);
  }
  return groups;
}

}  // namespace

Result<Plan> PlanLock(std::shared_ptr<const HostFiles> files, const Root& root,
                      std::string_view user_name) {
  const std::string passwd_text = ReadOr(root, "/etc/passwd");
  const auto found = FindByName(ParsePasswd(passwd_text), user_name);
  if (!found) {
    return Fail(fmt::format(
        "{} is not a local account of {} (no line in /etc/passwd); irk locks only local "
        "accounts. For a NIS, LDAP or SSSD account: disable it in the directory, add "
        "'DenyUsers {}' to sshd_config, and `irk kill {}` its processes here",
        user_name, files->HostPath("/"), user_name, user_name));
  }
  const PasswdEntry& user = *found;
  if (user.uid == 0) {
    return Fail(
        fmt::format("{} has uid 0; irk does not lock root accounts (a second uid-0 "
                    "account is a backdoor: see irk hunt)",
                    user.name));
  }

  Plan plan;
  plan.action = "lock";
  plan.target = user.name;
  plan.root = files->HostPath("/");
  const std::string shadow_text = ReadOr(root, "/etc/shadow");
  if (AccountField(shadow_text, user.name, kShadowExpire)) {
    plan.steps.push_back(EditAccountStep(
        files, "/etc/shadow", user.name,
        {FieldChange{kShadowPassword, [](std::string_view old) { return LockedPassword(old); }},
         FieldChange{kShadowExpire, [](std::string_view) { return std::string("1"); }}},
        fmt::format("expire {} (field 8 = 1: stops key logins under PAM) and lock the password "
                    "('!') in /etc/shadow",
                    user.name)));
  } else {
    plan.notes.push_back(fmt::format(
        "/etc/shadow has no line for {}: the password and expiry cannot be locked", user.name));
  }
  const std::string nologin = Nologin(root);
  plan.steps.push_back(EditAccountStep(
      files, "/etc/passwd", user.name,
      {FieldChange{kPasswdShell,
                   [nologin](std::string_view old) {
                     return old == "/usr/sbin/nologin" || old == "/sbin/nologin" ||
                                    old == "/bin/false" || old == "/usr/bin/false"
                                ? std::string(old)
                                : nologin;
                   }}},
      fmt::format("set the login shell of {} to {} in /etc/passwd", user.name, nologin)));

  // Key files: the defaults and every AuthorizedKeysFile, expanded.
  const SshdKeySettings sshd = ReadSshdSettings(root);
  std::set<std::string> key_files = {user.home + "/.ssh/authorized_keys",
                                     user.home + "/.ssh/authorized_keys2"};
  for (const auto& pattern : sshd.authorized_keys_files) {
    const std::string path = ExpandKeysFile(pattern, user);
    if (!path.empty()) {
      key_files.insert(path);
    } else if (pattern != "none") {
      plan.notes.push_back(
          fmt::format("AuthorizedKeysFile {} has a token irk cannot expand; "
                      "check that file by hand",
                      pattern));
    }
  }
  auto move_if_there = [&](const std::string& path, const std::string& trusted,
                           const std::string& what) {
    auto there = files->Exists(path, trusted);
    if (!there.ok()) {
      plan.notes.push_back(fmt::format("{}: {}", what, there.error().message));
    } else if (*there) {
      plan.steps.push_back(MoveToCaseStep(files, path, trusted,
                                          fmt::format("move {} {} into the case", what, path)));
    }
  };
  for (const auto& path : key_files) {
    const bool in_home = path.starts_with(user.home + "/");
    move_if_there(path, in_home ? user.home : "/", "key file");
  }
  for (const auto door : kHomeDoors) {
    move_if_there(user.home + "/" + std::string(door), user.home, "file");
  }
  move_if_there(user.home + "/.config/systemd/user", user.home, "systemd user units");
  move_if_there("/var/spool/cron/crontabs/" + user.name, "/", "crontab");
  move_if_there("/var/spool/cron/" + user.name, "/", "crontab");
  for (const char* spool : {"/var/spool/cron/atjobs", "/var/spool/at"}) {
    auto jobs = root.ListFiles(spool);
    if (!jobs.ok()) continue;
    for (const auto& job : *jobs) {
      const std::string path = std::string(spool) + "/" + job;
      auto owner = files->Owner(path);
      if (owner.ok() && *owner && **owner == user.uid) move_if_there(path, "/", "at job");
    }
  }
  move_if_there("/var/lib/systemd/linger/" + user.name, "/", "linger flag");
  if (root.OpenFile("/etc/ftpusers").ok()) {
    plan.steps.push_back(
        AppendLineStep(files, "/etc/ftpusers", user.name,
                       fmt::format("deny FTP: add {} to /etc/ftpusers", user.name)));
  }

  // Last, the processes: every lock above is useless while a shell, a tunnel
  // or a ControlMaster of theirs still runs.
  if (files->live()) {
    plan.steps.push_back(KillStep(
        KillSelector{user.uid, user.name, std::nullopt, ""},
        fmt::format("freeze, snapshot and kill every process of {} (uid or loginuid {}) and "
                    "their sshd monitors",
                    user.name, user.uid)));
  } else {
    plan.notes.push_back("an image has no processes: nothing was killed");
  }

  // What stays open: the operator's to close.
  const auto groups = GroupsOf(ReadOr(root, "/etc/group"), user);
  for (const auto& line : SudoersLines(root, user.name, groups)) {
    plan.notes.push_back("sudoers names the user or a group of theirs (not changed): " + line);
  }
  for (const auto& group : groups) {
    if (std::find(std::begin(kRootGroups), std::end(kRootGroups), group) != std::end(kRootGroups)) {
      plan.notes.push_back(fmt::format(
          "{} is in group {}, which is root in all but name: remove them (gpasswd -d {} {}) and "
          "look for what they started with it (containers keep running)",
          user.name, group, user.name, group));
    }
  }
  for (const char* file : {"/etc/subuid", "/etc/subgid"}) {
    const std::string text = ReadOr(root, file);
    std::string_view rest = text;
    while (!rest.empty()) {
      const std::string_view line = TakeLine(rest);
      if (line.starts_with(user.name + ":") || line.starts_with(std::to_string(user.uid) + ":")) {
        plan.notes.push_back(fmt::format(
            "{} has subordinate ids ({}: {}): their rootless containers run under those ids, which "
            "irk kill does not match",
            user.name, file, line));
      }
    }
  }
  for (const char* equiv : {"/etc/hosts.equiv", "/etc/shosts.equiv"}) {
    if (root.OpenFile(equiv).ok()) {
      plan.notes.push_back(fmt::format(
          "{} exists: host-based logins trust the hosts it names for every user", equiv));
    }
  }
  for (const auto& ca : sshd.trusted_user_ca_keys) {
    plan.notes.push_back(fmt::format(
        "sshd trusts user certificates signed by {}: a certificate for {} still logs in until "
        "its key or serial is in a RevokedKeys list (ssh-keygen -k -f KRL -z SERIAL)",
        ca, user.name));
  }
  for (const auto& command : sshd.authorized_keys_commands) {
    plan.notes.push_back(fmt::format(
        "sshd asks AuthorizedKeysCommand {} for keys: remove {}'s keys where it finds them",
        command, user.name));
  }
  const std::string nsswitch = ReadOr(root, "/etc/nsswitch.conf");
  for (const char* source : {"ldap", "sss", "nis", "winbind"}) {
    if (nsswitch.find(source) != std::string::npos) {
      plan.notes.push_back(fmt::format(
          "/etc/nsswitch.conf names {}: directory accounts are not locked by irk; a directory "
          "account of the same name would still log in",
          source));
      break;
    }
  }
  plan.notes.push_back(fmt::format(
      "files {} owns outside the home (setuid ones first), keys of the same person on other "
      "hosts, and services with their own passwords (databases, Samba, VPN) are not covered: "
      "check them",
      user.name));
  return plan;
}

}  // namespace irk::contain
