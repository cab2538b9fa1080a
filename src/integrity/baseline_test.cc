#include "integrity/baseline.h"

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"
#include "integrity/testing/keys.h"

namespace irk::integrity {
namespace {

namespace fs = std::filesystem;

FileRecord Record(std::string path, std::string hash) {
  FileRecord record;
  record.path = std::move(path);
  record.attributes = kAllAttributes;
  record.type = FileType::kRegular;
  record.mode = 04755;
  record.size = 10;
  record.hash = std::move(hash);
  record.xattrs = {{"security.capability", std::string("\x01\x00", 2)}};
  return record;
}

// A baseline of two files, signed with `key` when given.
fs::path MakeBaseline(const fs::path& dir, const BaselineKey* key) {
  const fs::path file = dir / "baseline.db";
  auto baseline = Baseline::Create(file, DefaultPolicy(), "/");
  EXPECT_TRUE(baseline.ok()) << baseline.error().message;
  EXPECT_TRUE(
      baseline->Add({Record("/usr/bin/su", "sha256:11"), Record("/etc/x", "sha256:22")}).ok());
  if (key != nullptr) {
    EXPECT_TRUE(baseline->Sign(*key).ok());
  }
  EXPECT_TRUE(baseline->Finish().ok());
  return file;
}

void Tamper(const fs::path& file, const char* sql) {
  auto db = Database::Open(file, false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec(sql).ok()) << sql;
}

TEST(Baseline, StoresRecordsAndThePolicy) {
  irk::testing::TempDir tmp;
  const fs::path file = MakeBaseline(tmp.path(), nullptr);
  EXPECT_FALSE(fs::exists(file.string() + ".partial"));
  auto baseline = Baseline::Open(file);
  ASSERT_TRUE(baseline.ok()) << baseline.error().message;
  auto found = baseline->Find("/usr/bin/su");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->mode, 04755u);
  EXPECT_EQ((*found)->xattrs, Record("", "").xattrs);
  EXPECT_FALSE(baseline->Find("/usr/bin/sudo")->has_value());
  auto policy = baseline->ReadPolicy();
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->rules.size(), DefaultPolicy().rules.size());
  EXPECT_EQ(policy->exclude, DefaultPolicy().exclude);
  EXPECT_EQ(policy->rules.back().exclude, DefaultPolicy().rules.back().exclude);
  EXPECT_EQ(*baseline->Count(), 2);
}

TEST(Baseline, RefusesToOverwriteAnExistingBaseline) {
  irk::testing::TempDir tmp;
  const fs::path file = MakeBaseline(tmp.path(), nullptr);
  auto again = Baseline::Create(file, DefaultPolicy(), "/");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("exists already"), std::string::npos);
}

TEST(Baseline, AcceptsItsHmacSignature) {
  irk::testing::TempDir tmp;
  testing::WriteHmacKey(tmp.path() / "key", 'k');
  auto key = BaselineKey::HmacFromFile(tmp.path() / "key");
  ASSERT_TRUE(key.ok());
  auto baseline = Baseline::Open(MakeBaseline(tmp.path(), &*key));
  auto check = baseline->CheckSignature(&*key);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->verdict, Signature::kValid) << check->explanation;
  EXPECT_EQ(check->digest.size(), 64u);
}

TEST(Baseline, RefusesAWrongHmacKey) {
  irk::testing::TempDir tmp;
  testing::WriteHmacKey(tmp.path() / "key", 'k');
  testing::WriteHmacKey(tmp.path() / "other", 'o');
  auto key = BaselineKey::HmacFromFile(tmp.path() / "key");
  auto other = BaselineKey::HmacFromFile(tmp.path() / "other");
  auto baseline = Baseline::Open(MakeBaseline(tmp.path(), &*key));
  auto check = baseline->CheckSignature(&*other);
  EXPECT_EQ(check->verdict, Signature::kMismatch);
  EXPECT_NE(check->explanation.find("key is not the one"), std::string::npos);
}

TEST(Baseline, RefusesChangedBytesADeletedRowAndAnAddedRow) {
  const char* tampering[] = {
      "UPDATE files SET hash = 'sha256:33' WHERE path = '/usr/bin/su'",
      "DELETE FROM files WHERE path = '/etc/x'",
      "INSERT INTO files(path, attributes, type, state) VALUES ('/etc/y', 0, 'file', 'ok')",
      "UPDATE rules SET attributes = 1 WHERE seq = 1",
      "DELETE FROM excludes",
  };
  for (const char* sql : tampering) {
    irk::testing::TempDir tmp;
    testing::WriteHmacKey(tmp.path() / "key", 'k');
    auto key = BaselineKey::HmacFromFile(tmp.path() / "key");
    const fs::path file = MakeBaseline(tmp.path(), &*key);
    Tamper(file, sql);
    auto baseline = Baseline::Open(file);
    auto check = baseline->CheckSignature(&*key);
    ASSERT_TRUE(check.ok());
    EXPECT_EQ(check->verdict, Signature::kMismatch) << sql;
    EXPECT_NE(check->explanation.find("content changed"), std::string::npos) << sql;
  }
}

