#include "integrity/file_record.h"

#include <sys/stat.h>

#include <array>

#include <fmt/format.h>

#include "core/time.h"

namespace irk::integrity {
namespace {

constexpr std::array<std::string_view, 16> kAttributeNames = {
    "type",  "mode",   "uid", "gid",  "size",    "mtime",  "ctime", "inode",
    "links", "target", "acl", "caps", "selinux", "xattrs", "hash",  "growing"};

constexpr std::array<std::string_view, 8> kTypeNames = {
    "file", "directory", "symlink", "fifo", "socket", "char-device", "block-device", "unknown"};

constexpr std::array<std::string_view, 5> kStateNames = {"ok", "unstable", "vanished", "denied",
                                                         "error"};

template <typename Enum, size_t N>
std::optional<Enum> FindName(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string_view AttributeName(Attribute attribute) {
  for (size_t bit = 0; bit < kAttributeNames.size(); ++bit) {
    if (attribute == (1u << bit)) return kAttributeNames[bit];
  }
  return "unknown";
}

std::optional<Attribute> ParseAttribute(std::string_view name) {
  for (size_t bit = 0; bit < kAttributeNames.size(); ++bit) {
    if (kAttributeNames[bit] == name) return static_cast<Attribute>(1u << bit);
  }
  return std::nullopt;
}

std::vector<std::string_view> AttributeNames(AttributeSet set) {
  std::vector<std::string_view> names;
  for (size_t bit = 0; bit < kAttributeNames.size(); ++bit) {
    if ((set & (1u << bit)) != 0) names.push_back(kAttributeNames[bit]);
  }
  return names;
}

std::string_view HashName(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha256:
      return "sha256";
    case HashAlgorithm::kSha512:
      return "sha512";
    case HashAlgorithm::kBlake2b:
      return "blake2b";
    case HashAlgorithm::kMd5:
      return "md5";
  }
  return "sha256";
}

std::optional<HashAlgorithm> ParseHashName(std::string_view name) {
  for (const auto algorithm :
       {HashAlgorithm::kSha256, HashAlgorithm::kSha512, HashAlgorithm::kBlake2b}) {
    if (HashName(algorithm) == name) return algorithm;
  }
  return std::nullopt;
}

std::string_view FileTypeName(FileType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<FileType> ParseFileType(std::string_view name) {
  return FindName<FileType>(kTypeNames, name);
}

FileType FileTypeFromMode(uint32_t st_mode) {
  switch (st_mode & S_IFMT) {
    case S_IFREG:
      return FileType::kRegular;
    case S_IFDIR:
      return FileType::kDirectory;
    case S_IFLNK:
      return FileType::kSymlink;
    case S_IFIFO:
      return FileType::kFifo;
    case S_IFSOCK:
      return FileType::kSocket;
    case S_IFCHR:
      return FileType::kCharDevice;
    case S_IFBLK:
      return FileType::kBlockDevice;
    default:
      return FileType::kUnknown;
  }
}

std::string_view ReadStateName(ReadState state) { return kStateNames[static_cast<size_t>(state)]; }

std::optional<ReadState> ParseReadState(std::string_view name) {
  return FindName<ReadState>(kStateNames, name);
}

Attribute XattrAttribute(std::string_view name) {
  if (name == "system.posix_acl_access" || name == "system.posix_acl_default") return kAcl;
  if (name == "security.capability") return kCaps;
  if (name == "security.selinux") return kSelinux;
  return kXattrs;
}

std::string EncodeXattrs(const std::vector<std::pair<std::string, std::string>>& xattrs) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (const auto& [name, value] : xattrs) {
    text += name;
    text += '\0';
    for (const unsigned char c : value) {
      text += kHex[c >> 4];
      text += kHex[c & 0xf];
    }
    text += '\n';
  }
  return text;
}

std::optional<std::vector<std::pair<std::string, std::string>>> DecodeXattrs(
    std::string_view text) {
  std::vector<std::pair<std::string, std::string>> xattrs;
  while (!text.empty()) {
    const size_t nul = text.find('\0');
    if (nul == std::string_view::npos || nul == 0) return std::nullopt;
    const size_t newline = text.find('\n', nul);
    if (newline == std::string_view::npos) return std::nullopt;
    const std::string_view hex = text.substr(nul + 1, newline - nul - 1);
    if (hex.size() % 2 != 0) return std::nullopt;
    std::string value;
    for (size_t i = 0; i < hex.size(); i += 2) {
      const int high = HexValue(hex[i]);
      const int low = HexValue(hex[i + 1]);
      if (high < 0 || low < 0) return std::nullopt;
      value += static_cast<char>(high * 16 + low);
    }
    xattrs.emplace_back(std::string(text.substr(0, nul)), std::move(value));
    text.remove_prefix(newline + 1);
  }
  return xattrs;
}

std::string FormatXattrValue(std::string_view value) {
  std::string_view text = value;
  if (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  bool printable = !text.empty();
  for (const char c : text) printable = printable && c >= 0x20 && c < 0x7f;
  if (printable) return std::string(text);
  std::string hex = "0x";
  for (const unsigned char c : value) hex += fmt::format("{:02x}", c);
  return hex;
}

std::string FormatMode(uint32_t mode) { return fmt::format("{:04o}", mode & 07777); }

std::string FormatNanoseconds(int64_t time_ns) {
  const int64_t seconds = time_ns >= 0 ? time_ns / 1000000000 : (time_ns - 999999999) / 1000000000;
  const int64_t nanos = time_ns - seconds * 1000000000;
  std::string text = FormatRfc3339(Timestamp{seconds, 0});
  // "2026-11-26T13:02:11+00:00" → "2026-11-26T13:02:11.123456789+00:00"
  text.insert(19, fmt::format(".{:09d}", nanos));
  return text;
}

std::vector<AttributeChange> Compare(const FileRecord& then, const FileRecord& now) {
  std::vector<AttributeChange> changes;
  const AttributeSet asked = then.attributes;
  const bool directory = then.type == FileType::kDirectory && now.type == FileType::kDirectory;
  const bool growing = (asked & kGrowing) != 0;
  auto check = [&](Attribute attribute, auto old_value, auto new_value, auto format) {
    if ((asked & attribute) != 0 && old_value != new_value) {
      changes.push_back(
          {std::string(AttributeName(attribute)), format(old_value), format(new_value)});
    }
  };
  auto number = [](uint64_t value) { return std::to_string(value); };
  if (now.state != ReadState::kOk) {
    changes.push_back({"state", std::string(ReadStateName(then.state)),
                       fmt::format("{}: {}", ReadStateName(now.state), now.problem)});
  }
  check(kType, then.type, now.type, [](FileType t) { return std::string(FileTypeName(t)); });
  check(kMode, then.mode, now.mode, FormatMode);
  check(kUid, then.uid, now.uid, number);
  check(kGid, then.gid, now.gid, number);
  if (!directory) {
    if (!growing || now.size < then.size) check(kSize, then.size, now.size, number);
    if (!growing) {
      check(kMtime, then.mtime_ns, now.mtime_ns, FormatNanoseconds);
      check(kCtime, then.ctime_ns, now.ctime_ns, FormatNanoseconds);
    }
  }
  check(kInode, then.inode, now.inode, number);
  if (!directory) check(kLinks, then.links, now.links, number);
  check(kTarget, then.target, now.target, [](const std::string& t) { return t; });

  // Extended attributes: both lists are sorted by name; walk them together.
  auto old_it = then.xattrs.begin();
  auto new_it = now.xattrs.begin();
  while (old_it != then.xattrs.end() || new_it != now.xattrs.end()) {
    const bool take_old = new_it == now.xattrs.end() ||
                          (old_it != then.xattrs.end() && old_it->first < new_it->first);
    const bool take_new = old_it == then.xattrs.end() ||
                          (new_it != now.xattrs.end() && new_it->first < old_it->first);
    const std::string& name = take_old ? old_it->first : new_it->first;
    if ((asked & XattrAttribute(name)) != 0) {
      const std::string old_value = take_new ? "(none)" : FormatXattrValue(old_it->second);
      const std::string new_value = take_old ? "(none)" : FormatXattrValue(new_it->second);
      if (take_old || take_new || old_it->second != new_it->second) {
        changes.push_back({fmt::format("{} {}", AttributeName(XattrAttribute(name)), name),
                           old_value, new_value});
      }
    }
    if (!take_new) ++old_it;
    if (!take_old) ++new_it;
  }
  if (!growing && now.state == ReadState::kOk) {
    check(kHash, then.hash, now.hash, [](const std::string& h) { return h; });
  }
  return changes;
}

}  // namespace irk::integrity
