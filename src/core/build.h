// What this build of irk is: linked statically or not, and which of the
// optional libraries (CMake's IRK_WITH_* switches) it was built with, so a
// responder knows what the binary they carry can and cannot do.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace irk {

// True for the static build (make static, IRK_STATIC).
bool IsStaticBuild();

// True when built with libcurl (IRK_WITH_CURL): whois asks RDAP servers.
bool HasRdap();

// A capability this build lacks, and what to do instead.
struct MissingFeature {
  std::string_view name;        // "the systemd journal"
  std::string_view workaround;  // one sentence
};

// The capabilities left out of this build (libsystemd's journal,
// libnftables' firewall, libcurl's RDAP and SMTP), in that order; empty for the full
// build.
std::vector<MissingFeature> MissingFeatures();

// `irk --version`: "irk 0.1.0" for the full build; for a static one, that it
// is static and, a line each, what it lacks and the workaround.
std::string VersionText();

// Has the C library look up host names, users and groups only with its own
// built-in sources (/etc/hosts, DNS by /etc/resolv.conf, /etc/passwd,
// /etc/group), whatever /etc/nsswitch.conf names: never loads a libnss_*.so
// module of the examined host into irk. A static irk needs this to resolve
// names at all without the host's matching glibc.
void UseBuiltinNameService();

}  // namespace irk
