#include "integrity/baseline_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace irk::integrity {
namespace {

constexpr size_t kMaxKeyFileBytes = 4096;

Result<std::string> ReadKeyFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(fmt::format("read key {}: cannot open", file.string()));
  std::string bytes(kMaxKeyFileBytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() > kMaxKeyFileBytes) {
    return Fail(fmt::format("read key {}: larger than {} bytes", file.string(), kMaxKeyFileBytes));
  }
  return bytes;
}

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex += kHex[bytes[i] >> 4];
    hex += kHex[bytes[i] & 0xf];
  }
  return hex;
}

}  // namespace

void BaselineKey::PkeyDeleter::operator()(evp_pkey_st* key) const { EVP_PKEY_free(key); }
BaselineKey::BaselineKey(BaselineKey&&) noexcept = default;
BaselineKey& BaselineKey::operator=(BaselineKey&&) noexcept = default;
BaselineKey::~BaselineKey() = default;

Result<BaselineKey> BaselineKey::HmacFromFile(const std::filesystem::path& file) {
  auto bytes = ReadKeyFile(file);
  if (!bytes.ok()) return bytes.error();
  if (bytes->size() < 16) {
    return Fail(fmt::format("key {}: an HMAC key needs at least 16 bytes, found {}", file.string(),
                            bytes->size()));
  }
  BaselineKey key;
  key.secret_ = std::move(*bytes);
  key.private_ = true;
  return key;
}

Result<BaselineKey> BaselineKey::Ed25519FromFile(const std::filesystem::path& file,
                                                 bool private_key) {
  auto pem = ReadKeyFile(file);
  if (!pem.ok()) return pem.error();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  EVP_PKEY* pkey = private_key ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                               : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (pkey == nullptr || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(pkey);
    return Fail(fmt::format("key {}: not a PEM Ed25519 {} key", file.string(),
                            private_key ? "private" : "public"));
  }
  BaselineKey key;
  key.pkey_.reset(pkey);
  key.private_ = private_key;
  return key;
}

Result<BaselineKey> BaselineKey::Ed25519PrivateFromFile(const std::filesystem::path& file) {
  return Ed25519FromFile(file, /*private_key=*/true);
}

Result<BaselineKey> BaselineKey::Ed25519PublicFromFile(const std::filesystem::path& file) {
  return Ed25519FromFile(file, /*private_key=*/false);
}

std::string_view BaselineKey::kind() const { return pkey_ ? "ed25519" : "hmac-sha256"; }

bool BaselineKey::can_sign() const { return private_; }

Result<std::string> BaselineKey::Sign(std::string_view message) const {
  if (!private_) return Fail("a public key can verify a baseline but not sign it");
  if (!pkey_) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
    return Hex(mac, size);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char signature[64];
  size_t size = sizeof(signature);
  const bool ok =
      ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey_.get()) == 1 &&
      EVP_DigestSign(ctx, signature, &size, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return Fail("ed25519: signing failed");
  return Hex(signature, size);
}

bool BaselineKey::Verify(std::string_view message, std::string_view signature_hex) const {
  if (!pkey_) {
    auto expected = Sign(message);
    return expected.ok() && expected->size() == signature_hex.size() &&
           CRYPTO_memcmp(expected->data(), signature_hex.data(), signature_hex.size()) == 0;
  }
  if (signature_hex.size() != 128) return false;
  unsigned char signature[64];
  for (size_t i = 0; i < 64; ++i) {
    unsigned value = 0;
    if (std::sscanf(std::string(signature_hex.substr(2 * i, 2)).c_str(), "%2x", &value) != 1) {
      return false;
    }
    signature[i] = static_cast<unsigned char>(value);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey_.get()) == 1 &&
      EVP_DigestVerify(ctx, signature, sizeof(signature),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace irk::integrity
