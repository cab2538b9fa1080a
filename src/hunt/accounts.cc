#include "hunt/accounts.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <set>

#include <fmt/format.h>

#include "core/passwd.h"

namespace irk::hunt {
namespace {

constexpr size_t kMaxAccountFileBytes = 16u << 20;
constexpr size_t kMaxKeyFileBytes = 4u << 20;
constexpr size_t kMaxKeyBlobBytes = 16384;  // an RSA-16384 key's blob is about 2 KiB
constexpr int64_t kRecentSeconds = 7 * 86400;

bool IsKeyType(std::string_view word) {
  return word.starts_with("ssh-") || word.starts_with("ecdsa-sha2-") ||
         word.starts_with("sk-ssh-") || word.starts_with("sk-ecdsa-");
}

// The next word of `line`, consumed; options may hold quoted spaces.
std::string_view NextWord(std::string_view& line, bool quoted) {
  const size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    line = {};
    return {};
  }
  line.remove_prefix(start);
  size_t end = 0;
  bool in_quotes = false;
  for (; end < line.size(); ++end) {
    const char c = line[end];
    if (quoted && c == '"') in_quotes = !in_quotes;
    if (quoted && c == '\\' && end + 1 < line.size()) {
      ++end;
      continue;
    }
    if (!in_quotes && (c == ' ' || c == '\t')) break;
  }
  const std::string_view word = line.substr(0, end);
  line.remove_prefix(end);
  return word;
}

// "SHA256:" and the unpadded base64 of the SHA-256 of the decoded blob.
std::optional<std::string> Fingerprint(std::string_view base64) {
  if (base64.empty() || base64.size() % 4 != 0 || base64.size() > kMaxKeyBlobBytes) {
    return std::nullopt;
  }
  std::string blob(base64.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(blob.data()),
                                reinterpret_cast<const unsigned char*>(base64.data()),
                                static_cast<int>(base64.size()));
  if (n < 0) return std::nullopt;
  size_t size = static_cast<size_t>(n);
  for (size_t i = base64.size(); i-- > 0 && base64[i] == '=';) --size;  // padding decodes to zeros
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(blob.data()), size, digest.data());
  std::array<char, 4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1> text{};
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), digest.data(),
                                     static_cast<int>(digest.size()));
  std::string out = "SHA256:" + std::string(text.data(), static_cast<size_t>(length));
  while (out.ends_with('=')) out.pop_back();
  return out;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    lines.push_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

void HuntKeys(const Root& root, const PasswdEntry& user, Timestamp now, std::vector<Finding>& out) {
  for (const char* name : {"authorized_keys", "authorized_keys2"}) {
    const std::string path = user.home + "/.ssh/" + name;
    auto text = root.ReadFile(path, kMaxKeyFileBytes);
    if (!text.ok()) continue;
    auto st = root.Stat(path);
    const int64_t mtime = st.ok() ? st->st_mtim.tv_sec : 0;
    const bool recent = now.seconds - mtime < kRecentSeconds;
    for (const std::string_view line : Lines(*text)) {
      const std::optional<AuthorizedKey> key = ParseAuthorizedKey(line);
      if (!key) continue;
      Finding f;
      f.kind = "authorized_key";
      f.severity = recent ? Severity::kMedium : Severity::kInfo;
      f.summary =
          fmt::format("{} can log in as {} with {} {}{}",
                      key->comment.empty() ? "a key" : key->comment, user.name, key->type,
                      key->fingerprint, recent ? " (key file changed in the last 7 days)" : "");
      f.path = path;
      f.user = user.name;
      f.evidence = {{"fingerprint", key->fingerprint},
                    {"type", key->type},
                    {"comment", key->comment},
                    {"options", key->options},
                    {"file_mtime", FormatRfc3339(Timestamp{mtime, 0})}};
      out.push_back(std::move(f));
    }
  }
}

