#include "backups/borg.h"

#include <sys/stat.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backups/json_fields.h"
#include "backups/readers.h"
#include "backups/tool.h"

namespace irk::backups {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxListJson = 64 << 20;
constexpr size_t kMaxItemJson = 16 << 20;
constexpr size_t kMaxCheckOutput = 1 << 20;
constexpr std::streamsize kMaxConfig = 64 << 10;
constexpr size_t kMaxArchiveName = 1024;

// A private cache and security folder for borg's calls, removed with this
// object: irk leaves nothing in the operator's ~/.cache/borg or
// ~/.config/borg and makes no repository "known" to borg.
class BorgScratch {
 public:
  BorgScratch() {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir =
        fmt::format("{}/irk-borg-XXXXXX", tmp != nullptr && tmp[0] == '/' ? tmp : "/tmp");
    if (mkdtemp(dir.data()) != nullptr) dir_ = std::move(dir);
  }
  ~BorgScratch() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  BorgScratch(const BorgScratch&) = delete;
  BorgScratch& operator=(const BorgScratch&) = delete;

  Result<std::vector<std::string>> Env() const {
    if (dir_.empty()) return Fail("borg: cannot make a temporary folder for its cache");
    return std::vector<std::string>{"TZ=UTC0", "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes",
                                    "BORG_CACHE_DIR=" + dir_ + "/cache",
                                    "BORG_SECURITY_DIR=" + dir_ + "/security"};
  }

 private:
  std::string dir_;
};

// borg and the options of every call irk makes.
Result<std::vector<std::string>> Borg() {
  auto program = FindProgram("borg");
  if (!program) return Fail("borg is not installed (no borg on PATH)");
  return std::vector<std::string>{*program, "--bypass-lock"};
}

// The repository as borg's location: always local, whatever ':' it holds.
std::string Location(const fs::path& repo) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(repo, ec);
  return "file://" + (ec ? repo : absolute).string();
}

// Why borg failed, said for the operator.
Error BorgFailure(const Error& error, const fs::path& repo) {
  const std::string& why = error.message;
  if (why.find("can not acquire a passphrase") != std::string::npos) {
    return Fail(fmt::format(
        "{}: the borg repository is encrypted and no passphrase was given: set BORG_PASSPHRASE "
        "or BORG_PASSCOMMAND as for borg (irk never asks for it)",
        repo.string()));
  }
  if (why.find("is incorrect") != std::string::npos) {
    return Fail(fmt::format(
        "{}: the passphrase in BORG_PASSPHRASE or given by BORG_PASSCOMMAND is wrong for this "
        "borg repository",
        repo.string()));
  }
  return error.Wrap(repo.string());
}

Result<std::string> BorgOutput(const fs::path& repo, std::vector<std::string> args,
                               size_t max_bytes) {
  auto argv = Borg();
  if (!argv.ok()) return argv.error();
  const BorgScratch scratch;
  auto env = scratch.Env();
  if (!env.ok()) return env.error();
  argv->insert(argv->end(), args.begin(), args.end());
  auto out = ToolOutput(*argv, max_bytes, *env);
  if (!out.ok()) return BorgFailure(out.error(), repo);
  return out;
}

// borg's times under TZ=UTC0: "2026-11-27T17:21:55.000000".
std::optional<Timestamp> BorgTime(const std::string& text) {
  if (text.empty() || text.size() > 64 || text.back() == 'Z') return std::nullopt;
  return ParseRfc3339(text + "Z");
}

// The permission bits of an ls-style mode ("-rwsr-xr-x"), 0 when malformed.
uint32_t ModeFromString(std::string_view mode) {
  if (mode.size() != 10) return 0;
  uint32_t bits = 0;
  for (int who = 0; who < 3; ++who) {
    const std::string_view rwx = mode.substr(1 + who * 3, 3);
    const int shift = (2 - who) * 3;
    if (rwx[0] == 'r') bits |= 4u << shift;
    if (rwx[1] == 'w') bits |= 2u << shift;
    const char x = rwx[2];
    if (x == 'x' || x == 's' || x == 't') bits |= 1u << shift;
    if (x == 's' || x == 'S' || x == 't' || x == 'T') bits |= 01000u << (2 - who);
  }
  return bits;
}

// `text` when it is `length` lowercase hex digits, else empty.
std::string HexOf(const std::string& text, size_t length) {
  if (text.size() != length) return std::string();
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::string();
  }
  return text;
}

