#include "hunt/hunt.h"

#include "core/proc.h"
#include "hunt/accounts.h"
#include "hunt/files.h"
#include "hunt/network.h"
#include "hunt/packages.h"
#include "hunt/processes.h"

namespace irk::hunt {

const std::vector<std::string_view>& Kinds() {
  static const std::vector<std::string_view> kKinds = {
      "sniffer",       "deleted_binary", "hidden_process", "preload",        "listener",
      "uid0",          "no_password",    "setuid",         "authorized_key", "persistence",
      "kernel_module", "trust",          "tmp_executable"};
  return kKinds;
}

std::vector<Finding> Hunt(const Root& root, const HuntOptions& options) {
  const auto wanted = [&options](std::initializer_list<std::string_view> kinds) {
    if (options.kinds.empty()) return true;
    for (const std::string_view kind : kinds) {
      if (options.kinds.contains(std::string(kind))) return true;
    }
    return false;
  };
  std::vector<Finding> found;
  const auto add = [&found, &options](std::vector<Finding> more) {
    for (Finding& f : more) {
      if (options.kinds.empty() || options.kinds.contains(f.kind)) found.push_back(std::move(f));
    }
  };
  std::vector<Process> processes;
  if (root.live() &&
      wanted({"sniffer", "listener", "deleted_binary", "hidden_process", "preload"})) {
    processes = ReadProcesses(options.proc_dir);
  }
  if (root.live() && wanted({"sniffer", "listener"})) {
    add(HuntNetwork(options.proc_dir, options.sys_dir, processes));
  }
  if (wanted({"deleted_binary", "hidden_process", "preload"})) {
    add(HuntProcesses(root, options.proc_dir, processes, root.live()));
  }
  if (wanted({"uid0", "no_password", "authorized_key", "trust"})) {
    add(HuntAccounts(root, options.now));
  }
  if (wanted({"setuid", "persistence"})) {
    const PackageFiles packages = PackageFiles::Read(root);
    if (wanted({"setuid"})) add(HuntSetuid(root, packages));
    if (wanted({"persistence"})) add(HuntPersistence(root, packages, options.now));
  }
  if (wanted({"tmp_executable"})) add(HuntTmpExecutables(root));
  if (root.live() && wanted({"kernel_module"})) add(HuntKernelModules(root, options.proc_dir));
  SortFindings(found);
  return found;
}

}  // namespace irk::hunt
