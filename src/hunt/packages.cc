#include "hunt/packages.h"

namespace irk::hunt {
namespace {

// A dpkg list of a large package runs to a few MiB; none is larger.
constexpr size_t kMaxListBytes = 64u << 20;

// The other name of `path` under merged /usr ("/bin/sh" <-> "/usr/bin/sh").
std::string MergedUsrTwin(std::string_view path) {
  for (const std::string_view dir :
       {"/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"}) {
    if (path.starts_with(dir)) return "/usr" + std::string(path);
    if (path.starts_with("/usr") && path.substr(4).starts_with(dir)) {
      return std::string(path.substr(4));
    }
  }
  return "";
}

}  // namespace

void PackageFiles::AddList(std::string_view text) {
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    if (line.starts_with('/')) paths_.emplace(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
}

PackageFiles PackageFiles::Read(const Root& root) {
  PackageFiles files;
  auto names = root.ListFiles("/var/lib/dpkg/info");
  if (!names.ok()) return files;
  for (const std::string& name : *names) {
    if (!name.ends_with(".list")) continue;
    if (auto text = root.ReadFile("/var/lib/dpkg/info/" + name, kMaxListBytes); text.ok()) {
      files.AddList(*text);
    }
  }
  return files;
}

bool PackageFiles::Owns(std::string_view path) const {
  if (paths_.contains(std::string(path))) return true;
  const std::string twin = MergedUsrTwin(path);
  return !twin.empty() && paths_.contains(twin);
}

}  // namespace irk::hunt
