#include "integrity/deb_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <memory>
#include <optional>

#include <fmt/format.h>

namespace irk::integrity {
namespace {

constexpr size_t kMaxEntries = 1000000;
constexpr size_t kMaxControlBytes = 1 << 20;

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

// Feeds an inner archive (control.tar.*, data.tar.*) from the current
// member of the outer ar archive, so nothing is unpacked to disk or memory.
la_ssize_t ReadMember(archive*, void* outer, const void** buffer) {
  static thread_local char block[65536];
  *buffer = block;
  return archive_read_data(static_cast<archive*>(outer), block, sizeof(block));
}

ArchivePtr OpenMember(archive* outer) {
  ArchivePtr inner(archive_read_new());
  archive_read_support_filter_all(inner.get());
  archive_read_support_format_tar(inner.get());
  if (archive_read_open(inner.get(), outer, nullptr, ReadMember, nullptr) != ARCHIVE_OK) {
    return nullptr;
  }
  return inner;
}

// "./usr/bin/ls" → "/usr/bin/ls"; nullopt for names with "..", NUL, or too long.
std::optional<std::string> NormalisePath(std::string_view name) {
  if (name.starts_with("./")) name.remove_prefix(1);
  if (!name.starts_with('/')) return std::nullopt;
  if (name.size() > 4096 || name.find('\0') != std::string_view::npos) return std::nullopt;
  std::string path(name);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  for (size_t start = 1; start <= path.size();) {
    const size_t end = std::min(path.find('/', start), path.size());
    if (path.compare(start, end - start, "..") == 0) return std::nullopt;
    start = end + 1;
  }
  return path;
}

std::string FieldOf(std::string_view control, std::string_view field) {
  while (!control.empty()) {
    const size_t end = control.find('\n');
    std::string_view line = control.substr(0, end);
    control.remove_prefix(end == std::string_view::npos ? control.size() : end + 1);
    if (line.size() > field.size() && line.starts_with(field) && line[field.size()] == ':') {
      line.remove_prefix(field.size() + 1);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
      return std::string(line);
    }
  }
  return {};
}

Status ReadControl(archive* outer, DebContents& deb, std::string_view source) {
  ArchivePtr inner = OpenMember(outer);
  if (!inner) return Fail(fmt::format("{}: control member unreadable", source));
  archive_entry* entry = nullptr;
  for (size_t n = 0; n < kMaxEntries && archive_read_next_header(inner.get(), &entry) == ARCHIVE_OK;
       ++n) {
    const char* name = archive_entry_pathname(entry);
    if (name == nullptr || std::string_view(name) != "./control") continue;
    std::string control;
    char block[8192];
    la_ssize_t got;
    while ((got = archive_read_data(inner.get(), block, sizeof(block))) > 0) {
      control.append(block, static_cast<size_t>(got));
      if (control.size() > kMaxControlBytes) {
        return Fail(fmt::format("{}: control file larger than 1 MiB", source));
      }
    }
    deb.package = FieldOf(control, "Package");
    deb.version = FieldOf(control, "Version");
    deb.architecture = FieldOf(control, "Architecture");
    if (deb.package.empty() || deb.version.empty()) {
      return Fail(fmt::format("{}: control lacks Package or Version", source));
    }
    return Ok();
  }
  return Fail(fmt::format("{}: no ./control in control.tar", source));
}

Status ReadData(archive* outer, DebContents& deb, std::string_view source) {
  ArchivePtr inner = OpenMember(outer);
  if (!inner) return Fail(fmt::format("{}: data member unreadable", source));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  archive_entry* entry = nullptr;
  size_t entries = 0;
  int rc;
  while ((rc = archive_read_next_header(inner.get(), &entry)) == ARCHIVE_OK) {
    if (++entries > kMaxEntries)
      return Fail(fmt::format("{}: more than 1,000,000 entries", source));
    if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_hardlink(entry) != nullptr) {
      continue;
    }
    const char* name = archive_entry_pathname(entry);
    auto path = NormalisePath(name == nullptr ? "" : name);
    if (!path) {
      return Fail(fmt::format("{}: entry {} is no safe path", source, entries));
    }
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int data_rc;
    while ((data_rc = archive_read_data_block(inner.get(), &block, &size, &offset)) == ARCHIVE_OK) {
      EVP_DigestUpdate(ctx.get(), block, size);
    }
    if (data_rc != ARCHIVE_EOF) {
      return Fail(fmt::format("{}: {}: {}", source, *path, archive_error_string(inner.get())));
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_size = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &md_size);
    std::string hash = "sha256:";
    for (unsigned int i = 0; i < md_size; ++i) hash += fmt::format("{:02x}", md[i]);
    deb.files.push_back(DebFile{std::move(*path), std::move(hash)});
  }
  if (rc != ARCHIVE_EOF) {
    const char* message = archive_error_string(inner.get());
    return Fail(fmt::format("{}: data.tar: {}", source, message ? message : "unreadable"));
  }
  return Ok();
}

}  // namespace

Result<DebContents> ReadDeb(int fd, std::string_view source) {
  ArchivePtr outer(archive_read_new());
  archive_read_support_format_ar(outer.get());
  if (archive_read_open_fd(outer.get(), fd, 65536) != ARCHIVE_OK) {
    return Fail(fmt::format("{}: not an ar archive", source));
  }
  DebContents deb;
  bool control = false;
  bool data = false;
  archive_entry* entry = nullptr;
  for (size_t n = 0; n < 16 && archive_read_next_header(outer.get(), &entry) == ARCHIVE_OK; ++n) {
    const std::string_view name =
        archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (!control && name.starts_with("control.tar")) {
      if (auto status = ReadControl(outer.get(), deb, source); !status.ok()) return status.error();
      control = true;
    } else if (!data && name.starts_with("data.tar")) {
      if (auto status = ReadData(outer.get(), deb, source); !status.ok()) return status.error();
      data = true;
    }
  }
  if (!control || !data)
    return Fail(fmt::format("{}: not a .deb (control or data missing)", source));
  return deb;
}

}  // namespace irk::integrity
