#include <openssl/evp.h>

#include <array>
#include <memory>

#include <fmt/format.h>

#include "backups/readers.h"
#include "backups/tool.h"
#include "backups/version.h"

namespace irk::backups {
namespace {

const EVP_MD* Md(integrity::HashAlgorithm algorithm) {
  switch (algorithm) {
    case integrity::HashAlgorithm::kSha256:
      return EVP_sha256();
    case integrity::HashAlgorithm::kSha512:
      return EVP_sha512();
    case integrity::HashAlgorithm::kBlake2b:
      return EVP_blake2b512();
    case integrity::HashAlgorithm::kMd5:
      return EVP_md5();
  }
  return EVP_sha256();
}

struct CtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Ctx = std::unique_ptr<EVP_MD_CTX, CtxFree>;

std::string Hex(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx, digest, &size);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

}  // namespace

struct Hasher::State {
  std::optional<integrity::HashAlgorithm> other;
  Ctx sha256{EVP_MD_CTX_new()};
  Ctx md5{EVP_MD_CTX_new()};
  Ctx extra{EVP_MD_CTX_new()};

  void Init() {
    EVP_DigestInit_ex(sha256.get(), EVP_sha256(), nullptr);
    EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr);
    if (other) EVP_DigestInit_ex(extra.get(), Md(*other), nullptr);
  }
};

Hasher::Hasher(std::optional<integrity::HashAlgorithm> other) : state_(std::make_unique<State>()) {
  state_->other = other;
  state_->Init();
}

Hasher::~Hasher() = default;

void Hasher::Update(std::string_view bytes) {
  EVP_DigestUpdate(state_->sha256.get(), bytes.data(), bytes.size());
  EVP_DigestUpdate(state_->md5.get(), bytes.data(), bytes.size());
  if (state_->other) EVP_DigestUpdate(state_->extra.get(), bytes.data(), bytes.size());
}

void Hasher::Finish(Version& version) {
  version.sha256 = Hex(state_->sha256.get());
  version.md5 = Hex(state_->md5.get());
  if (state_->other) {
    version.other =
        std::string(integrity::HashName(*state_->other)) + ":" + Hex(state_->extra.get());
  }
  state_->Init();
}

Status HashToolOutput(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                      std::string_view what, Hasher& hasher, Version& version,
                      std::string* content) {
  bool too_large = false;
  uint64_t size = 0;
  auto run = RunTool(
      argv,
      [&](std::string_view bytes) {
        hasher.Update(bytes);
        size += bytes.size();
        if (content == nullptr) return true;
        too_large = content->size() + bytes.size() > kMaxRestoreBytes;
        if (!too_large) content->append(bytes);
        return !too_large;
      },
      env);
  if (!run.ok()) return run.error();
  if (run->exit_code != 0 || too_large) {
    version.problem =
        too_large ? "larger than 1 GiB" : fmt::format("{} failed: {}", what, LastLine(run->err));
    Version scratch;
    hasher.Finish(scratch);
  } else {
    hasher.Finish(version);
    version.size = size;
  }
  return Ok();
}

}  // namespace irk::backups