void HuntTrustFile(const Root& root, const std::string& path, const std::string& user,
                   std::vector<Finding>& out) {
  auto text = root.ReadFile(path, kMaxAccountFileBytes);
  if (!text.ok()) return;
  std::vector<std::string> entries;
  for (const std::string_view line : Lines(*text)) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == '#') continue;
    entries.emplace_back(line.substr(start));
  }
  if (entries.empty()) return;
  Finding f;
  f.kind = "trust";
  f.severity = Severity::kHigh;
  f.summary = fmt::format("{} lets {} host/user pair{} in without a password", path, entries.size(),
                          entries.size() == 1 ? "" : "s");
  f.path = path;
  f.user = user;
  for (size_t i = 0; i < entries.size() && i < 20; ++i)
    f.evidence.emplace_back("entry", entries[i]);
  out.push_back(std::move(f));
}

}  // namespace

std::optional<AuthorizedKey> ParseAuthorizedKey(std::string_view line) {
  std::string_view rest = line;
  std::string_view first = NextWord(rest, true);
  if (first.empty() || first.starts_with('#')) return std::nullopt;
  AuthorizedKey key;
  if (!IsKeyType(first)) {
    key.options = std::string(first);
    first = NextWord(rest, false);
    if (!IsKeyType(first)) return std::nullopt;
  }
  key.type = std::string(first);
  const std::optional<std::string> fingerprint = Fingerprint(NextWord(rest, false));
  if (!fingerprint) return std::nullopt;
  key.fingerprint = *fingerprint;
  const size_t start = rest.find_first_not_of(" \t");
  if (start != std::string_view::npos) key.comment = std::string(rest.substr(start));
  while (!key.comment.empty() && (key.comment.back() == '\r' || key.comment.back() == ' ')) {
    key.comment.pop_back();
  }
  return key;
}

std::vector<Finding> HuntAccounts(const Root& root, Timestamp now) {
  std::vector<Finding> out;
  std::vector<PasswdEntry> users;
  if (auto text = root.ReadFile("/etc/passwd", kMaxAccountFileBytes); text.ok()) {
    users = ParsePasswd(*text);
  }
  for (const PasswdEntry& user : users) {
    if (user.uid == 0 && user.name != "root") {
      Finding f;
      f.kind = "uid0";
      f.severity = Severity::kHigh;
      f.summary = fmt::format("account {} has uid 0: it is root under another name", user.name);
      f.path = "/etc/passwd";
      f.user = user.name;
      f.evidence = {{"shell", user.shell}, {"home", user.home}};
      out.push_back(std::move(f));
    }
  }
  if (auto text = root.ReadFile("/etc/shadow", kMaxAccountFileBytes); text.ok()) {
    for (const std::string_view line : Lines(*text)) {
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) continue;
      const std::string_view password =
          line.substr(colon + 1, line.find(':', colon + 1) - colon - 1);
      if (!password.empty()) continue;
      Finding f;
      f.kind = "no_password";
      f.severity = Severity::kHigh;
      f.summary = fmt::format("account {} has an empty password: anyone may log in as it",
                              line.substr(0, colon));
      f.path = "/etc/shadow";
      f.user = std::string(line.substr(0, colon));
      out.push_back(std::move(f));
    }
  }
  for (const char* path : {"/etc/hosts.equiv", "/etc/shosts.equiv"}) {
    HuntTrustFile(root, path, "", out);
  }
  std::set<std::string> homes;  // system accounts share homes: read each once
  for (const PasswdEntry& user : users) {
    if (user.home.empty() || user.home == "/" || !user.home.starts_with('/')) continue;
    if (!homes.insert(user.home).second) continue;
    HuntKeys(root, user, now, out);
    for (const char* name : {"/.rhosts", "/.shosts"})
      HuntTrustFile(root, user.home + name, user.name, out);
  }
  return out;
}

}  // namespace irk::hunt
