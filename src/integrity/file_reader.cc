#include "integrity/file_reader.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "core/root.h"

namespace irk::integrity {
namespace {

constexpr size_t kBufferBytes = 128 * 1024;
constexpr size_t kMaxXattrBytes = 64 * 1024;  // the kernel's own limit for names and values

int64_t Nanoseconds(const struct timespec& t) {
  return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// True when nothing a writer changes moved between the two stats.
bool SameContent(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         Nanoseconds(a.st_mtim) == Nanoseconds(b.st_mtim) &&
         Nanoseconds(a.st_ctim) == Nanoseconds(b.st_ctim);
}

const EVP_MD* Algorithm(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha512:
      return EVP_sha512();
    case HashAlgorithm::kBlake2b:
      return EVP_blake2b512();
    case HashAlgorithm::kMd5:
      return EVP_md5();
    case HashAlgorithm::kSha256:
      break;
  }
  return EVP_sha256();
}

void SetProblem(FileRecord& record, ReadState state, std::string problem) {
  record.state = state;
  record.problem = std::move(problem);
  record.hash.clear();
}

ReadState StateForErrno(int error) {
  if (error == ENOENT || error == ENOTDIR) return ReadState::kVanished;
  if (error == EACCES || error == EPERM) return ReadState::kDenied;
  return ReadState::kError;
}

}  // namespace

void FillFromStat(const struct stat& st, FileRecord& record) {
  record.type = FileTypeFromMode(st.st_mode);
  record.mode = st.st_mode & 07777;
  record.uid = st.st_uid;
  record.gid = st.st_gid;
  record.size = static_cast<uint64_t>(st.st_size);
  record.mtime_ns = Nanoseconds(st.st_mtim);
  record.ctime_ns = Nanoseconds(st.st_ctim);
  record.inode = st.st_ino;
  record.links = st.st_nlink;
}

std::vector<std::pair<std::string, std::string>> ReadXattrs(int fd, AttributeSet attributes) {
  std::vector<std::pair<std::string, std::string>> xattrs;
  if ((attributes & kXattrAttributes) == 0) return xattrs;
  // Most files have no extended attribute or a few short ones: a small
  // buffer on the stack, a large one only when the kernel says ERANGE.
  char small[1024];
  std::string large;
  auto read = [&](auto&& call) -> std::string_view {
    ssize_t n = call(small, sizeof(small));
    if (n >= 0) return std::string_view(small, static_cast<size_t>(n));
    if (errno != ERANGE) return {};
    large.assign(kMaxXattrBytes, '\0');
    n = call(large.data(), large.size());
    return n >= 0 ? std::string_view(large.data(), static_cast<size_t>(n)) : std::string_view();
  };
  const std::string names(
      read([fd](char* buffer, size_t size) { return flistxattr(fd, buffer, size); }));
  for (size_t start = 0; start < names.size();) {
    const size_t end = std::min(names.find('\0', start), names.size());
    const std::string name = names.substr(start, end - start);
    start = end + 1;
    if (name.empty() || (attributes & XattrAttribute(name)) == 0) continue;
    errno = 0;
    const std::string_view value = read([fd, &name](char* buffer, size_t size) {
      return fgetxattr(fd, name.c_str(), buffer, size);
    });
    if (errno == 0) xattrs.emplace_back(name, std::string(value));
  }
  std::sort(xattrs.begin(), xattrs.end());
  return xattrs;
}

void FileReader::CtxDeleter::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

FileReader::FileReader() : ctx_(EVP_MD_CTX_new()), buffer_(new char[kBufferBytes]) {
  if (!ctx_) throw std::runtime_error("openssl: cannot allocate a digest context");
}
FileReader::FileReader(FileReader&&) noexcept = default;
FileReader::~FileReader() = default;

FileReader::Digest FileReader::HashFile(int fd, HashAlgorithm algorithm, uint64_t size) {
  // OpenSSL failing here is a broken installation, not bad input.
  if (EVP_DigestInit_ex(ctx_.get(), Algorithm(algorithm), nullptr) != 1) {
    throw std::runtime_error("openssl: cannot initialise the digest");
  }
  Digest digest;
  // Reading stops at the size fstat gave, which spares a read that only
  // finds the end; a file that grew or shrank meanwhile shows in the stat
  // taken afterwards (or in the byte count), and is read again.
  while (digest.bytes < size) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kBufferBytes, size - digest.bytes));
    const ssize_t n = pread(fd, buffer_.get(), want, static_cast<off_t>(digest.bytes));
    if (n < 0) {
      if (errno == EINTR) continue;
      digest.error = errno;
      return digest;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx_.get(), buffer_.get(), static_cast<size_t>(n));
    digest.bytes += static_cast<uint64_t>(n);
  }
  bytes_read_ += digest.bytes;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_size = 0;
  EVP_DigestFinal_ex(ctx_.get(), md, &md_size);
  static constexpr char kHex[] = "0123456789abcdef";
  digest.hash.reserve(HashName(algorithm).size() + 1 + 2 * md_size);
  digest.hash = HashName(algorithm);
  digest.hash += ':';
  for (unsigned int i = 0; i < md_size; ++i) {
    digest.hash += kHex[md[i] >> 4];
    digest.hash += kHex[md[i] & 0xf];
  }
  return digest;
}

