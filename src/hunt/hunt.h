// irk hunt: signs of an intruder's tools on the examined system, each a
// Finding. Reads the kernel's interfaces (/proc, /sys) and files, never ps,
// netstat or lsof.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/root.h"
#include "core/time.h"
#include "hunt/finding.h"

namespace irk::hunt {

// Every kind, in the order irk hunt --help lists them.
const std::vector<std::string_view>& Kinds();

struct HuntOptions {
  std::set<std::string> kinds;  // empty: all of them
  std::filesystem::path proc_dir = "/proc";
  std::filesystem::path sys_dir = "/sys";
  Timestamp now;
};

// The findings of the chosen kinds, sorted (SortFindings). Kinds that need
// the running kernel (sniffer, listener, deleted_binary, hidden_process,
// LD_PRELOAD, kernel_module) run only when `root` is the live host.
std::vector<Finding> Hunt(const Root& root, const HuntOptions& options);

}  // namespace irk::hunt
