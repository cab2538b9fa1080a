// One file as a baseline records it: the attributes a policy asks for, and
// the comparison of two records of the same path into named old → new changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace irk::integrity {

// The attributes a rule can ask for, as bits of an AttributeSet.
enum Attribute : uint32_t {
  kType = 1u << 0,
  kMode = 1u << 1,  // permission bits with setuid, setgid and sticky
  kUid = 1u << 2,
  kGid = 1u << 3,
  kSize = 1u << 4,
  kMtime = 1u << 5,
  kCtime = 1u << 6,
  kInode = 1u << 7,
  kLinks = 1u << 8,
  kTarget = 1u << 9,    // a symbolic link's target
  kAcl = 1u << 10,      // system.posix_acl_access and system.posix_acl_default
  kCaps = 1u << 11,     // security.capability
  kSelinux = 1u << 12,  // security.selinux
  kXattrs = 1u << 13,   // every other extended attribute
  kHash = 1u << 14,     // the content's digest
  kGrowing = 1u << 15,  // a log: its size may grow; content, size growth and times are not compared
};
using AttributeSet = uint32_t;

// Every attribute but kGrowing.
inline constexpr AttributeSet kAllAttributes = (kHash << 1) - 1;
// The attributes read from extended attributes.
inline constexpr AttributeSet kXattrAttributes = kAcl | kCaps | kSelinux | kXattrs;

// "type", "mode", … "hash", "growing": the names the policy and reports use.
std::string_view AttributeName(Attribute attribute);
std::optional<Attribute> ParseAttribute(std::string_view name);
// The names of the bits in `set`, in bit order.
std::vector<std::string_view> AttributeNames(AttributeSet set);

// kMd5 only checks files against dpkg's md5sums; a policy cannot choose it.
enum class HashAlgorithm { kSha256, kSha512, kBlake2b, kMd5 };
std::string_view HashName(HashAlgorithm algorithm);  // "sha256", "sha512", "blake2b", "md5"
// The algorithms a policy may name: sha256, sha512, blake2b.
std::optional<HashAlgorithm> ParseHashName(std::string_view name);

enum class FileType : uint8_t {
  kRegular,
  kDirectory,
  kSymlink,
  kFifo,
  kSocket,
  kCharDevice,
  kBlockDevice,
  kUnknown
};
std::string_view FileTypeName(FileType type);  // "file", "directory", "symlink", "fifo", …
FileType FileTypeFromMode(uint32_t st_mode);
std::optional<FileType> ParseFileType(std::string_view name);

// How reading the entry went. Everything but kOk is itself a finding.
enum class ReadState : uint8_t {
  kOk,
  kUnstable,  // changed while it was read, twice: no hash is given
  kVanished,  // gone between listing and reading
  kDenied,    // permission denied
  kError,     // another error, in `problem`
};
std::string_view ReadStateName(ReadState state);  // "ok", "unstable", "vanished", …
std::optional<ReadState> ParseReadState(std::string_view name);

struct FileRecord {
  std::string path;             // absolute, as the examined system names it
  AttributeSet attributes = 0;  // what the rule asked for
  FileType type = FileType::kUnknown;
  uint32_t mode = 0;  // st_mode & 07777
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // nanoseconds since the epoch
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
  uint64_t links = 0;
  std::string target;  // symlinks only, with kTarget
  // Extended attributes the rule asked for, sorted by name; values raw.
  std::vector<std::pair<std::string, std::string>> xattrs;
  std::string hash;  // "sha256:<hex>"; empty when not hashed
  ReadState state = ReadState::kOk;
  std::string problem;  // why the state is not kOk, for a person
};

// Which attribute bit an extended attribute's name belongs to.
Attribute XattrAttribute(std::string_view name);

// The xattrs as one string for storage: "name\0hexvalue\n" per entry. Names
// hold no NUL and hex no newline, so the text parses back unambiguously.
std::string EncodeXattrs(const std::vector<std::pair<std::string, std::string>>& xattrs);
// Parses EncodeXattrs' text; nullopt when it is malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> DecodeXattrs(std::string_view text);

// One changed attribute, values as a person reads them ("0755", "root" is not
// resolved: uids stay numbers).
struct AttributeChange {
  std::string attribute;  // AttributeName, or "xattr NAME" for one extended attribute
  std::string old_value;
  std::string new_value;
};

// The attributes of `then` (the baseline's record, whose `attributes` say
// what to compare) that differ in `now`, in bit order. Directories' size,
// times and link counts are not compared: they change whenever an entry is
// added below. A kGrowing record compares size only for shrinking. A state
// other than kOk in `now` is reported as the attribute "state".
std::vector<AttributeChange> Compare(const FileRecord& then, const FileRecord& now);

// The value of one attribute of `record` as Compare prints it.
std::string FormatMode(uint32_t mode);           // "4755"
std::string FormatNanoseconds(int64_t time_ns);  // RFC 3339 UTC with nanoseconds
// An extended attribute's value: as text when it is printable ASCII (an
// SELinux label's final NUL dropped), otherwise as "0x" and hex.
std::string FormatXattrValue(std::string_view value);

}  // namespace irk::integrity