// The digests borg computed (`--format '{sha256}{md5}…'`), all or none.
void TakeDigests(const nlohmann::json& item, std::optional<integrity::HashAlgorithm> other,
                 Version& version) {
  const std::string sha256 = HexOf(JsonText(item, "sha256"), 64);
  const std::string md5 = HexOf(JsonText(item, "md5"), 32);
  std::string extra;
  if (other) {
    const std::string name(integrity::HashName(*other));
    const std::string hex = HexOf(JsonText(item, name.c_str()), 128);
    if (hex.empty()) return;
    extra = name + ":" + hex;
  }
  if (sha256.empty() || md5.empty()) return;
  version.sha256 = sha256;
  version.md5 = md5;
  version.other = extra;
}

integrity::FileType TypeFromChar(std::string_view type) {
  if (type == "-" || type == "h") return integrity::FileType::kRegular;  // h: a hard link
  if (type == "d") return integrity::FileType::kDirectory;
  if (type == "l") return integrity::FileType::kSymlink;
  if (type == "p") return integrity::FileType::kFifo;
  if (type == "c") return integrity::FileType::kCharDevice;
  if (type == "b") return integrity::FileType::kBlockDevice;
  if (type == "s") return integrity::FileType::kSocket;
  return integrity::FileType::kUnknown;
}

}  // namespace

bool LooksLikeBorgConfig(std::string_view text) {
  static constexpr std::array<std::string_view, 3> kKeys = {"version", "id", "segments_per_dir"};
  bool in_repository = false;
  unsigned seen = 0;  // one bit for each of kKeys
  while (!text.empty()) {
    std::string_view line = TakeLine(text);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    // Blank lines, and the continuation lines of a long value (the repokey).
    if (line.empty() || line.front() == '\t' || line.front() == ' ') continue;
    if (line.front() == '[') {
      if (in_repository) break;
      if (line != "[repository]") return false;
      in_repository = true;
      continue;
    }
    const size_t equals = line.find('=');
    if (!in_repository || equals == std::string_view::npos) return false;
    std::string_view key = line.substr(0, equals);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    for (size_t i = 0; i < kKeys.size(); ++i) {
      if (key == kKeys[i]) seen |= 1u << i;
    }
  }
  return in_repository && seen == (1u << kKeys.size()) - 1;
}

bool IsBorgRepository(const fs::path& dir) {
  struct stat config {
  }, data{};
  if (lstat((dir / "config").c_str(), &config) != 0 || !S_ISREG(config.st_mode) ||
      lstat((dir / "data").c_str(), &data) != 0 || !S_ISDIR(data.st_mode)) {
    return false;
  }
  std::ifstream in(dir / "config", std::ios::binary);
  std::string text(static_cast<size_t>(kMaxConfig), '\0');
  in.read(text.data(), kMaxConfig);
  text.resize(static_cast<size_t>(in.gcount()));
  return LooksLikeBorgConfig(text);
}

Result<std::vector<Generation>> ParseBorgArchives(std::string_view json, const fs::path& repo,
                                                  std::string_view source) {
  const auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("archives") ||
      !parsed["archives"].is_array()) {
    return Fail("borg list: the output is no JSON object with an archives array");
  }
  const auto& archives = parsed["archives"];
  std::vector<Generation> generations;
  for (size_t i = 0; i < archives.size(); ++i) {
    const auto& archive = archives[i];
    if (!archive.is_object()) return Fail(fmt::format("borg archive {}: not an object", i + 1));
    const std::string name = JsonText(archive, "name");
    std::string start = JsonText(archive, "start");
    if (start.empty()) start = JsonText(archive, "time");
    const auto time = BorgTime(start);
    if (name.empty() || name.size() > kMaxArchiveName || !time) {
      return Fail(fmt::format("borg archive {}: no name or start time", i + 1));
    }
    generations.push_back(Generation{std::string(source), name, GenerationKind::kBorg, repo, name,
                                     *time, "metadata"});
  }
  return generations;
}

