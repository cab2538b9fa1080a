#include "contain/file_steps.h"

#include <shadow.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contain/account_fields.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/root.h"

namespace irk::contain {
namespace {

// Holds the shadow suite's lock (/etc/.pwd.lock) while irk edits passwd or
// shadow on the running host, so useradd, passwd and chage wait for it. An
// image (--root) is not locked: no tool on this host edits it.
class AccountFileLock {
 public:
  explicit AccountFileLock(bool live) : held_(live && lckpwdf() == 0), failed_(live && !held_) {}
  ~AccountFileLock() {
    if (held_) ulckpwdf();
  }
  AccountFileLock(const AccountFileLock&) = delete;
  AccountFileLock& operator=(const AccountFileLock&) = delete;
  bool failed() const { return failed_; }

 private:
  bool held_;
  bool failed_;
};

StepResult Failed(std::string detail) {
  return StepResult{StepOutcome::kFailed, std::move(detail)};
}
UndoResult UndoFailed(std::string detail) { return UndoResult{"failed", std::move(detail)}; }

std::string Text(const nlohmann::json& json, const char* key) {
  const auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Step EditAccountStep(std::shared_ptr<const HostFiles> files, std::string path, std::string user,
                     std::vector<FieldChange> changes, std::string description) {
  Step step;
  step.description = std::move(description);
  step.apply = [files = std::move(files), path = std::move(path), user = std::move(user),
                changes = std::move(changes)](StepContext& context) -> StepResult {
    const AccountFileLock lock(files->live());
    if (lock.failed()) return Failed("cannot take the account files' lock (/etc/.pwd.lock)");
    auto read = files->Read(path);
    if (!read.ok()) return Failed(read.error().message);
    if (!*read) return Failed(fmt::format("{} is missing", files->HostPath(path)));
    const FileState before = **read;
    FileState after = before;
    JsonArray fields;
    for (const auto& change : changes) {
      const auto old = AccountField(after.bytes, user, change.field);
      if (!old) {
        return Failed(fmt::format("{} has no line for {} with field {}", files->HostPath(path),
                                  user, change.field));
      }
      const std::string value = change.to(*old);
      if (value == *old) continue;
      auto edited = SetAccountField(after.bytes, user, change.field, value);
      if (!edited) return Failed(fmt::format("cannot set field {} of {}", change.field, user));
      after.bytes = std::move(*edited);
      fields.Add(JsonObject().Add("field", change.field).Add("old", *old).Add("new", value));
    }
    if (fields.empty()) return StepResult{StepOutcome::kAlreadyDone, "already so"};

    auto copy = context.Keep(std::filesystem::path(path).filename().string());
    if (!copy.ok()) return Failed(copy.error().message);
    const auto copy_files = HostFiles::Open(copy->parent_path());
    if (!copy_files.ok()) return Failed(copy_files.error().message);
    FileState kept = before;
    kept.mode = 0600;
    if (auto status = copy_files->Replace("/" + copy->filename().string(), kept); !status.ok()) {
      return Failed(status.error().message);
    }
    JsonObject recipe;
    recipe.Add("kind", "account_fields")
        .Add("path", path)
        .Add("user", user)
        .Add("fields", fields)
        .Add("copy", copy->string())
        .Add("sha256_before", Sha256Hex(before.bytes))
        .Add("sha256_after", Sha256Hex(after.bytes));
    if (auto status = context.Record(recipe.str()); !status.ok()) {
      return Failed(status.error().message);
    }
    if (auto status = files->Replace(path, after); !status.ok()) {
      return Failed(status.error().message);
    }
    return StepResult{StepOutcome::kApplied,
                      fmt::format("copy before the change: {}", copy->string())};
  };
  return step;
}

UndoResult RevertAccountFields(const HostFiles& files, const nlohmann::json& recipe) {
  const std::string path = Text(recipe, "path");
  const std::string user = Text(recipe, "user");
  const AccountFileLock lock(files.live());
  if (lock.failed()) return UndoFailed("cannot take the account files' lock (/etc/.pwd.lock)");
  auto read = files.Read(path);
  if (!read.ok()) return UndoFailed(read.error().message);
  if (!*read) return UndoFailed(fmt::format("{} is missing", files.HostPath(path)));
  FileState state = **read;
  bool changed = false;
  const auto fields = recipe.find("fields");
  if (fields == recipe.end() || !fields->is_array()) return UndoFailed("recipe without fields");
  for (const auto& field : *fields) {
    const auto index = field.value("field", size_t{0});
    const auto old = field.value("old", std::string());
    const auto set = field.value("new", std::string());
    const auto now = AccountField(state.bytes, user, index);
    if (!now) {
      return UndoFailed(fmt::format("{} has no line for {} any more", files.HostPath(path), user));
    }
    if (*now == old) continue;
    if (*now != set) {
      return UndoFailed(fmt::format(
          "field {} of {} in {} was changed by someone else since; left as it is (the copy "
          "before irk's change is {})",
          index, user, files.HostPath(path), Text(recipe, "copy")));
    }
    auto edited = SetAccountField(state.bytes, user, index, old);
    if (!edited) return UndoFailed(fmt::format("cannot set field {} of {}", index, user));
    state.bytes = std::move(*edited);
    changed = true;
  }
  if (!changed) return UndoResult{"already", "already as before (reverted by hand?)"};
  if (auto status = files.Replace(path, state); !status.ok()) {
    return UndoFailed(status.error().message);
  }
  auto check = files.Read(path);
  if (!check.ok() || !*check) return UndoFailed("cannot read back " + files.HostPath(path));
  const bool identical = Sha256Hex((*check)->bytes) == Text(recipe, "sha256_before");
  return UndoResult{
      "reverted",
      identical ? fmt::format("{} identical to before", files.HostPath(path))
                : fmt::format("{} restored; other lines changed since", files.HostPath(path))};
}

Step MoveToCaseStep(std::shared_ptr<const HostFiles> files, std::string path, std::string trusted,
                    std::string description) {
  Step step;
  step.description = std::move(description);
  step.apply = [files = std::move(files), path = std::move(path),
                trusted = std::move(trusted)](StepContext& context) -> StepResult {
    auto exists = files->Exists(path, trusted);
    if (!exists.ok()) return Failed(exists.error().message);
    if (!*exists) return StepResult{StepOutcome::kAlreadyDone, "nothing there"};
    auto kept = context.Keep(std::filesystem::path(path).filename().string());
    if (!kept.ok()) return Failed(kept.error().message);
    JsonObject recipe;
    recipe.Add("kind", "move_back")
        .Add("path", path)
        .Add("trusted", trusted)
        .Add("kept", kept->string());
    // A regular file's hash lets undo prove it came back byte for byte.
    if (auto read = files->Read(path, trusted); read.ok() && *read) {
      recipe.Add("sha256", Sha256Hex((*read)->bytes));
    }
    if (auto status = context.Record(recipe.str()); !status.ok()) {
      return Failed(status.error().message);
    }
    auto moved = files->MoveOut(path, *kept, trusted);
    if (!moved.ok()) return Failed(moved.error().message);
    if (!*moved) return StepResult{StepOutcome::kAlreadyDone, "gone before irk moved it"};
    return StepResult{StepOutcome::kApplied, fmt::format("moved to {}", kept->string())};
  };
  return step;
}

UndoResult RevertMove(const HostFiles& files, const nlohmann::json& recipe) {
  const std::string path = Text(recipe, "path");
  const std::string trusted = Text(recipe, "trusted");
  const std::filesystem::path kept = Text(recipe, "kept");
  std::error_code ec;
  const bool in_case = std::filesystem::exists(std::filesystem::symlink_status(kept, ec));
  auto back = files.Exists(path, trusted);
  if (!back.ok()) return UndoFailed(back.error().message);
  if (!in_case) {
    return *back ? UndoResult{"already", fmt::format("{} is back already (moved by hand?)",
                                                     files.HostPath(path))}
                 : UndoFailed(fmt::format("{} is gone from the case", kept.string()));
  }
  if (*back) {
    return UndoFailed(fmt::format("{} exists again (a new file?); left it, and {} in the case",
                                  files.HostPath(path), kept.string()));
  }
  if (auto status = files.MoveIn(kept, path, trusted); !status.ok()) {
    return UndoFailed(status.error().message);
  }
  const std::string sha = Text(recipe, "sha256");
  if (!sha.empty()) {
    auto read = files.Read(path, trusted);
    if (!read.ok() || !*read || Sha256Hex((*read)->bytes) != sha) {
      return UndoFailed(
          fmt::format("{} is back but differs from what was moved", files.HostPath(path)));
    }
    return UndoResult{"reverted", fmt::format("{} back, identical", files.HostPath(path))};
  }
  return UndoResult{"reverted", fmt::format("{} back", files.HostPath(path))};
}

namespace {

// Where the line `line` starts in `text` (searching from the end), or npos.
size_t FindLastLine(std::string_view text, std::string_view line) {
  size_t end = text.size();
  if (end > 0 && text[end - 1] == '\n') --end;
  while (true) {
    const size_t start = end == 0 ? 0 : text.rfind('\n', end - 1);
    const size_t begin = start == std::string_view::npos || end == 0 ? 0 : start + 1;
    if (text.substr(begin, end - begin) == line) return begin;
    if (begin == 0) return std::string_view::npos;
    end = begin - 1;
  }
}

}  // namespace

Step AppendLineStep(std::shared_ptr<const HostFiles> files, std::string path, std::string line,
                    std::string description) {
  Step step;
  step.description = std::move(description);
  step.apply = [files = std::move(files), path = std::move(path),
                line = std::move(line)](StepContext& context) -> StepResult {
    auto read = files->Read(path);
    if (!read.ok()) return Failed(read.error().message);
    if (!*read) return Failed(fmt::format("{} is missing", files->HostPath(path)));
    FileState state = **read;
    if (FindLastLine(state.bytes, line) != std::string_view::npos) {
      return StepResult{StepOutcome::kAlreadyDone, "already listed"};
    }
    JsonObject recipe;
    recipe.Add("kind", "remove_line")
        .Add("path", path)
        .Add("line", line)
        .Add("sha256_before", Sha256Hex(state.bytes));
    if (auto status = context.Record(recipe.str()); !status.ok()) {
      return Failed(status.error().message);
    }
    if (!state.bytes.empty() && state.bytes.back() != '\n') state.bytes += '\n';
    state.bytes += line + "\n";
    if (auto status = files->Replace(path, state); !status.ok()) {
      return Failed(status.error().message);
    }
    return StepResult{StepOutcome::kApplied, ""};
  };
  return step;
}

UndoResult RevertAppendedLine(const HostFiles& files, const nlohmann::json& recipe) {
  const std::string path = Text(recipe, "path");
  const std::string line = Text(recipe, "line");
  auto read = files.Read(path);
  if (!read.ok()) return UndoFailed(read.error().message);
  if (!*read) return UndoFailed(fmt::format("{} is missing", files.HostPath(path)));
  FileState state = **read;
  const size_t begin = FindLastLine(state.bytes, line);
  if (begin == std::string_view::npos) {
    return UndoResult{"already", fmt::format("no line '{}' in {} (removed by hand?)", line,
                                             files.HostPath(path))};
  }
  const size_t end = std::min(state.bytes.size(), begin + line.size() + 1);
  state.bytes.erase(begin, end - begin);
  // irk added a newline before its line when the file lacked a final one.
  const std::string before = Text(recipe, "sha256_before");
  if (!state.bytes.empty() && state.bytes.back() == '\n' && Sha256Hex(state.bytes) != before &&
      Sha256Hex(std::string_view(state.bytes).substr(0, state.bytes.size() - 1)) == before) {
    state.bytes.pop_back();
  }
  if (auto status = files.Replace(path, state); !status.ok()) {
    return UndoFailed(status.error().message);
  }
  const bool identical = Sha256Hex(state.bytes) == before;
  return UndoResult{"reverted", identical
                                    ? fmt::format("{} identical to before", files.HostPath(path))
                                    : fmt::format("line removed from {}; other lines changed since",
                                                  files.HostPath(path))};
}

namespace {

// SHA-256 of the regular file at `path`, read through the root without
// a size limit; nullopt when nothing is there.
Result<std::optional<std::string>> HashOf(const HostFiles& files, std::string_view path) {
  auto exists = files.Exists(path);
  if (!exists.ok()) return exists.error();
  if (!*exists) return std::optional<std::string>();
  auto root = Root::Open(files.HostPath("/"));
  if (!root.ok()) return root.error();
  auto fd = root->OpenFile(path);
  if (!fd.ok()) return fd.error();
  Sha256 sha;
  std::string block(1 << 16, '\0');
  while (true) {
    const ssize_t got = read(fd->get(), block.data(), block.size());
    if (got < 0)
      return Fail(fmt::format("read {}: {}", files.HostPath(path), std::strerror(errno)));
    if (got == 0) break;
    sha.Update(std::string_view(block.data(), static_cast<size_t>(got)));
  }
  return std::optional<std::string>(sha.HexDigest());
}

}  // namespace

Step WriteNewFileStep(std::shared_ptr<const HostFiles> files, std::string path, FileState state,
                      std::string description) {
  Step step;
  step.description = std::move(description);
  step.apply = [files = std::move(files), path = std::move(path),
                state = std::move(state)](StepContext& context) -> StepResult {
    auto exists = files->Exists(path);
    if (!exists.ok()) return Failed(exists.error().message);
    if (*exists) {
      return Failed(fmt::format("{} exists; not overwriting it", files->HostPath(path)));
    }
    // Reserved now so the undo knows where the written file goes.
    auto kept = context.Keep(std::filesystem::path(path).filename().string() + ".written");
    if (!kept.ok()) return Failed(kept.error().message);
    const std::string sha = Sha256Hex(state.bytes);
    JsonObject recipe;
    recipe.Add("kind", "move_aside")
        .Add("path", path)
        .Add("kept", kept->string())
        .Add("sha256", sha);
    if (auto status = context.Record(recipe.str()); !status.ok()) {
      return Failed(status.error().message);
    }
    if (auto status = files->Replace(path, state); !status.ok()) {
      return Failed(status.error().message);
    }
    auto written = HashOf(*files, path);
    if (!written.ok()) return Failed(written.error().message);
    if (*written != sha) {
      return Failed(
          fmt::format("{} reads back differently from what was written", files->HostPath(path)));
    }
    return StepResult{StepOutcome::kApplied, fmt::format("written and verified, sha256 {}", sha)};
  };
  return step;
}

UndoResult RevertWrite(const HostFiles& files, const nlohmann::json& recipe) {
  const std::string path = Text(recipe, "path");
  const std::filesystem::path kept = Text(recipe, "kept");
  auto now = HashOf(files, path);
  if (!now.ok()) return UndoFailed(now.error().message);
  if (!*now) return UndoResult{"already", fmt::format("{} is gone already", files.HostPath(path))};
  if (**now != Text(recipe, "sha256")) {
    return UndoFailed(
        fmt::format("{} changed since irk wrote it; left as it is", files.HostPath(path)));
  }
  auto moved = files.MoveOut(path, kept);
  if (!moved.ok()) return UndoFailed(moved.error().message);
  return UndoResult{
      "reverted", fmt::format("{} moved into the case as {}", files.HostPath(path), kept.string())};
}

}  // namespace irk::contain
