// The one place that turns a journaled undo recipe back into an action on
// the system: dispatch on the recipe's "kind".
#pragma once

#include <string_view>

#include "contain/firewall.h"
#include "contain/host_files.h"
#include "contain/plan.h"

namespace irk::contain {

// Reverts one recipe on the system `files` writes to and, for firewall
// recipes, through `firewall` (nullptr: none could be opened, and such
// recipes fail). A recipe irk does not know (a newer irk's, or a damaged
// one) fails with a message naming it.
UndoResult Revert(const HostFiles& files, Firewall* firewall, std::string_view undo_json);

}  // namespace irk::contain
