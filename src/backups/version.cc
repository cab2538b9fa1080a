#include "backups/version.h"

#include "backups/readers.h"

namespace irk::backups {

const Version* InodeCache::Find(const Key& key) const {
  const auto it = versions_.find(key);
  if (it == versions_.end()) return nullptr;
  ++hits_;
  return &it->second;
}

void InodeCache::Put(const Key& key, const Version& version) { versions_[key] = version; }

std::optional<std::string> EntryPath(std::string_view name) {
  if (name.size() > 4096 || name.find('\0') != std::string_view::npos) return std::nullopt;
  if (name.starts_with('/')) return std::nullopt;
  std::string path;
  while (!name.empty()) {
    const size_t end = name.find('/');
    const std::string_view part = name.substr(0, end);
    name.remove_prefix(end == std::string_view::npos ? name.size() : end + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") return std::nullopt;
    if (!path.empty()) path += '/';
    path += part;
  }
  return path;
}

std::optional<std::string> AskedPath(std::string_view path) {
  if (!path.starts_with('/')) return std::nullopt;
  const auto relative = EntryPath(path.substr(1));
  if (!relative || relative->empty()) return std::nullopt;
  return "/" + *relative;
}

Result<std::vector<Version>> ReadVersions(const Generation& generation,
                                          const std::vector<std::string>& paths,
                                          const ReadOptions& options, InodeCache& cache,
                                          std::vector<std::string>* contents) {
  if (contents != nullptr) contents->assign(paths.size(), std::string());
  switch (generation.kind) {
    case GenerationKind::kFolder:
      return ReadFromTree(generation, paths, options, cache, contents);
    case GenerationKind::kArchive:
      return ReadFromArchive(generation, paths, options, contents);
    case GenerationKind::kRestic:
      return ReadFromRestic(generation, paths, options, contents);
    case GenerationKind::kBorg:
      return ReadFromBorg(generation, paths, options, contents);
  }
  return Fail("unknown generation kind");
}

}  // namespace irk::backups