TEST(Baseline, RefusesARecomputedDigestWithoutTheKey) {
  irk::testing::TempDir tmp;
  testing::WriteHmacKey(tmp.path() / "key", 'k');
  auto key = BaselineKey::HmacFromFile(tmp.path() / "key");
  const fs::path file = MakeBaseline(tmp.path(), &*key);
  Tamper(file, "DELETE FROM files WHERE path = '/etc/x'");
  {
    // The intruder recomputes the digest but cannot recompute the HMAC.
    auto reopened = Baseline::Open(file);
    const std::string digest = *reopened->ContentDigest();
    Tamper(file, ("UPDATE signature SET digest = '" + digest + "'").c_str());
  }
  auto check = Baseline::Open(file)->CheckSignature(&*key);
  EXPECT_EQ(check->verdict, Signature::kMismatch);
}

TEST(Baseline, SaysWhenItIsUnsignedOrNoKeyWasGiven) {
  irk::testing::TempDir tmp;
  auto unsigned_baseline = Baseline::Open(MakeBaseline(tmp.path(), nullptr));
  EXPECT_EQ(unsigned_baseline->CheckSignature(nullptr)->verdict, Signature::kMissing);

  irk::testing::TempDir signed_dir;
  testing::WriteHmacKey(signed_dir.path() / "key", 'k');
  auto key = BaselineKey::HmacFromFile(signed_dir.path() / "key");
  auto signed_baseline = Baseline::Open(MakeBaseline(signed_dir.path(), &*key));
  EXPECT_EQ(signed_baseline->CheckSignature(nullptr)->verdict, Signature::kNoKey);
}

TEST(Baseline, VerifiesAnEd25519SignatureWithThePublicKeyOnly) {
  irk::testing::TempDir tmp;
  testing::WriteEd25519Pair(tmp.path(), "ops");
  testing::WriteEd25519Pair(tmp.path(), "mallory");
  auto sign_key = BaselineKey::Ed25519PrivateFromFile(tmp.path() / "ops.pem");
  ASSERT_TRUE(sign_key.ok()) << sign_key.error().message;
  const fs::path file = MakeBaseline(tmp.path(), &*sign_key);
  auto verify_key = BaselineKey::Ed25519PublicFromFile(tmp.path() / "ops.pub");
  ASSERT_TRUE(verify_key.ok()) << verify_key.error().message;
  EXPECT_FALSE(verify_key->can_sign());
  EXPECT_EQ(Baseline::Open(file)->CheckSignature(&*verify_key)->verdict, Signature::kValid);
  auto wrong = BaselineKey::Ed25519PublicFromFile(tmp.path() / "mallory.pub");
  EXPECT_EQ(Baseline::Open(file)->CheckSignature(&*wrong)->verdict, Signature::kMismatch);
  testing::WriteHmacKey(tmp.path() / "hmac", 'h');
  auto hmac = BaselineKey::HmacFromFile(tmp.path() / "hmac");
  EXPECT_EQ(Baseline::Open(file)->CheckSignature(&*hmac)->verdict, Signature::kWrongKind);
}

TEST(BaselineKey, RefusesShortHmacKeysAndNonKeys) {
  irk::testing::TempDir tmp;
  testing::WriteFile(tmp.path() / "short", "secret");
  EXPECT_FALSE(BaselineKey::HmacFromFile(tmp.path() / "short").ok());
  EXPECT_FALSE(BaselineKey::Ed25519PrivateFromFile(tmp.path() / "short").ok());
  EXPECT_FALSE(BaselineKey::Ed25519PublicFromFile(tmp.path() / "missing").ok());
}

TEST(Baseline, ListsTheRecordsNoScanSaw) {
  irk::testing::TempDir tmp;
  auto baseline = Baseline::Open(MakeBaseline(tmp.path(), nullptr));
  ASSERT_TRUE(baseline->MarkSeen({Record("/usr/bin/su", "")}).ok());
  std::vector<std::string> unseen;
  ASSERT_TRUE(baseline
                  ->ForEachUnseen([&](const FileRecord& record) {
                    unseen.push_back(record.path);
                    return Ok();
                  })
                  .ok());
  EXPECT_EQ(unseen, std::vector<std::string>{"/etc/x"});
}

}  // namespace
}  // namespace irk::integrity
