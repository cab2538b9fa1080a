// restic repositories through restic's own program (found on PATH, started
// without a shell): the snapshots, one node's metadata and one file's bytes,
// never a restore of the rest. The repository's password comes from the
// operator's environment (RESTIC_PASSWORD, RESTIC_PASSWORD_FILE), as for restic.
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

// The snapshots of `restic snapshots --json` (a JSON array) as generations
// of the repository `repo`, in the order given. An error naming the
// snapshot number for a malformed one. Pure; the text is hostile.
Result<std::vector<Generation>> ParseResticSnapshots(std::string_view json,
                                                     const std::filesystem::path& repo,
                                                     std::string_view source);

// The node for `path` among the JSON lines of `restic ls --json` (the
// first line describes the snapshot), described as a Version without
// digests; nullopt when no line names exactly `path`. Pure; hostile text.
std::optional<Version> ParseResticNode(std::string_view lines, std::string_view path);

// Lists the snapshots of the repository `repo` with `restic snapshots --json`.
Result<std::vector<Generation>> ResticGenerations(const std::filesystem::path& repo,
                                                  std::string_view source);

// Runs `restic check` on `repo`: ok when it passes, else the reason.
Status ResticCheck(const std::filesystem::path& repo);

}  // namespace irk::backups
