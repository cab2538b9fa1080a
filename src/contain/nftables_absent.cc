// The firewall seam of a build without libnftables (the static irk):
// Debian has no archive of it, and irk does not shell out to the host's
// nft, which an intruder may have replaced. irk block falls back to
// /etc/hosts.deny on this error; isolate and watch --respond stop with it.
#include "contain/firewall.h"

namespace irk::contain {

Result<std::unique_ptr<Firewall>> OpenNftables() {
  return Fail(
      "this static irk cannot change nftables (built without libnftables): irk block "
      "writes /etc/hosts.deny instead; to isolate or to block in the firewall, run the full "
      "irk from clean media");
}

}  // namespace irk::contain
