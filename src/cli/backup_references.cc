#include "cli/backup_references.h"

#include <fmt/format.h>

#include "backups/references.h"

namespace irk::cli {

void AddBackupOptions(CLI::App& app, BackupOptions& options) {
  app.add_option("--since", options.since,
                 "The compromise time: the last good version is the one before the first change "
                 "after it (\"2026-11-20\", \"2026-11-20 13:02\", RFC 3339, or \"7d\" ago)");
  AddIntegrityOptions(app, options.integrity, /*verifying=*/true, /*scanning=*/false);
}

Result<backups::HistoryRequest> MakeHistoryRequest(const Globals& globals,
                                                   const BackupOptions& options,
                                                   const std::vector<std::string>& paths,
                                                   const Root& root) {
  backups::HistoryRequest request;
  for (const auto& path : paths) {
    auto asked = backups::AskedPath(path);
    if (!asked) return Fail(fmt::format("{}: give an absolute path without '..'", path));
    request.paths.push_back(*asked);
  }
  if (!options.since.empty()) {
    request.since = ParseTimeArgument(options.since, Now());
    if (!request.since) return Fail(fmt::format("--since {}: not a time", options.since));
  }
  auto references = backups::PackageReferences(root, request.paths);
  if (!references.ok()) return references.error();
  request.references = std::move(*references);
  std::error_code ec;
  const auto db = BaselinePath(globals, options.integrity);
  if (options.integrity.db.empty() && !std::filesystem::exists(db, ec)) return request;
  auto trusted = OpenBaselineWithKey(globals, options.integrity, /*signing=*/false);
  if (!trusted.ok()) return trusted.error();
  for (size_t i = 0; i < request.paths.size(); ++i) {
    auto record = trusted->baseline.Find(request.paths[i]);
    if (!record.ok()) return record.error();
    if (!*record || (*record)->hash.empty()) continue;
    request.references[i].baseline_hash = (*record)->hash;
    const std::string algorithm = (*record)->hash.substr(0, (*record)->hash.find(':'));
    if (algorithm != "sha256") request.other = integrity::ParseHashName(algorithm);
  }
  return request;
}

}  // namespace irk::cli
