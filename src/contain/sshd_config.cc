#include "contain/sshd_config.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace irk::contain {
namespace {

bool SameKeyword(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The words of a value: split on blanks, double quotes grouping.
std::vector<std::string> Words(std::string_view value) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && IsSpace(value[i])) ++i;
    if (i >= value.size()) break;
    std::string word;
    if (value[i] == '"') {
      const size_t close = value.find('"', i + 1);
      const size_t end = close == std::string_view::npos ? value.size() : close;
      word = value.substr(i + 1, end - i - 1);
      i = end + 1;
    } else {
      const size_t start = i;
      while (i < value.size() && !IsSpace(value[i])) ++i;
      word = value.substr(start, i - start);
    }
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace

void ParseSshdConfig(std::string_view text, SshdKeySettings& settings) {
  while (!text.empty()) {
    std::string_view line = TakeLine(text);
    if (line.size() > kMaxSshdLineBytes) continue;
    while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t end = 0;
    while (end < line.size() && !IsSpace(line[end]) && line[end] != '=') ++end;
    const std::string_view keyword = line.substr(0, end);
    std::string_view value = line.substr(end);
    while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
    if (!value.empty() && value.front() == '=') value.remove_prefix(1);
    std::vector<std::string>* into = nullptr;
    bool many = false;  // the keyword takes several values on one line
    if (SameKeyword(keyword, "AuthorizedKeysFile")) {
      into = &settings.authorized_keys_files;
      many = true;
    } else if (SameKeyword(keyword, "Include")) {
      into = &settings.includes;
      many = true;
    } else if (SameKeyword(keyword, "AuthorizedKeysCommand")) {
      into = &settings.authorized_keys_commands;
    } else if (SameKeyword(keyword, "AuthorizedPrincipalsFile")) {
      into = &settings.authorized_principals_files;
    } else if (SameKeyword(keyword, "TrustedUserCAKeys")) {
      into = &settings.trusted_user_ca_keys;
    } else if (SameKeyword(keyword, "RevokedKeys")) {
      into = &settings.revoked_keys;
    }
    if (into == nullptr) continue;
    auto words = Words(value);
    if (words.empty()) continue;
    if (!many) words.resize(1);
    for (auto& word : words) into->push_back(std::move(word));
  }
}

std::string ExpandKeysFile(std::string_view pattern, const PasswdEntry& user) {
  if (SameKeyword(pattern, "none")) return "";
  std::string path;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      path += pattern[i];
      continue;
    }
    if (i + 1 >= pattern.size()) return "";
    switch (pattern[++i]) {
      case '%':
        path += '%';
        break;
      case 'h':
        path += user.home;
        break;
      case 'u':
        path += user.name;
        break;
      case 'U':
        path += std::to_string(user.uid);
        break;
      default:
        return "";
    }
  }
  if (path.empty()) return "";
  if (path.front() != '/') path = user.home + "/" + path;
  return path;
}

}  // namespace irk::contain
