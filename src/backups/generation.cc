#include "backups/generation.h"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "backups/borg.h"
#include "backups/restic.h"

namespace irk::backups {
namespace {

namespace fs = std::filesystem;

// Reads `count` decimal digits at `pos`; nullopt when any is no digit.
std::optional<int> Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A date and time starting at `pos`: "YYYY-MM-DD" or "YYYYMMDD", optionally
// followed by a separator and "HH[:-]MM[[:-]SS]" or "HHMM[SS]".
std::optional<Timestamp> DateAt(std::string_view text, size_t pos) {
  if (pos > 0 && IsDigit(text[pos - 1])) return std::nullopt;
  const auto year = Digits(text, pos, 4);
  if (!year) return std::nullopt;
  size_t at = pos + 4;
  const bool dashed = at < text.size() && text[at] == '-';
  if (dashed) ++at;
  const auto month = Digits(text, at, 2);
  at += 2;
  if (dashed) {
    if (at >= text.size() || text[at] != '-') return std::nullopt;
    ++at;
  }
  const auto day = Digits(text, at, 2);
  at += 2;
  if (!month || !day || *year < 1970 || *year > 9999 || *month < 1 || *month > 12 || *day < 1 ||
      *day > 31) {
    return std::nullopt;
  }
  if (at < text.size() && IsDigit(text[at])) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  if (at + 1 < text.size() && (text[at] == 'T' || text[at] == '_' || text[at] == '-' ||
                               text[at] == ' ' || text[at] == '.')) {
    const size_t t = at + 1;
    const auto h = Digits(text, t, 2);
    if (h) {
      const bool separated = t + 2 < text.size() && (text[t + 2] == ':' || text[t + 2] == '-');
      const size_t m_at = t + 2 + (separated ? 1 : 0);
      const auto m = Digits(text, m_at, 2);
      if (m && *h < 24 && *m < 60) {
        hour = *h;
        minute = *m;
        const size_t s_at = m_at + 2 + (separated ? 1 : 0);
        const bool has_sep = !separated || (m_at + 2 < text.size() &&
                                            (text[m_at + 2] == ':' || text[m_at + 2] == '-'));
        if (has_sep) {
          if (const auto s = Digits(text, s_at, 2); s && *s < 61) second = *s;
        }
      }
    }
  }
  return Timestamp{CivilToSeconds(*year, *month, *day, hour, minute, second), 0};
}

std::string FileName(const fs::path& path) { return path.filename().string(); }

// The lstat of `path`, or nullopt when it cannot be had.
std::optional<struct stat> LStat(const fs::path& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return std::nullopt;
  return st;
}

bool IsRealDirectory(const fs::path& path) {
  const auto st = LStat(path);
  return st && S_ISDIR(st->st_mode);
}

Timestamp MtimeOf(const struct stat& st) {
  return Timestamp{st.st_mtim.tv_sec, static_cast<int32_t>(st.st_mtim.tv_nsec / 1000)};
}

// The folders where a backed-up system's tree shows itself.
constexpr std::array<const char*, 8> kTopFolders = {"etc",  "usr",  "bin", "var",
                                                    "home", "root", "opt", "srv"};

bool LooksLikeTree(const fs::path& dir) {
  return std::any_of(kTopFolders.begin(), kTopFolders.end(),
                     [&](const char* name) { return IsRealDirectory(dir / name); });
}

// Sorted names of the entries of `dir`, each with its lstat.
std::vector<std::pair<std::string, struct stat>> Entries(const fs::path& dir, std::error_code& ec) {
  std::vector<std::pair<std::string, struct stat>> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (entries.size() >= 100000) break;
    if (auto st = LStat(it->path())) entries.emplace_back(FileName(it->path()), *st);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return entries;
}

// The folder below a snapshot folder that holds the tree: the folder itself
// when it looks like one, else its only subfolder (rsnapshot's host folder,
// snapper's "snapshot").
fs::path TreeBase(const fs::path& folder) {
  if (LooksLikeTree(folder)) return folder;
  std::error_code ec;
  std::optional<fs::path> only;
  for (const auto& [name, st] : Entries(folder, ec)) {
    if (!S_ISDIR(st.st_mode)) continue;
    if (only) return folder;
    only = folder / name;
  }
  return only.value_or(folder);
}

void SetTime(Generation& generation, const struct stat& st) {
  if (const auto named = TimeFromName(generation.name)) {
    generation.time = *named;
    generation.time_from = "name";
  } else {
    generation.time = MtimeOf(st);
    generation.time_from = "mtime";
  }
}

// snapper's info.xml: "<date>2026-11-20 10:00:00</date>", in UTC.
std::optional<Timestamp> SnapperTime(const fs::path& info) {
  std::ifstream in(info);
  std::string text(4096, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  const size_t at = text.find("<date>");
  if (at == std::string::npos) return std::nullopt;
  return DateAt(text, at + 6);
}

Result<std::vector<Generation>> SnapperGenerations(const fs::path& snapshots,
                                                   const std::string& source) {
  std::error_code ec;
  std::vector<Generation> found;
  for (const auto& [name, st] : Entries(snapshots, ec)) {
    const fs::path tree = snapshots / name / "snapshot";
    const auto tree_st = LStat(tree);
    if (!S_ISDIR(st.st_mode) || !tree_st || !S_ISDIR(tree_st->st_mode)) continue;
    Generation g{source, name, GenerationKind::kFolder, tree, "", {}, ""};
    if (const auto time = SnapperTime(snapshots / name / "info.xml")) {
      g.time = *time;
      g.time_from = "metadata";
    } else {
      g.time = MtimeOf(*tree_st);
      g.time_from = "mtime";
    }
    found.push_back(std::move(g));
  }
  if (ec) return Fail(fmt::format("read {}: {}", snapshots.string(), ec.message()));
  return found;
}

Result<std::vector<Generation>> ChildGenerations(const fs::path& dir, const std::string& source,
                                                 bool zfs) {
  std::error_code ec;
  std::vector<Generation> found;
  for (const auto& [name, st] : Entries(dir, ec)) {
    Generation g{source, name, GenerationKind::kFolder, dir / name, "", {}, ""};
    if (S_ISDIR(st.st_mode)) {
      g.location = zfs ? dir / name : TreeBase(dir / name);
    } else if (S_ISREG(st.st_mode) && LooksLikeArchive(name)) {
      g.kind = GenerationKind::kArchive;
    } else {
      continue;
    }
    SetTime(g, st);
    found.push_back(std::move(g));
  }
  if (ec) return Fail(fmt::format("read {}: {}", dir.string(), ec.message()));
  return found;
}

bool IsResticRepository(const fs::path& dir) {
  const auto config = LStat(dir / "config");
  return config && S_ISREG(config->st_mode) && IsRealDirectory(dir / "snapshots") &&
         IsRealDirectory(dir / "data");
}

// A snapshot folder or an archive named directly.
Result<Generation> GenerationAtPath(const fs::path& path) {
  const auto st = LStat(path);
  if (!st) return Fail(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  Generation g{path.string(), FileName(path), GenerationKind::kFolder, path, "", {}, ""};
  if (S_ISREG(st->st_mode)) {
    g.kind = GenerationKind::kArchive;
  } else if (S_ISDIR(st->st_mode)) {
    g.location = TreeBase(path);
  } else {
    return Fail(
        fmt::format("{}: neither a snapshot folder nor an archive (a symbolic link is "
                    "not followed)",
                    path.string()));
  }
  SetTime(g, *st);
  return g;
}

// REPO::NAME: one snapshot of a restic repository (its id, short id or a
// prefix of the id) or one archive of a borg repository (its name).
Result<Generation> GenerationInRepository(const fs::path& repo, const std::string& name) {
  if (!IsRealDirectory(repo) || !(IsBorgRepository(repo) || IsResticRepository(repo))) {
    return Fail(fmt::format(
        "{}: not a restic or borg repository (REPO::NAME names one snapshot or archive of one)",
        repo.string()));
  }
  auto all = FindGenerations(repo);
  if (!all.ok()) return all.error();
  std::vector<Generation> matches;
  for (auto& g : *all) {
    if (g.name == name ||
        (g.kind == GenerationKind::kRestic && !name.empty() && g.snapshot.starts_with(name))) {
      matches.push_back(std::move(g));
    }
  }
  if (matches.size() != 1) {
    return Fail(fmt::format("{}: {} named {}", repo.string(),
                            matches.empty() ? "no snapshot or archive" : "several snapshots",
                            name));
  }
  return std::move(matches.front());
}

}  // namespace

std::string_view GenerationKindName(GenerationKind kind) {
  switch (kind) {
    case GenerationKind::kFolder:
      return "folder";
    case GenerationKind::kArchive:
      return "archive";
    case GenerationKind::kRestic:
      return "restic";
    case GenerationKind::kBorg:
      return "borg";
  }
  return "folder";
}

std::optional<Timestamp> TimeFromName(std::string_view name) {
  if (name.size() > 4096) return std::nullopt;
  for (size_t pos = 0; pos + 8 <= name.size(); ++pos) {
    if (auto time = DateAt(name, pos)) return time;
  }
  return std::nullopt;
}

bool LooksLikeArchive(std::string_view name) {
  static constexpr std::array<std::string_view, 16> kEndings = {
      ".tar",  ".tar.gz",  ".tgz",  ".tar.bz2", ".tbz2", ".tar.xz",   ".txz",   ".tar.zst",
      ".tzst", ".tar.lz4", ".cpio", ".cpio.gz", ".zip",  ".tar.lzma", ".tar.Z", ".tar.zstd"};
  return std::any_of(kEndings.begin(), kEndings.end(),
                     [&](std::string_view ending) { return name.ends_with(ending); });
}

Result<Generation> GenerationAt(const std::string& gen) {
  const size_t separator = gen.find("::");
  // A folder or archive whose own name holds "::" is itself.
  if (separator != std::string::npos && !LStat(gen)) {
    return GenerationInRepository(gen.substr(0, separator), gen.substr(separator + 2));
  }
  return GenerationAtPath(gen);
}

Result<std::vector<Generation>> FindGenerations(const fs::path& source) {
  const std::string name = source.string();
  const auto st = LStat(source);
  if (!st) return Fail(fmt::format("{}: {}", name, std::strerror(errno)));
  Result<std::vector<Generation>> found = std::vector<Generation>();
  if (S_ISREG(st->st_mode)) {
    auto one = GenerationAtPath(source);
    if (!one.ok()) return one.error();
    found = std::vector<Generation>{std::move(*one)};
  } else if (!S_ISDIR(st->st_mode)) {
    return Fail(
        fmt::format("{}: not a folder or an archive (a symbolic link is not followed)", name));
  } else if (IsBorgRepository(source)) {
    found = BorgGenerations(source, name);
  } else if (IsResticRepository(source)) {
    found = ResticGenerations(source, name);
  } else if (IsRealDirectory(source / ".zfs" / "snapshot")) {
    found = ChildGenerations(source / ".zfs" / "snapshot", name, /*zfs=*/true);
  } else if (IsRealDirectory(source / ".snapshots")) {
    found = SnapperGenerations(source / ".snapshots", name);
  } else if (LooksLikeTree(source)) {
    auto one = GenerationAtPath(source);
    if (!one.ok()) return one.error();
    found = std::vector<Generation>{std::move(*one)};
  } else {
    found = ChildGenerations(source, name, /*zfs=*/false);
    // A folder of snapper's numbered snapshots given directly (/.snapshots).
    if (found.ok() && !found->empty() &&
        std::all_of(found->begin(), found->end(), [](const Generation& g) {
          return g.kind == GenerationKind::kFolder && IsRealDirectory(g.location) &&
                 FileName(g.location) == "snapshot";
        })) {
      found = SnapperGenerations(source, name);
    }
  }
  if (!found.ok()) return found.error();
  if (found->empty()) return Fail(fmt::format("{}: no snapshot folders or archives in it", name));
  std::stable_sort(found->begin(), found->end(), [](const Generation& a, const Generation& b) {
    return a.time != b.time ? a.time < b.time : a.name < b.name;
  });
  return found;
}

}  // namespace irk::backups
