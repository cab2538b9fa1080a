#include "core/build.h"

#include <nss.h>

namespace irk {

bool IsStaticBuild() { return IRK_STATIC; }

bool HasRdap() { return IRK_WITH_CURL; }

std::vector<MissingFeature> MissingFeatures() {
  std::vector<MissingFeature> missing;
  if (!IRK_WITH_SYSTEMD) {
    missing.push_back({"the systemd journal",
                       "read the text logs (/var/log/auth.log), or copy /var/log/journal to a "
                       "clean machine and run the full irk there with --root"});
  }
  if (!IRK_WITH_NFTABLES) {
    missing.push_back({"nftables (block, isolate, watch --respond)",
                       "irk block writes /etc/hosts.deny instead; to isolate, run the full irk "
                       "from clean media"});
  }
  if (!HasRdap()) {
    missing.push_back(
        {"RDAP (whois over HTTPS)", "irk whois asks the whois servers (port 43) only"});
    missing.push_back({"SMTP (irk report --send --smtp)",
                       "irk report --send hands the drafts to the local sendmail -t"});
  }
  return missing;
}

std::string VersionText() {
  std::string text = "irk " IRK_VERSION;
  if (!IsStaticBuild()) return text;
  text += ", a static build";
  const auto missing = MissingFeatures();
  if (!missing.empty()) text += " without:";
  for (const MissingFeature& feature : missing) {
    text += "\n  ";
    text += feature.name;
    text += ": ";
    text += feature.workaround;
  }
  return text;
}

void UseBuiltinNameService() {
  // glibc's own "files" and "dns" sources are built into it, static or not;
  // any other source is a shared object loaded from the host.
  __nss_configure_lookup("hosts", "files dns");
  __nss_configure_lookup("passwd", "files");
  __nss_configure_lookup("group", "files");
}

}  // namespace irk
