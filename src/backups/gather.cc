#include "backups/gather.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/hash.h"

namespace irk::backups {
namespace {

// SHA-256 of the host's file at `path`, or nullopt when it has none.
std::optional<std::string> CurrentHash(const Root& root, const std::string& path) {
  auto fd = root.OpenFile(path);
  if (!fd.ok()) return std::nullopt;
  Sha256 sha;
  std::string block(1 << 17, '\0');
  ssize_t got;
  while ((got = read(fd->get(), block.data(), block.size())) > 0) {
    sha.Update(std::string_view(block.data(), static_cast<size_t>(got)));
  }
  if (got < 0) return std::nullopt;
  return sha.HexDigest();
}

}  // namespace

Result<std::vector<Generation>> FindAllGenerations(const std::vector<std::string>& sources) {
  std::vector<Generation> all;
  for (const auto& source : sources) {
    auto found = FindGenerations(source);
    if (!found.ok()) return found.error();
    all.insert(all.end(), found->begin(), found->end());
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Generation& a, const Generation& b) { return a.time < b.time; });
  return all;
}

HistoryReport GatherHistories(const std::vector<Generation>& generations,
                              const HistoryRequest& request, const Root& root) {
  HistoryReport report;
  InodeCache cache;
  ReadOptions options;
  options.other = request.other;
  std::vector<std::vector<Version>> by_path(request.paths.size());
  for (const auto& generation : generations) {
    auto versions = ReadVersions(generation, request.paths, options, cache);
    if (!versions.ok()) {
      const std::string why = versions.error().message;
      report.warnings.push_back(why);
      versions = std::vector<Version>(request.paths.size());
      for (auto& v : *versions) v.problem = "generation unreadable: " + why;
    }
    for (size_t i = 0; i < request.paths.size(); ++i) by_path[i].push_back((*versions)[i]);
  }
  report.inode_hits = cache.hits();
  GoodRule rule;
  rule.since = request.since;
  struct stat host {};
  const bool host_known = stat(root.dir().c_str(), &host) == 0;
  std::map<std::string, bool> on_host;
  for (const auto& generation : generations) {
    auto [it, fresh] = on_host.emplace(generation.source, false);
    struct stat st {};
    if (fresh && host_known && stat(generation.source.c_str(), &st) == 0) {
      it->second = st.st_dev == host.st_dev;
    }
    rule.source_on_host.push_back(it->second);
  }
  for (size_t i = 0; i < request.paths.size(); ++i) {
    rule.current = CurrentHash(root, request.paths[i]);
    report.histories.push_back(BuildHistory(request.paths[i], generations, std::move(by_path[i]),
                                            request.references[i], rule));
  }
  return report;
}

}  // namespace irk::backups
