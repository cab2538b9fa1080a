// Files an intruder leaves behind, read through the Root so an image reads
// like the live host: setuid/setgid files and files with capabilities that
// no package installed; persistence (cron, at, systemd units, rc.local,
// profile scripts, motd scripts, udev rules, PAM) not from a package or
// changed recently; executables in /tmp, /var/tmp and /dev/shm; loaded
// kernel modules that the running kernel's module tree does not hold.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "core/root.h"
#include "core/time.h"
#include "hunt/finding.h"
#include "hunt/packages.h"

namespace irk::hunt {

// The module names of /proc/modules text (the first word of each line).
std::vector<std::string> ParseProcModules(std::string_view text);

// "nf_tables" for "kernel/net/netfilter/nf_tables.ko.xz"; "" for a file that
// is no module. '-' becomes '_', as the kernel names loaded modules.
std::string ModuleName(std::string_view file_name);

std::vector<Finding> HuntSetuid(const Root& root, const PackageFiles& packages);
std::vector<Finding> HuntPersistence(const Root& root, const PackageFiles& packages, Timestamp now);
std::vector<Finding> HuntTmpExecutables(const Root& root);
// Live host only: /proc/modules against /lib/modules/<release>.
std::vector<Finding> HuntKernelModules(const Root& root, const std::filesystem::path& proc_dir);

}  // namespace irk::hunt
