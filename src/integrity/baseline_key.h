// The keys that protect a baseline: an HMAC-SHA256 secret the operator keeps
// off the host, or an Ed25519 key pair (private to sign, public to verify),
// both through OpenSSL.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

struct evp_pkey_st;

namespace irk::integrity {

class BaselineKey {
 public:
  // The secret is the file's bytes (16 to 4096 of them; e.g. 32 from
  // /dev/urandom).
  static Result<BaselineKey> HmacFromFile(const std::filesystem::path& file);
  // A PEM Ed25519 private key (`openssl genpkey -algorithm ed25519`): signs
  // and verifies.
  static Result<BaselineKey> Ed25519PrivateFromFile(const std::filesystem::path& file);
  // A PEM Ed25519 public key (`openssl pkey -pubout`): verifies only.
  static Result<BaselineKey> Ed25519PublicFromFile(const std::filesystem::path& file);

  BaselineKey(BaselineKey&&) noexcept;
  BaselineKey& operator=(BaselineKey&&) noexcept;
  ~BaselineKey();

  // "hmac-sha256" or "ed25519", as the baseline stores it.
  std::string_view kind() const;
  bool can_sign() const;

  // The signature of `message` as lower-case hex; an error for a public key.
  Result<std::string> Sign(std::string_view message) const;
  // True when `signature_hex` is this key's signature of `message`.
  bool Verify(std::string_view message, std::string_view signature_hex) const;

 private:
  struct PkeyDeleter {
    void operator()(evp_pkey_st* key) const;
  };
  BaselineKey() = default;
  static Result<BaselineKey> Ed25519FromFile(const std::filesystem::path& file, bool private_key);

  std::string secret_;  // the HMAC key; empty for Ed25519
  std::unique_ptr<evp_pkey_st, PkeyDeleter> pkey_;
  bool private_ = false;
};

}  // namespace irk::integrity
