#include "integrity/dpkg_database.h"

#include <fmt/format.h>

namespace irk::integrity {
namespace {

constexpr size_t kMaxPathBytes = 4096;

// Walks text line by line, counting lines for messages.
class Lines {
 public:
  Lines(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  bool Next(std::string_view& line) {
    if (text_.empty()) return false;
    const size_t end = text_.find('\n');
    line = text_.substr(0, end);
    text_.remove_prefix(end == std::string_view::npos ? text_.size() : end + 1);
    ++number_;
    return true;
  }

  Error At(std::string_view message) const {
    return Fail(fmt::format("{}:{}: {}", source_, number_, message));
  }

 private:
  std::string_view text_;
  std::string_view source_;
  size_t number_ = 0;
};

bool IsMd5(std::string_view hex) {
  if (hex.size() != 32) return false;
  for (const char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// Nth space-separated word of `text` (0-based), or empty.
std::string_view Word(std::string_view text, size_t n) {
  for (size_t i = 0;; ++i) {
    text = Trim(text);
    const size_t space = text.find(' ');
    if (i == n) return text.substr(0, space);
    if (space == std::string_view::npos) return {};
    text.remove_prefix(space);
  }
}

bool HasFilesOnDisk(std::string_view state) {
  return !state.empty() && state != "not-installed" && state != "config-files";
}

Status CheckPath(const Lines& lines, std::string_view path) {
  if (!path.starts_with('/')) return lines.At("expected an absolute path");
  if (path.size() > kMaxPathBytes) return lines.At("path longer than 4096 bytes");
  if (path.find('\0') != std::string_view::npos) return lines.At("path holds a NUL byte");
  return Ok();
}

}  // namespace

Result<std::vector<DpkgPackage>> ParseDpkgStatus(std::string_view text, std::string_view source) {
  std::vector<DpkgPackage> packages;
  Lines lines(text, source);
  DpkgPackage current;
  bool in_stanza = false;
  bool in_conffiles = false;
  auto finish = [&]() -> Status {
    if (in_stanza) {
      if (current.name.empty()) return lines.At("a stanza without a Package field ends here");
      if (HasFilesOnDisk(current.state)) packages.push_back(std::move(current));
    }
    current = DpkgPackage{};
    in_stanza = false;
    in_conffiles = false;
    return Ok();
  };
  std::string_view line;
  while (lines.Next(line)) {
    if (Trim(line).empty()) {
      if (auto status = finish(); !status.ok()) return status.error();
      continue;
    }
    in_stanza = true;
    if (line.front() == ' ' || line.front() == '\t') {
      if (!in_conffiles) continue;  // a continuation of Description or the like
      // " /etc/adduser.conf cc3493ecd2d09837ffdcc3e25fdfff18 [obsolete]"
      std::string_view rest = Trim(line);
      bool obsolete = false;
      if (rest.ends_with(" obsolete")) {
        obsolete = true;
        rest = Trim(rest.substr(0, rest.size() - 9));
      } else if (rest.ends_with(" remove-on-upgrade")) {
        rest = Trim(rest.substr(0, rest.size() - 18));
      }
      const size_t space = rest.rfind(' ');
      if (space == std::string_view::npos) return lines.At("a conffile line without a digest");
      const std::string_view path = rest.substr(0, space);
      const std::string_view md5 = rest.substr(space + 1);
      if (auto status = CheckPath(lines, path); !status.ok()) return status.error();
      if (!IsMd5(md5) && md5 != "newconffile") return lines.At("a conffile digest is not MD5");
      current.conffiles.push_back(Conffile{std::string(path), std::string(md5), obsolete});
      continue;
    }
    in_conffiles = false;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return lines.At("expected 'Field: value'");
    const std::string_view field = line.substr(0, colon);
    const std::string_view value = Trim(line.substr(colon + 1));
    if (field == "Package") {
      current.name = std::string(value);
    } else if (field == "Architecture") {
      current.architecture = std::string(value);
    } else if (field == "Version") {
      current.version = std::string(value);
    } else if (field == "Status") {
      current.state = std::string(Word(value, 2));
    } else if (field == "Conffiles") {
      in_conffiles = true;
    }
  }
  if (auto status = finish(); !status.ok()) return status.error();
  return packages;
}

Result<std::vector<Md5Entry>> ParseMd5sums(std::string_view text, std::string_view source) {
  std::vector<Md5Entry> entries;
  Lines lines(text, source);
  std::string_view line;
  while (lines.Next(line)) {
    if (line.empty()) continue;
    // "<md5>  <path>": two spaces (md5sum's text mode), or " *" (binary mode).
    if (line.size() < 35 || !IsMd5(line.substr(0, 32)) || line[32] != ' ' ||
        (line[33] != ' ' && line[33] != '*')) {
      return lines.At("expected '<md5>  <path>'");
    }
    std::string path = "/" + std::string(line.substr(34));
    if (auto status = CheckPath(lines, path); !status.ok()) return status.error();
    entries.push_back(Md5Entry{std::move(path), std::string(line.substr(0, 32))});
  }
  return entries;
}

Result<std::vector<std::string>> ParsePathList(std::string_view text, std::string_view source) {
  std::vector<std::string> paths;
  Lines lines(text, source);
  std::string_view line;
  while (lines.Next(line)) {
    if (line.empty()) continue;
    if (auto status = CheckPath(lines, line); !status.ok()) return status.error();
    paths.emplace_back(line);
  }
  return paths;
}

Result<std::vector<Diversion>> ParseDiversions(std::string_view text, std::string_view source) {
  std::vector<Diversion> diversions;
  Lines lines(text, source);
  std::string_view from;
  while (lines.Next(from)) {
    if (from.empty()) continue;
    std::string_view to;
    std::string_view package;
    if (!lines.Next(to) || !lines.Next(package)) return lines.At("a diversion cut short");
    if (auto status = CheckPath(lines, from); !status.ok()) return status.error();
    if (auto status = CheckPath(lines, to); !status.ok()) return status.error();
    diversions.push_back(Diversion{std::string(from), std::string(to), std::string(package)});
  }
  return diversions;
}

Result<std::vector<std::string>> ParseAlternativeLinks(std::string_view text,
                                                       std::string_view source) {
  std::vector<std::string> links;
  Lines lines(text, source);
  std::string_view line;
  if (!lines.Next(line) || (line != "auto" && line != "manual")) {
    return lines.At("expected 'auto' or 'manual'");
  }
  if (!lines.Next(line)) return lines.At("no master link");
  if (auto status = CheckPath(lines, line); !status.ok()) return status.error();
  links.emplace_back(line);
  // Then pairs of slave name and slave link, up to an empty line.
  std::string_view name;
  while (lines.Next(name) && !name.empty()) {
    if (!lines.Next(line)) return lines.At("a slave without its link");
    if (auto status = CheckPath(lines, line); !status.ok()) return status.error();
    links.emplace_back(line);
  }
  return links;
}

Result<std::vector<StatOverride>> ParseStatOverrides(std::string_view text,
                                                     std::string_view source) {
  std::vector<StatOverride> overrides;
  Lines lines(text, source);
  std::string_view line;
  while (lines.Next(line)) {
    if (Trim(line).empty()) continue;
    StatOverride entry;
    entry.user = std::string(Word(line, 0));
    entry.group = std::string(Word(line, 1));
    const std::string_view mode = Word(line, 2);
    if (entry.user.empty() || entry.group.empty() || mode.empty() || mode.size() > 6) {
      return lines.At("expected 'user group mode path'");
    }
    for (const char c : mode) {
      if (c < '0' || c > '7') return lines.At("the mode is not octal");
      entry.mode = entry.mode * 8 + static_cast<uint32_t>(c - '0');
    }
    // The path is the rest of the line after the third word: it may hold spaces.
    std::string_view rest = Trim(line);
    for (int i = 0; i < 3; ++i) rest = Trim(rest.substr(std::min(rest.find(' '), rest.size())));
    if (auto status = CheckPath(lines, rest); !status.ok()) return status.error();
    entry.path = std::string(rest);
    overrides.push_back(std::move(entry));
  }
  return overrides;
}

}  // namespace irk::integrity
