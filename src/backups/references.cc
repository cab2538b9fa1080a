#include "backups/references.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "integrity/dpkg_database.h"

namespace irk::backups {

Result<std::vector<Reference>> PackageReferences(const Root& root,
                                                 const std::vector<std::string>& paths) {
  std::vector<Reference> references(paths.size());
  std::map<std::string, size_t> wanted;
  for (size_t i = 0; i < paths.size(); ++i) {
    wanted.emplace(paths[i], i);
    for (const char* merged : {"/bin/", "/sbin/", "/lib/", "/lib64/"}) {
      if (paths[i].starts_with(merged)) wanted.emplace("/usr" + paths[i], i);
      if (paths[i].starts_with(std::string("/usr") + merged)) wanted.emplace(paths[i].substr(4), i);
    }
  }
  const std::string info = "/var/lib/dpkg/info";
  auto files = root.ListFiles(info);
  if (!files.ok()) return files.error();
  for (const auto& name : *files) {
    if (!name.ends_with(".md5sums")) continue;
    const std::string file = info + "/" + name;
    auto text = root.ReadFile(file, integrity::kMaxDpkgFileBytes);
    if (!text.ok()) return text.error();
    // Most packages ship none of the asked paths: skip parsing those.
    const bool mentions = std::any_of(wanted.begin(), wanted.end(), [&](const auto& entry) {
      return text->find(std::string_view(entry.first).substr(1)) != std::string::npos;
    });
    if (!mentions) continue;
    auto entries = integrity::ParseMd5sums(*text, root.HostPath(file));
    if (!entries.ok()) return entries.error();
    for (const auto& entry : *entries) {
      const auto it = wanted.find(entry.path);
      if (it == wanted.end()) continue;
      Reference& reference = references[it->second];
      reference.package_md5 = entry.md5;
      reference.package = name.substr(0, name.size() - 8);
    }
  }
  return references;
}

}  // namespace irk::backups