std::optional<BorgItem> ParseBorgItem(std::string_view lines, std::string_view path,
                                      std::optional<integrity::HashAlgorithm> other) {
  if (!path.starts_with('/')) return std::nullopt;
  const std::string_view relative = path.substr(1);
  while (!lines.empty()) {
    const auto item = nlohmann::json::parse(TakeLine(lines), nullptr, /*allow_exceptions=*/false);
    if (item.is_discarded() || !item.is_object() || JsonText(item, "path") != relative) continue;
    BorgItem found{Version(), std::string(path)};
    Version& version = found.version;
    version.present = true;
    version.type = TypeFromChar(JsonText(item, "type"));
    const std::string mode = JsonText(item, "mode");
    version.mode = ModeFromString(mode);
    version.uid = static_cast<uint32_t>(JsonNumber(item, "uid"));
    version.gid = static_cast<uint32_t>(JsonNumber(item, "gid"));
    version.size = JsonNumber(item, "size");
    if (const auto mtime = BorgTime(JsonText(item, "mtime"))) {
      version.mtime_ns = mtime->seconds * 1000000000 + int64_t{mtime->micros} * 1000;
    }
    if (version.type == integrity::FileType::kSymlink) {
      version.target = JsonText(item, "linktarget");
    }
    if (version.type == integrity::FileType::kRegular && mode.starts_with('h')) {
      const auto source = EntryPath(JsonText(item, "source"));
      if (source && !source->empty()) {
        found.data_path = "/" + *source;
      } else {
        version.problem = "a hard link whose source borg names badly";
      }
    } else if (version.type == integrity::FileType::kRegular) {
      TakeDigests(item, other, version);
    }
    const auto healthy = item.find("healthy");
    if (healthy != item.end() && healthy->is_boolean() && !healthy->get<bool>()) {
      version.problem = "borg marks it unhealthy: chunks of it are lost";
    }
    return found;
  }
  return std::nullopt;
}

std::string BorgExactPattern(std::string_view path) {
  std::string pattern = "re:^";
  for (const char c : path.substr(path.starts_with('/') ? 1 : 0)) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain =
        u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!plain) pattern += '\\';
    pattern += c;
  }
  return pattern + "\\Z";
}

Result<std::vector<Generation>> BorgGenerations(const fs::path& repo, std::string_view source) {
  auto json = BorgOutput(repo, {"list", "--json", "--", Location(repo)}, kMaxListJson);
  if (!json.ok()) return json.error();
  return ParseBorgArchives(*json, repo, source);
}

Status BorgCheck(const fs::path& repo) {
  auto out = BorgOutput(repo, {"check", "--archives-only", "--verify-data", "--", Location(repo)},
                        kMaxCheckOutput);
  if (!out.ok()) return out.error();
  return Ok();
}

Result<std::vector<Version>> ReadFromBorg(const Generation& generation,
                                          const std::vector<std::string>& paths,
                                          const ReadOptions& options,
                                          std::vector<std::string>* contents) {
  const fs::path& repo = generation.location;
  const std::string archive = Location(repo) + "::" + generation.snapshot;
  auto borg = Borg();
  if (!borg.ok()) return borg.error();
  const BorgScratch scratch;
  auto env = scratch.Env();
  if (!env.ok()) return env.error();
  // A history lets borg hash the data as it lists the item: one call, not
  // two. A restore reads the bytes, and hashes them itself.
  std::string format;
  if (!options.keep_content) {
    format = "{size}{mtime}{sha256}{md5}";
    if (options.other) format += fmt::format("{{{}}}", integrity::HashName(*options.other));
  }
  std::vector<Version> versions;
  Hasher hasher(options.other);
  for (size_t i = 0; i < paths.size(); ++i) {
    std::vector<std::string> list = *borg;
    list.insert(list.end(), {"list", "--json-lines"});
    if (!format.empty()) list.insert(list.end(), {"--format", format});
    list.insert(list.end(), {"--", archive, BorgExactPattern(paths[i])});
    auto lines = ToolOutput(list, kMaxItemJson, *env);
    if (!lines.ok()) {
      return BorgFailure(lines.error(), repo).Wrap(fmt::format("archive {}", generation.name));
    }
    auto item = ParseBorgItem(*lines, paths[i], options.other);
    Version version = item ? std::move(item->version) : Version();
    if (version.type == integrity::FileType::kRegular && version.problem.empty() &&
        (options.keep_content || version.sha256.empty())) {
      std::vector<std::string> extract = *borg;
      extract.insert(extract.end(),
                     {"extract", "--stdout", "--", archive, BorgExactPattern(item->data_path)});
      std::string* content =
          options.keep_content && contents != nullptr ? &(*contents)[i] : nullptr;
      if (auto hashed = HashToolOutput(extract, *env, "borg extract", hasher, version, content);
          !hashed.ok()) {
        return hashed.error();
      }
    }
    versions.push_back(std::move(version));
  }
  return versions;
}

}  // namespace irk::backups
