#include "backups/restic.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "backups/json_fields.h"
#include "backups/readers.h"
#include "backups/tool.h"

namespace irk::backups {
namespace {

constexpr size_t kMaxSnapshotsJson = 64 << 20;
constexpr size_t kMaxLsJson = 16 << 20;

// Go's os.FileMode: permission bits below, special bits high.
constexpr uint64_t kGoSetuid = 1ull << 23;
constexpr uint64_t kGoSetgid = 1ull << 22;
constexpr uint64_t kGoSticky = 1ull << 20;

// restic's times carry nanoseconds ("…:42.917534361Z"); irk keeps seconds
// and microseconds.
std::optional<Timestamp> ResticTime(std::string text) {
  const size_t dot = text.find('.');
  if (dot != std::string::npos) {
    size_t end = dot + 1;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    std::string fraction = text.substr(dot + 1, end - dot - 1);
    fraction.resize(6, '0');
    text = text.substr(0, dot) + "." + fraction + text.substr(end);
  }
  return ParseRfc3339(text);
}

Result<std::string> Restic() {
  auto program = FindProgram("restic");
  if (!program) return Fail("restic is not installed (no restic on PATH)");
  return *program;
}

}  // namespace

Result<std::vector<Generation>> ParseResticSnapshots(std::string_view json,
                                                     const std::filesystem::path& repo,
                                                     std::string_view source) {
  const auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    return Fail("restic snapshots: the output is no JSON array");
  }
  std::vector<Generation> generations;
  for (size_t i = 0; i < parsed.size(); ++i) {
    const auto& snapshot = parsed[i];
    if (!snapshot.is_object()) return Fail(fmt::format("restic snapshot {}: not an object", i + 1));
    const std::string id = JsonText(snapshot, "id");
    const auto time = ResticTime(JsonText(snapshot, "time"));
    if (id.empty() || id.size() > 128 || !time) {
      return Fail(fmt::format("restic snapshot {}: no id or time", i + 1));
    }
    std::string name = JsonText(snapshot, "short_id");
    if (name.empty() || name.size() > 64) name = id.substr(0, 8);
    generations.push_back(Generation{std::string(source), name, GenerationKind::kRestic, repo, id,
                                     *time, "metadata"});
  }
  return generations;
}

std::optional<Version> ParseResticNode(std::string_view lines, std::string_view path) {
  while (!lines.empty()) {
    const std::string_view line = TakeLine(lines);
    const auto node = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (node.is_discarded() || !node.is_object() || JsonText(node, "struct_type") != "node" ||
        JsonText(node, "path") != path) {
      continue;
    }
    Version version;
    version.present = true;
    const std::string type = JsonText(node, "type");
    version.type = type == "file"      ? integrity::FileType::kRegular
                   : type == "dir"     ? integrity::FileType::kDirectory
                   : type == "symlink" ? integrity::FileType::kSymlink
                                       : integrity::FileType::kUnknown;
    const uint64_t mode = JsonNumber(node, "mode");
    version.mode = static_cast<uint32_t>(mode & 0777) | ((mode & kGoSetuid) ? 04000 : 0) |
                   ((mode & kGoSetgid) ? 02000 : 0) | ((mode & kGoSticky) ? 01000 : 0);
    version.uid = static_cast<uint32_t>(JsonNumber(node, "uid"));
    version.gid = static_cast<uint32_t>(JsonNumber(node, "gid"));
    version.size = JsonNumber(node, "size");
    if (const auto mtime = ResticTime(JsonText(node, "mtime"))) {
      version.mtime_ns = mtime->seconds * 1000000000 + int64_t{mtime->micros} * 1000;
    }
    version.target = JsonText(node, "linktarget");
    return version;
  }
  return std::nullopt;
}

Result<std::vector<Generation>> ResticGenerations(const std::filesystem::path& repo,
                                                  std::string_view source) {
  auto restic = Restic();
  if (!restic.ok()) return restic.error();
  auto json = ToolOutput({*restic, "-r", repo.string(), "--no-lock", "snapshots", "--json"},
                         kMaxSnapshotsJson);
  if (!json.ok()) return json.error().Wrap(repo.string());
  return ParseResticSnapshots(*json, repo, source);
}

Status ResticCheck(const std::filesystem::path& repo) {
  auto restic = Restic();
  if (!restic.ok()) return restic.error();
  auto out = ToolOutput({*restic, "-r", repo.string(), "--no-lock", "check"}, kMaxLsJson);
  if (!out.ok()) return out.error();
  return Ok();
}

Result<std::vector<Version>> ReadFromRestic(const Generation& generation,
                                            const std::vector<std::string>& paths,
                                            const ReadOptions& options,
                                            std::vector<std::string>* contents) {
  auto restic = Restic();
  if (!restic.ok()) return restic.error();
  const std::string repo = generation.location.string();
  std::vector<Version> versions;
  Hasher hasher(options.other);
  for (size_t i = 0; i < paths.size(); ++i) {
    auto lines = ToolOutput(
        {*restic, "-r", repo, "--no-lock", "ls", "--json", generation.snapshot, paths[i]},
        kMaxLsJson);
    if (!lines.ok()) return lines.error().Wrap(fmt::format("{} {}", repo, generation.name));
    Version version = ParseResticNode(*lines, paths[i]).value_or(Version());
    if (version.type == integrity::FileType::kRegular) {
      std::string* content =
          options.keep_content && contents != nullptr ? &(*contents)[i] : nullptr;
      if (auto hashed = HashToolOutput(
              {*restic, "-r", repo, "--no-lock", "dump", generation.snapshot, paths[i]}, {},
              "restic dump", hasher, version, content);
          !hashed.ok()) {
        return hashed.error();
      }
    }
    versions.push_back(std::move(version));
  }
  return versions;
}

}  // namespace irk::backups
