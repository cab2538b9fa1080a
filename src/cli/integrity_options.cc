#include "cli/integrity_options.h"

#include <unistd.h>

#include <fmt/format.h>

namespace irk::cli {

void AddIntegrityOptions(CLI::App& app, IntegrityOptions& options, bool verifying, bool scanning) {
  app.add_option("--db", options.db,
                 "The baseline file (default: baseline.db in the case folder); it may sit on "
                 "read-only media for checks")
      ->type_name("FILE");
  app.add_option("--key-file", options.key_file,
                 "HMAC-SHA256 key (16 to 4096 bytes, e.g. `head -c32 /dev/urandom`); keep it off "
                 "this host")
      ->type_name("FILE");
  app.add_option("--sign-key", options.sign_key,
                 "Ed25519 private key, PEM (`openssl genpkey -algorithm ed25519`)")
      ->type_name("FILE");
  if (verifying) {
    app.add_option("--verify-key", options.verify_key,
                   "Ed25519 public key, PEM (`openssl pkey -pubout`): verifies, cannot sign")
        ->type_name("FILE");
    app.add_flag("--trust-unsigned", options.trust_unsigned,
                 "Use a baseline whose signature is missing or wrong (not recommended)");
  }
  if (scanning) {
    app.add_option("--workers", options.workers, "Hashing threads (default: one per core)")
        ->type_name("N")
        ->check(CLI::Range(1u, 256u));
  }
}

std::filesystem::path BaselinePath(const Globals& globals, const IntegrityOptions& options) {
  if (!options.db.empty()) return options.db;
  return std::filesystem::path(globals.case_dir) / "baseline.db";
}

Result<std::optional<integrity::BaselineKey>> LoadBaselineKey(const IntegrityOptions& options,
                                                              bool signing) {
  const int given =
      !options.key_file.empty() + !options.sign_key.empty() + !options.verify_key.empty();
  if (given > 1) return Fail("give one of --key-file, --sign-key and --verify-key");
  std::optional<Result<integrity::BaselineKey>> key;
  if (!options.key_file.empty()) key = integrity::BaselineKey::HmacFromFile(options.key_file);
  if (!options.sign_key.empty()) {
    key = integrity::BaselineKey::Ed25519PrivateFromFile(options.sign_key);
  }
  if (!options.verify_key.empty()) {
    key = integrity::BaselineKey::Ed25519PublicFromFile(options.verify_key);
  }
  if (!key) return std::optional<integrity::BaselineKey>();
  if (!key->ok()) return key->error();
  if (signing && !(*key)->can_sign()) return Fail("--verify-key cannot sign: give --sign-key");
  return std::optional<integrity::BaselineKey>(std::move(key->value()));
}

Result<integrity::Baseline> OpenTrustedBaseline(const std::filesystem::path& file,
                                                const integrity::BaselineKey* key,
                                                bool trust_unsigned,
                                                integrity::SignatureCheck& check) {
  auto baseline = integrity::Baseline::Open(file);
  if (!baseline.ok()) return baseline.error();
  auto verdict = baseline->CheckSignature(key);
  if (!verdict.ok()) return verdict.error().Wrap("baseline " + file.string());
  check = *verdict;
  if (check.verdict != integrity::Signature::kValid) {
    if (!trust_unsigned) {
      return Fail(
          fmt::format("baseline {}: {}; refusing to use it (--trust-unsigned uses it anyway)",
                      file.string(), check.explanation));
    }
    Warn(
        fmt::format("baseline {}: {}; used anyway (--trust-unsigned): an intruder could have "
                    "rewritten it",
                    file.string(), check.explanation));
  }
  return baseline;
}

Result<TrustedBaseline> OpenBaselineWithKey(const Globals& globals, const IntegrityOptions& options,
                                            bool signing) {
  auto key = LoadBaselineKey(options, signing);
  if (!key.ok()) return key.error();
  const auto file = BaselinePath(globals, options);
  integrity::SignatureCheck check;
  auto baseline = OpenTrustedBaseline(file, *key ? &**key : nullptr, options.trust_unsigned, check);
  if (!baseline.ok()) return baseline.error();
  return TrustedBaseline{file, std::move(*key), std::move(check), std::move(*baseline)};
}

bool ShowProgress() { return isatty(STDERR_FILENO) != 0; }

}  // namespace irk::cli
