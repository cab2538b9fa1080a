#include "backups/restore.h"

#include <filesystem>

#include <fmt/format.h>

#include "contain/file_steps.h"
#include "core/hash.h"
#include "integrity/file_record.h"

namespace irk::backups {

Result<contain::Plan> MakeRestorePlan(std::shared_ptr<const contain::HostFiles> files,
                                      const RestoreRequest& request) {
  const Version& version = request.version;
  const Generation& generation = request.generation;
  // A generation named directly is its own source: name it once.
  const std::string from = generation.source.ends_with(generation.name)
                               ? generation.source
                               : fmt::format("{} {}", generation.source, generation.name);
  const auto refuse = [&](std::string_view why) {
    return Fail(fmt::format("restore {} from {}: {}", request.path, from, why));
  };
  if (!version.problem.empty()) return refuse(version.problem);
  if (!version.present) return refuse("the generation has no such file");
  if (version.type != integrity::FileType::kRegular) {
    return refuse(fmt::format("it is a {} there, not a regular file; refused",
                              integrity::FileTypeName(version.type)));
  }
  if (Sha256Hex(request.content) != version.sha256) {
    return refuse("the bytes read differ from the version's digest (changed while read?)");
  }
  const bool executable = (version.mode & 06111) != 0;
  const bool trusted =
      request.verdict == Verdict::kBaseline || request.verdict == Verdict::kPackage;
  if (executable && !trusted && !request.force) {
    return refuse(fmt::format(
        "an executable (mode {}) that matches neither the signed baseline nor the package hash "
        "(verdict: {}); an intruder may have planted it long ago. Add --force to restore it "
        "anyway",
        integrity::FormatMode(version.mode), VerdictName(request.verdict)));
  }
  contain::Plan plan;
  plan.action = "restore";
  plan.target = request.path;
  const std::string target = request.to_dir.empty()
                                 ? request.path
                                 : "/" + std::filesystem::path(request.path).filename().string();
  plan.root = request.to_dir.empty() ? files->HostPath("/") : request.to_dir;
  if (request.to_dir.empty()) {
    auto exists = files->Exists(target);
    if (!exists.ok()) return exists.error();
    if (*exists) {
      plan.steps.push_back(contain::MoveToCaseStep(
          files, target, "/",
          fmt::format("move the current {} into the case as evidence, with its metadata", target)));
    }
  }
  contain::FileState state;
  state.bytes = request.content;
  state.mode = version.mode;
  state.uid = version.uid;
  state.gid = version.gid;
  state.xattrs = version.xattrs;
  plan.steps.push_back(contain::WriteNewFileStep(
      files, target, std::move(state),
      fmt::format("write the version of {} (sha256 {}, {} bytes, mode {}, owner {}:{}{}) to {} "
                  "through a temporary file beside it, verify it, rename it into place",
                  from, version.sha256.substr(0, 16), version.size,
                  integrity::FormatMode(version.mode), version.uid, version.gid,
                  version.xattrs.empty() ? "" : fmt::format(", {} xattrs", version.xattrs.size()),
                  files->HostPath(target))));
  plan.notes.push_back(fmt::format("verdict of this version: {}", VerdictName(request.verdict)));
  if (executable && !trusted) {
    plan.notes.push_back("restored with --force: this executable matches no trusted reference");
  }
  return plan;
}

}  // namespace irk::backups
