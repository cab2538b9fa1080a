// Steps that change files of the contained system, and their reverse: an
// account file edited field by field (under lckpwdf on the live host), and
// a file or folder moved into the case (never deleted).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "contain/host_files.h"
#include "contain/plan.h"

namespace irk::contain {

// One field of an account line and how the step changes it (from its old value).
struct FieldChange {
  size_t field = 0;  // 1-based, as AccountField counts
  std::function<std::string(std::string_view old)> to;
};

// Changes `changes` in the line of `user` in the account file `path`. The
// whole file is first copied into the case; the recipe holds each field's
// old and new value and the file's SHA-256 before and after. When every
// field already has its new value the step is kAlreadyDone.
Step EditAccountStep(std::shared_ptr<const HostFiles> files, std::string path, std::string user,
                     std::vector<FieldChange> changes, std::string description);

// Moves whatever is at `path` (a file, folder or link) into the case; a
// missing one is kAlreadyDone. Folders up to `trusted` may be links.
Step MoveToCaseStep(std::shared_ptr<const HostFiles> files, std::string path, std::string trusted,
                    std::string description);

// Adds the line `line` to the end of the existing file `path` unless a line
// equal to it is there already (kAlreadyDone); a missing file is kFailed.
Step AppendLineStep(std::shared_ptr<const HostFiles> files, std::string path, std::string line,
                    std::string description);

// Writes `state` (bytes, mode, owner, xattrs) as a new file at `path`
// through a temporary file beside it and an atomic rename, then reads it
// back and compares its SHA-256. Something already at `path` is kFailed:
// the step never overwrites. Its undo moves the written file into the case.
Step WriteNewFileStep(std::shared_ptr<const HostFiles> files, std::string path, FileState state,
                      std::string description);

// The reverse of the steps above, from their recipes ("kind" is
// "account_fields", "move_back", "remove_line" or "move_aside").
UndoResult RevertAccountFields(const HostFiles& files, const nlohmann::json& recipe);
UndoResult RevertMove(const HostFiles& files, const nlohmann::json& recipe);
UndoResult RevertAppendedLine(const HostFiles& files, const nlohmann::json& recipe);
UndoResult RevertWrite(const HostFiles& files, const nlohmann::json& recipe);

}  // namespace irk::contain
