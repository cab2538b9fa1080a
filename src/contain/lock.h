// The plan of `irk lock USER`: every way the research (detect_contain.md §2)
// found a locked user still gets in, each closed by a step with its undo,
// and what irk cannot close itself listed for the operator.
#pragma once

#include <memory>
#include <string_view>

#include "contain/host_files.h"
#include "contain/plan.h"
#include "core/result.h"
#include "core/root.h"

namespace irk::contain {

// The plan to lock `user`, a local account of the system at `root` (the
// same folder `files` writes to). An error when the account is not in that
// system's /etc/passwd (a NIS, LDAP or SSSD account: the message says what
// to do instead) or is root. Steps are planned for what exists now; each
// step checks again when it runs, so applying a plan twice is harmless.
Result<Plan> PlanLock(std::shared_ptr<const HostFiles> files, const Root& root,
                      std::string_view user);

}  // namespace irk::contain
