// Reading paths from an archive through libarchive: streamed, never
// unpacked, only the asked entries' data hashed. The names are hostile: an
// absolute or climbing name refuses the whole archive, and an entry reached
// through an earlier symbolic-link entry is never taken for the file.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "backups/readers.h"
#include "core/text.h"

namespace irk::backups {
namespace {

constexpr size_t kMaxEntries = 10000000;
constexpr size_t kMaxLinks = 100000;
constexpr size_t kMaxDumpdir = 16 << 20;

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

void Describe(archive_entry* entry, Version& version) {
  version.present = true;
  version.type = integrity::FileTypeFromMode(archive_entry_mode(entry));
  version.mode = archive_entry_perm(entry) & 07777;
  version.uid = static_cast<uint32_t>(archive_entry_uid(entry));
  version.gid = static_cast<uint32_t>(archive_entry_gid(entry));
  version.size = static_cast<uint64_t>(archive_entry_size(entry));
  version.mtime_ns =
      int64_t{archive_entry_mtime(entry)} * 1000000000 + archive_entry_mtime_nsec(entry);
  if (const char* target = archive_entry_symlink(entry)) version.target = target;
}

std::vector<std::pair<std::string, std::string>> Xattrs(archive_entry* entry) {
  std::vector<std::pair<std::string, std::string>> xattrs;
  archive_entry_xattr_reset(entry);
  const char* name = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  while (archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
    if (name != nullptr)
      xattrs.emplace_back(name, std::string(static_cast<const char*>(value), size));
  }
  std::sort(xattrs.begin(), xattrs.end());
  return xattrs;
}

// The names GNU tar's dumpdir (a --listed-incremental folder entry) lists:
// 'Y' in this archive, 'N' present but unchanged since the last level, 'D' a
// folder. Returns the names marked 'N'.
std::set<std::string> UnchangedNames(std::string_view dumpdir) {
  std::set<std::string> unchanged;
  while (!dumpdir.empty()) {
    const size_t end = dumpdir.find('\0');
    const std::string_view item = dumpdir.substr(0, end);
    dumpdir.remove_prefix(end == std::string_view::npos ? dumpdir.size() : end + 1);
    if (item.size() > 1 && item[0] == 'N') unchanged.emplace(item.substr(1));
  }
  return unchanged;
}

std::string Parent(const std::string& relative) {
  const size_t slash = relative.rfind('/');
  return slash == std::string::npos ? std::string() : relative.substr(0, slash);
}

}  // namespace

Result<std::vector<Version>> ReadFromArchive(const Generation& generation,
                                             const std::vector<std::string>& paths,
                                             const ReadOptions& options,
                                             std::vector<std::string>* contents) {
  const std::string file = generation.location.string();
  std::unique_ptr<archive, ArchiveFree> reader(archive_read_new());
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_all(reader.get());
  if (archive_read_open_filename(reader.get(), file.c_str(), 1 << 20) != ARCHIVE_OK) {
    return Fail(fmt::format("{}: {}", file, archive_error_string(reader.get())));
  }
  std::map<std::string, size_t> wanted;  // relative name → index into paths
  std::set<std::string> parents;         // folders of the wanted names, for their dumpdirs
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string relative = paths[i].substr(1);
    wanted.emplace(relative, i);
    parents.insert(Parent(relative));
  }
  std::vector<Version> versions(paths.size());
  std::map<std::string, std::set<std::string>> unchanged;  // folder → dumpdir 'N' names
  std::set<std::string> links;  // symbolic-link entries that a later name could go through
  Hasher hasher(options.other);
  std::string block(1 << 17, '\0');
  archive_entry* entry = nullptr;
  size_t count = 0;
  int rc;
  while ((rc = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK ||
         rc == ARCHIVE_WARN) {
    if (++count > kMaxEntries) return Fail(fmt::format("{}: more than 10,000,000 entries", file));
    const char* raw = archive_entry_pathname(entry);
    const auto relative = EntryPath(raw == nullptr ? "" : raw);
    if (!relative) {
      return Fail(
          fmt::format("{}: entry {} is named '{}', absolute or climbing out with '..'; "
                      "the archive is refused",
                      file, count, EscapeForTerminal(raw == nullptr ? "" : raw)));
    }
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFLNK && links.size() < kMaxLinks) links.insert(*relative);
    if (type == AE_IFDIR && archive_entry_size(entry) > 0 && parents.count(*relative) != 0) {
      std::string dumpdir;
      la_ssize_t got;
      while ((got = archive_read_data(reader.get(), block.data(), block.size())) > 0 &&
             dumpdir.size() < kMaxDumpdir) {
        dumpdir.append(block.data(), static_cast<size_t>(got));
      }
      unchanged[*relative] = UnchangedNames(dumpdir);
      continue;
    }
    const auto it = wanted.find(*relative);
    if (it == wanted.end()) continue;
    // A later entry of the same name replaces an earlier one, as on extraction.
    Version version;
    Describe(entry, version);
    for (std::string prefix = Parent(*relative); !prefix.empty(); prefix = Parent(prefix)) {
      if (links.count(prefix) != 0) {
        version.problem =
            fmt::format("reached through the symbolic-link entry '{}'; refused", prefix);
        break;
      }
    }
    std::string* content =
        options.keep_content && contents != nullptr ? &(*contents)[it->second] : nullptr;
    if (content != nullptr) content->clear();
    if (const char* hardlink = archive_entry_hardlink(entry); hardlink != nullptr) {
      const auto target = EntryPath(hardlink);
      const auto same = target ? wanted.find(*target) : wanted.end();
      if (same == wanted.end() || !versions[same->second].present) {
        version.problem =
            fmt::format("a hard link to '{}', which was not read", EscapeForTerminal(hardlink));
      } else {
        const Version& linked = versions[same->second];
        version.type = linked.type;
        version.size = linked.size;
        version.sha256 = linked.sha256;
        version.md5 = linked.md5;
        version.other = linked.other;
        if (content != nullptr) *content = (*contents)[same->second];
      }
    } else if (type == AE_IFREG && version.problem.empty()) {
      la_ssize_t got;
      while ((got = archive_read_data(reader.get(), block.data(), block.size())) > 0) {
        const std::string_view bytes(block.data(), static_cast<size_t>(got));
        hasher.Update(bytes);
        if (content != nullptr && content->size() + bytes.size() <= kMaxRestoreBytes) {
          content->append(bytes);
        }
      }
      if (got < 0) {
        return Fail(
            fmt::format("{}: entry {}: {}", file, count, archive_error_string(reader.get())));
      }
      hasher.Finish(version);
      if (options.keep_content) version.xattrs = Xattrs(entry);
    }
    versions[it->second] = std::move(version);
  }
  if (rc != ARCHIVE_EOF) {
    return Fail(
        fmt::format("{}: after entry {}: {}", file, count, archive_error_string(reader.get())));
  }
  // In a GNU incremental archive a file unchanged since the last level is
  // listed in its folder's dumpdir but not stored: it is the earlier
  // generation's version, which the caller fills in.
  for (const auto& [relative, index] : wanted) {
    if (versions[index].present) continue;
    const auto folder = unchanged.find(Parent(relative));
    const size_t slash = relative.rfind('/');
    const std::string name = slash == std::string::npos ? relative : relative.substr(slash + 1);
    if (folder != unchanged.end() && folder->second.count(name) != 0) {
      versions[index].problem = kUnchangedInIncrement;
    }
  }
  return versions;
}

}  // namespace irk::backups
