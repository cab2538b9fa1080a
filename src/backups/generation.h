// Backup generations: the snapshots and archives a backup source holds, each
// with the time it was taken. A source is a folder of snapshot folders
// (rsnapshot's daily.N, dated rsync --link-dest folders, btrfs/snapper's
// .snapshots/N/snapshot, ZFS's .zfs/snapshot/NAME), a folder of archives, one
// archive, a restic repository or a borg repository.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace irk::backups {

enum class GenerationKind {
  kFolder,   // a snapshot folder: the backed-up tree, read in place
  kArchive,  // a tar (or cpio, zip) archive, any compression, streamed
  kRestic,   // a restic snapshot, read through the restic program
  kBorg,     // a borg archive, read through the borg program
};
// "folder", "archive", "restic", "borg"
std::string_view GenerationKindName(GenerationKind kind);

struct Generation {
  std::string source;  // the SOURCE it was found in, as given
  std::string name;    // "daily.3", "etc-2026-11-20.tar.zst", a restic short id, a borg archive
  GenerationKind kind = GenerationKind::kFolder;
  // kFolder: the folder holding the backed-up tree (its "/"); kArchive: the
  // archive file; kRestic, kBorg: the repository.
  std::filesystem::path location;
  std::string snapshot;  // kRestic: the snapshot id; kBorg: the archive name
  Timestamp time;
  std::string time_from;  // "metadata", "name" or "mtime": where `time` came from
};

// Reads the time a generation's name carries: "2026-11-20", "2026-11-20T10:00",
// "2026-11-20_10-00-00", "20261120-100000", anywhere in the name, as UTC.
// nullopt when the name holds no valid date. Pure; the name is hostile.
std::optional<Timestamp> TimeFromName(std::string_view name);

// True when `name` ends like an archive irk reads (.tar, .tar.gz, .tgz,
// .tar.bz2, .tar.xz, .tar.zst, .cpio, .zip, …).
bool LooksLikeArchive(std::string_view name);

// The generations `source` holds, oldest first (by time, then name). Links
// are never followed: a generation folder or archive that is a symbolic link
// is left out. An error when `source` cannot be read or holds none.
Result<std::vector<Generation>> FindGenerations(const std::filesystem::path& source);

// One generation named directly (`irk restore --from GEN`): a snapshot
// folder, an archive, or REPO::NAME for one snapshot of a restic repository
// (NAME its id or a prefix of it, as `restic snapshots` shows) or one
// archive of a borg repository (NAME as `borg list` shows).
Result<Generation> GenerationAt(const std::string& gen);

}  // namespace irk::backups