void FileReader::Read(int dir_fd, const char* name, HashAlgorithm algorithm, FileRecord& record) {
  constexpr int kFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  int fd = openat(dir_fd, name, kFlags | (noatime_ ? O_NOATIME : 0));
  if (fd < 0 && errno == EPERM && noatime_) {
    // O_NOATIME needs ownership or CAP_FOWNER; without it, read as anyone would.
    noatime_ = false;
    fd = openat(dir_fd, name, kFlags);
  }
  if (fd < 0) {
    const int error = errno;
    struct stat now {};
    if (error == ELOOP && fstatat(dir_fd, name, &now, AT_SYMLINK_NOFOLLOW) == 0) {
      // A symbolic link took the file's place after it was listed.
      FillFromStat(now, record);
      std::string target(4096, '\0');
      const ssize_t n = readlinkat(dir_fd, name, target.data(), target.size());
      if (n >= 0 && (record.attributes & kTarget) != 0) {
        record.target = target.substr(0, static_cast<size_t>(n));
      }
      SetProblem(record, ReadState::kUnstable, "replaced by a symbolic link while scanned");
      return;
    }
    SetProblem(record, StateForErrno(error), fmt::format("open: {}", std::strerror(error)));
    return;
  }
  const Fd file(fd);
  struct stat before {};
  if (fstat(fd, &before) != 0) {
    SetProblem(record, ReadState::kError, fmt::format("stat: {}", std::strerror(errno)));
    return;
  }
  FillFromStat(before, record);
  if (!S_ISREG(before.st_mode)) {
    SetProblem(record, ReadState::kUnstable,
               fmt::format("replaced by a {} while scanned", FileTypeName(record.type)));
    return;
  }
  const bool hash = (record.attributes & kHash) != 0 && (record.attributes & kGrowing) == 0;
  for (int attempt = 0; hash && attempt < 2; ++attempt) {
    Digest digest = HashFile(fd, algorithm, static_cast<uint64_t>(before.st_size));
    if (digest.error != 0) {
      SetProblem(record, StateForErrno(digest.error),
                 fmt::format("read: {}", std::strerror(digest.error)));
      return;
    }
    struct stat after {};
    if (fstat(fd, &after) != 0) {
      SetProblem(record, ReadState::kError, fmt::format("stat: {}", std::strerror(errno)));
      return;
    }
    FillFromStat(after, record);
    if (SameContent(before, after) && digest.bytes == static_cast<uint64_t>(after.st_size)) {
      record.hash = std::move(digest.hash);
      record.state = ReadState::kOk;
      record.problem.clear();
      break;
    }
    SetProblem(record, ReadState::kUnstable, "changed while read, twice; no hash taken");
    before = after;
  }
  record.xattrs = ReadXattrs(fd, record.attributes);
}

}  // namespace irk::integrity
