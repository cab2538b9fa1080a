// What `irk baseline` and `irk check` share: where the baseline is, the key
// that protects it, and how it is opened and trusted.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "integrity/baseline.h"
#include "integrity/baseline_key.h"

namespace irk::cli {

struct IntegrityOptions {
  std::string db;          // --db; empty: baseline.db in the case folder
  std::string key_file;    // --key-file: HMAC-SHA256 secret
  std::string sign_key;    // --sign-key: Ed25519 private key (PEM)
  std::string verify_key;  // --verify-key: Ed25519 public key (PEM)
  bool trust_unsigned = false;
  unsigned workers = 0;  // 0: one hashing thread per core
};

// Adds --db, the key options (--verify-key only when `verifying`), and
// --workers (when `scanning`).
void AddIntegrityOptions(CLI::App& app, IntegrityOptions& options, bool verifying, bool scanning);

// The baseline file: --db, or baseline.db in the case folder.
std::filesystem::path BaselinePath(const Globals& globals, const IntegrityOptions& options);

// The key named by --key-file, --sign-key or --verify-key (at most one);
// nullopt when none was given. With `signing`, a verify-only key is an error.
Result<std::optional<integrity::BaselineKey>> LoadBaselineKey(const IntegrityOptions& options,
                                                              bool signing);

// Opens the baseline at `file` and checks its signature with `key`. A
// baseline that is unsigned, or whose signature cannot be checked or does
// not match, is refused with the reason unless --trust-unsigned, which
// lets it through with a warning. `check` receives the verdict.
Result<integrity::Baseline> OpenTrustedBaseline(const std::filesystem::path& file,
                                                const integrity::BaselineKey* key,
                                                bool trust_unsigned,
                                                integrity::SignatureCheck& check);

// A baseline opened and trusted, with the key that checked it.
struct TrustedBaseline {
  std::filesystem::path file;
  std::optional<integrity::BaselineKey> key;
  integrity::SignatureCheck check;
  integrity::Baseline baseline;
};

// Loads the key the options name (one that can sign when `signing`) and
// opens the baseline with OpenTrustedBaseline.
Result<TrustedBaseline> OpenBaselineWithKey(const Globals& globals, const IntegrityOptions& options,
                                            bool signing);

// A progress line belongs on stderr only when a person watches it.
bool ShowProgress();

}  // namespace irk::cli
