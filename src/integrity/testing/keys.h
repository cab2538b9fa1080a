// Keys for tests: a fresh Ed25519 pair written as PEM files, and an HMAC key.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "integrity/testing/tree.h"

namespace irk::integrity::testing {

// Writes "<dir>/<name>.pem" (private) and "<dir>/<name>.pub" (public).
inline void WriteEd25519Pair(const std::filesystem::path& dir, const std::string& name) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  FILE* priv = std::fopen((dir / (name + ".pem")).c_str(), "w");
  PEM_write_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(priv);
  FILE* pub = std::fopen((dir / (name + ".pub")).c_str(), "w");
  PEM_write_PUBKEY(pub, key);
  std::fclose(pub);
  EVP_PKEY_free(key);
}

inline void WriteHmacKey(const std::filesystem::path& file, char fill) {
  WriteFile(file, std::string(32, fill));
}

}  // namespace irk::integrity::testing
