// Reading one directory entry race-safely: metadata without following links,
// the content of regular files only (never a FIFO, socket or device), and a
// hash that is given only when the file did not change while it was read.
#pragma once

#include <sys/stat.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "integrity/file_record.h"

struct evp_md_ctx_st;

namespace irk::integrity {

// Copies what `st` says into `record` (type, mode, ids, size, times, inode,
// links).
void FillFromStat(const struct stat& st, FileRecord& record);

// The extended attributes of the open file `fd` whose kind `attributes`
// asks for, sorted by name. Unreadable ones are left out.
std::vector<std::pair<std::string, std::string>> ReadXattrs(int fd, AttributeSet attributes);

// Reads regular files. Holds a read buffer and digest contexts, so each
// hashing thread keeps one.
class FileReader {
 public:
  FileReader();
  FileReader(FileReader&&) noexcept;
  ~FileReader();

  // Completes `record` (path set, metadata from the walker's lstat) for the
  // entry `name` in the directory `dir_fd`:
  // - opens it with O_NOFOLLOW|O_NONBLOCK|O_NOATIME (O_NOATIME dropped when
  //   the kernel refuses it), so a link swapped in is not followed and a
  //   FIFO swapped in is not waited on; the metadata then comes from the
  //   opened file itself;
  // - an entry that vanished, was denied, or is no longer a regular file
  //   gets that state (kVanished, kDenied, kUnstable) and no hash;
  // - hashes with `algorithm` when `record.attributes` asks for the hash,
  //   comparing size, times and inode before and after; a file that changed
  //   is read once more, and if it changed again it is kUnstable without a
  //   hash, never a hash of a half-written state;
  // - reads the extended attributes the record asks for.
  void Read(int dir_fd, const char* name, HashAlgorithm algorithm, FileRecord& record);

  // Bytes read so far by this reader.
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  // Hashes the first `size` bytes of `fd` (fewer when it ends first): the
  // "algorithm:hex" digest and the byte count, or an errno value.
  struct Digest {
    std::string hash;
    uint64_t bytes = 0;
    int error = 0;
  };
  Digest HashFile(int fd, HashAlgorithm algorithm, uint64_t size);

  struct CtxDeleter {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxDeleter> ctx_;
  std::unique_ptr<char[]> buffer_;
  bool noatime_ = true;  // cleared once the kernel refuses O_NOATIME (EPERM)
  uint64_t bytes_read_ = 0;
};

}  // namespace irk::integrity
