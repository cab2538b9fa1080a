// borg repositories through borg's own program (found on PATH, started
// without a shell): the archives, one item's metadata with the digests borg
// computes from its data (a history: one call a path and archive), and one
// file's bytes (a restore, or a hard link), never an extraction of the rest. Every call is
// read-only: `--bypass-lock` (no lock written into the repository), a private cache and security
// folder made for the call and removed after it (nothing left in the operator's
// ~/.cache/borg or ~/.config/borg, no repository made "known"),
// BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes (so an unencrypted repository
// does not prompt) and TZ=UTC0 (borg 1.2 writes local times without a zone).
// The passphrase comes from the operator's environment as borg reads it
// (BORG_PASSPHRASE, BORG_PASSCOMMAND, BORG_PASSPHRASE_FD); borg never asks.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backups/generation.h"
#include "backups/version.h"
#include "core/result.h"

namespace irk::backups {

// True when `text` is a borg repository's `config`: its first section is
// "[repository]" and holds borg's keys "version", "id" and
// "segments_per_dir". Pure; the text is hostile.
bool LooksLikeBorgConfig(std::string_view text);

// A borg repository: a folder (not a link) whose `config` file reads as
// LooksLikeBorgConfig and that holds a `data` folder. The README ("This is a
// Borg Backup repository") is not needed: borg itself never reads it.
bool IsBorgRepository(const std::filesystem::path& dir);

// The archives of `borg list --json` (run with TZ=UTC0, so "start" is UTC)
// as generations of the repository `repo`, in the order given. An error
// naming the archive number for a malformed one. Pure; the text is hostile.
Result<std::vector<Generation>> ParseBorgArchives(std::string_view json,
                                                  const std::filesystem::path& repo,
                                                  std::string_view source);

// The item for `path` (absolute, "/etc/passwd") among the JSON lines of
// `borg list --json-lines` (borg names it "etc/passwd"), as a Version
// without digests, and the path whose chunks hold its bytes: the item's own,
// or for a hard link borg 1.2 stored as a link to an earlier item (mode
// "hrw-…", size 0, "source" naming that item) that item's, since
// `borg extract --stdout` of such a link alone gives nothing. The digests
// borg computed from the item's data when asked (`--format` with {sha256},
// {md5} and `other`'s name) are taken when each is well-formed hex of its
// length, else none. nullopt when no line names exactly `path`. An item
// borg marks unhealthy (chunks lost) or with a malformed source carries a
// problem. Pure; the text is hostile.
struct BorgItem {
  Version version;
  std::string data_path;  // absolute, as `path`
};
std::optional<BorgItem> ParseBorgItem(std::string_view lines, std::string_view path,
                                      std::optional<integrity::HashAlgorithm> other = {});

// The borg pattern that matches exactly `path` (absolute) and nothing below
// or beside it: "re:^etc/passwd\Z", every ASCII character other than a
// letter or digit escaped.
std::string BorgExactPattern(std::string_view path);

// Lists the archives of the repository `repo` with `borg list --json`.
Result<std::vector<Generation>> BorgGenerations(const std::filesystem::path& repo,
                                                std::string_view source);

// Runs `borg check --archives-only --verify-data` on `repo`: every chunk the
// archives use is read and verified, nothing is written (a full repository
// check rewrites the repository's config). Ok when it passes, else why.
Status BorgCheck(const std::filesystem::path& repo);

}  // namespace irk::backups
