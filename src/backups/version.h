// One version of a file in one generation, and the readers that find it:
// only the asked paths are read, never a whole generation; archives are
// streamed, never unpacked to disk.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backups/generation.h"
#include "core/result.h"
#include "integrity/file_record.h"

namespace irk::backups {

struct Version {
  bool present = false;  // the generation holds an entry at the path
  integrity::FileType type = integrity::FileType::kUnknown;
  uint32_t mode = 0;  // permission bits with setuid, setgid and sticky
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string sha256;  // hex; regular files only
  std::string md5;     // hex; regular files only
  std::string other;   // "sha512:<hex>" or "blake2b:<hex>" when asked for (a baseline's algorithm)
  std::string target;  // a symbolic link's target
  // Why the entry could not be judged ("a folder on the way is a symbolic
  // link", "unreadable: …"); empty when it was read.
  std::string problem;
  std::vector<std::pair<std::string, std::string>> xattrs;  // kept for a restore only
};

// The problem of a version that a GNU incremental archive lists as unchanged
// since its previous level: the previous generation's version stands.
inline constexpr std::string_view kUnchangedInIncrement =
    "unchanged since the previous level (GNU incremental)";

// "/etc/passwd" for a path the operator asks about ("/etc//passwd/" too);
// nullopt for a relative path, one with "..", or "/".
std::optional<std::string> AskedPath(std::string_view path);

// What a reader computes and keeps.
struct ReadOptions {
  std::optional<integrity::HashAlgorithm> other;  // a third digest (sha512, blake2b)
  bool keep_content = false;  // keep the bytes and xattrs (a restore), at most kMaxRestoreBytes
};

// The largest file a restore reads into memory.
inline constexpr uint64_t kMaxRestoreBytes = 1ull << 30;

// Digests of files already hashed, by (device, inode, size, mtime, ctime):
// the unchanged files of hard-linked snapshot trees are hashed once.
class InodeCache {
 public:
  struct Key {
    dev_t dev;
    ino_t ino;
    uint64_t size;
    int64_t mtime_ns;
    int64_t ctime_ns;
    auto operator<=>(const Key&) const = default;
  };
  const Version* Find(const Key& key) const;
  void Put(const Key& key, const Version& version);
  size_t hits() const { return hits_; }

 private:
  std::map<Key, Version> versions_;
  mutable size_t hits_ = 0;
};

// The version of each of `paths` (absolute, as the backed-up system names
// them) in `generation`, in the order of `paths`; with keep_content, the
// bytes of each regular file go to `contents` (same order). An error when
// the generation cannot be read at all (an archive with an absolute or
// climbing entry name is refused whole).
Result<std::vector<Version>> ReadVersions(const Generation& generation,
                                          const std::vector<std::string>& paths,
                                          const ReadOptions& options, InodeCache& cache,
                                          std::vector<std::string>* contents = nullptr);

// "etc/passwd" for an archive entry named "./etc/passwd", "etc/passwd" or
// "etc//passwd/"; nullopt for an absolute name, one with a ".." component,
// a NUL, or longer than 4096 bytes. Pure; the name is hostile.
std::optional<std::string> EntryPath(std::string_view name);

// Calls `sink` with each data block of a file being hashed; used by every
// reader so that one pass computes sha256, md5 and the other digest.
class Hasher {
 public:
  explicit Hasher(std::optional<integrity::HashAlgorithm> other);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void Update(std::string_view bytes);
  // Writes the digests into `version` and resets for the next file.
  void Finish(Version& version);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace irk::backups
