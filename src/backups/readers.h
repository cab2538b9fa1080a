// The readers behind ReadVersions, one per kind of generation. Same
// contract as ReadVersions (version.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backups/version.h"

namespace irk::backups {

Result<std::vector<Version>> ReadFromTree(const Generation& generation,
                                          const std::vector<std::string>& paths,
                                          const ReadOptions& options, InodeCache& cache,
                                          std::vector<std::string>* contents);

Result<std::vector<Version>> ReadFromArchive(const Generation& generation,
                                             const std::vector<std::string>& paths,
                                             const ReadOptions& options,
                                             std::vector<std::string>* contents);

Result<std::vector<Version>> ReadFromBorg(const Generation& generation,
                                          const std::vector<std::string>& paths,
                                          const ReadOptions& options,
                                          std::vector<std::string>* contents);

Result<std::vector<Version>> ReadFromRestic(const Generation& generation,
                                            const std::vector<std::string>& paths,
                                            const ReadOptions& options,
                                            std::vector<std::string>* contents);

// Hashes the stdout of a backup tool's program that writes one file's bytes
// (`restic dump`, `borg extract --stdout`) into `version`'s digests and size
// (the bytes it wrote), keeping
// them in `content` when given (at most kMaxRestoreBytes). A failed run or
// too large a file is the version's problem, naming `what`; an error when
// the program cannot be started.
Status HashToolOutput(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                      std::string_view what, Hasher& hasher, Version& version,
                      std::string* content);

}  // namespace irk::backups
