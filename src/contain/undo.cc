#include "contain/undo.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contain/block.h"
#include "contain/file_steps.h"

namespace irk::contain {

UndoResult Revert(const HostFiles& files, Firewall* firewall, std::string_view undo_json) {
  const auto recipe = nlohmann::json::parse(undo_json, nullptr, /*allow_exceptions=*/false);
  if (recipe.is_discarded() || !recipe.is_object()) {
    return UndoResult{"failed", "the undo recipe in the journal is not a JSON object"};
  }
  const std::string kind = recipe.value("kind", std::string());
  if (kind == "account_fields") return RevertAccountFields(files, recipe);
  if (kind == "move_back") return RevertMove(files, recipe);
  if (kind == "remove_line") return RevertAppendedLine(files, recipe);
  if (kind == "move_aside") return RevertWrite(files, recipe);
  if (kind.starts_with("nft_")) {
    if (firewall == nullptr) return UndoResult{"failed", "nftables cannot be reached"};
    return RevertFirewall(*firewall, recipe);
  }
  if (kind == "irreversible") {
    return UndoResult{"irreversible", recipe.value("what", std::string("cannot be undone"))};
  }
  return UndoResult{"failed", fmt::format("undo recipe of unknown kind '{}'", kind)};
}

}  // namespace irk::contain
