// The readers behind ReadVersions, one per kind of generation. Same
// contract as ReadVersions (version.h).
#pragma once

#include <string>
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

Result<std::vector<Version>> ReadFromRestic(const Generation& generation,
                                            const std::vector<std::string>& paths,
                                            const ReadOptions& options,
                                            std::vector<std::string>* contents);

}  // namespace irk::backups
