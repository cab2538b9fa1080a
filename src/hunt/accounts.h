// Accounts and the trust they grant, read from the examined system's files:
// uid-0 accounts besides root, empty passwords, every authorized SSH key,
// .rhosts/.shosts and hosts.equiv. Works on an image as on the live host.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/root.h"
#include "core/time.h"
#include "hunt/finding.h"

namespace irk::hunt {

// One line of an authorized_keys file.
struct AuthorizedKey {
  std::string options;      // "command=\"…\",from=\"…\"", or ""
  std::string type;         // "ssh-ed25519", …
  std::string fingerprint;  // "SHA256:…" as ssh-keygen -l prints it
  std::string comment;
};

// Parses one authorized_keys line; nullopt for blank lines, comments and
// lines that hold no key (a blob that is not base64, or empty).
std::optional<AuthorizedKey> ParseAuthorizedKey(std::string_view line);

// Kinds uid0, no_password, authorized_key, trust. A key file changed within
// a week of `now` is of medium severity, others info.
std::vector<Finding> HuntAccounts(const Root& root, Timestamp now);

}  // namespace irk::hunt
