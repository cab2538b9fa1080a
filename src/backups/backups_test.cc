#include <archive.h>
#include <archive_entry.h>

#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "backups/audit.h"
#include "backups/borg.h"
#include "backups/generation.h"
#include "backups/history.h"
#include "backups/restic.h"
#include "backups/version.h"
#include "core/hash.h"
#include "core/testing/temp_dir.h"

namespace irk::backups {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(TimeFromName, ReadsDatesAndTimesInTheirCommonShapes) {
  EXPECT_EQ(TimeFromName("2026-11-20")->seconds, CivilToSeconds(2026, 11, 20, 0, 0, 0));
  EXPECT_EQ(TimeFromName("host-2026-11-20T10:15")->seconds,
            CivilToSeconds(2026, 11, 20, 10, 15, 0));
  EXPECT_EQ(TimeFromName("etc-20261120-101530.tar.zst")->seconds,
            CivilToSeconds(2026, 11, 20, 10, 15, 30));
  EXPECT_EQ(TimeFromName("2026-11-20_10-15-30")->seconds, CivilToSeconds(2026, 11, 20, 10, 15, 30));
}

TEST(TimeFromName, FindsNoneInNamesWithoutAValidDate) {
  EXPECT_FALSE(TimeFromName("daily.0"));
  EXPECT_FALSE(TimeFromName("2026-13-01"));
  EXPECT_FALSE(TimeFromName("12026-11-20"));
  EXPECT_FALSE(TimeFromName(""));
}

TEST(EntryPath, NormalisesRelativeNames) {
  EXPECT_EQ(*EntryPath("./etc//passwd/"), "etc/passwd");
  EXPECT_EQ(*EntryPath("etc/passwd"), "etc/passwd");
}

TEST(EntryPath, RefusesAbsoluteAndClimbingNames) {
  EXPECT_FALSE(EntryPath("/etc/passwd"));
  EXPECT_FALSE(EntryPath("../../etc/passwd"));
  EXPECT_FALSE(EntryPath("etc/../../passwd"));
  EXPECT_FALSE(EntryPath(std::string("etc/pa\0ss", 9)));
}

TEST(AskedPath, TakesOnlyAbsolutePathsWithoutClimbing) {
  EXPECT_EQ(*AskedPath("/etc//passwd"), "/etc/passwd");
  EXPECT_FALSE(AskedPath("etc/passwd"));
  EXPECT_FALSE(AskedPath("/etc/../shadow"));
  EXPECT_FALSE(AskedPath("/"));
}

Version File(std::string_view content) {
  Version v;
  v.present = true;
  v.type = integrity::FileType::kRegular;
  v.mode = 0644;
  v.size = content.size();
  v.sha256 = Sha256Hex(content);
  return v;
}

std::vector<Generation> Generations(size_t count) {
  std::vector<Generation> generations;
  for (size_t i = 0; i < count; ++i) {
    generations.push_back(Generation{"src", fmt::format("g{}", i + 1), GenerationKind::kFolder,
                                     "/x", "", Timestamp{int64_t(1000 * (i + 1)), 0}, "name"});
  }
  return generations;
}

// Seven generations, the file tampered from the third on.
std::vector<Version> TamperedInThird() {
  std::vector<Version> versions;
  for (int i = 1; i <= 7; ++i) versions.push_back(File(i < 3 ? "good\n" : "evil\n"));
  return versions;
}

TEST(BuildHistory, PicksTheNewestVersionMatchingTheBaseline) {
  Reference reference;
  reference.baseline_hash = "sha256:" + Sha256Hex("good\n");
  const auto history =
      BuildHistory("/etc/passwd", Generations(7), TamperedInThird(), reference, GoodRule());
  ASSERT_TRUE(history.last_good);
  EXPECT_EQ(history.last_good->entry, 1u);
  EXPECT_TRUE(history.last_good->trusted);
  EXPECT_EQ(history.entries[2].verdict, Verdict::kDiffers);
  ASSERT_EQ(history.groups.size(), 2u);
  EXPECT_EQ(history.groups[1].first, 2u);
  EXPECT_EQ(history.groups[1].last, 6u);
}

TEST(BuildHistory, WithoutAReferenceTakesTheVersionBeforeTheFirstChangeAfterSince) {
  GoodRule rule;
  rule.since = Timestamp{1500, 0};
  const auto history =
      BuildHistory("/etc/passwd", Generations(7), TamperedInThird(), Reference(), rule);
  ASSERT_TRUE(history.last_good);
  EXPECT_EQ(history.last_good->entry, 1u);
  EXPECT_FALSE(history.last_good->trusted);
  EXPECT_EQ(history.entries[0].verdict, Verdict::kUnknown);
}

TEST(BuildHistory, WithoutSinceTakesTheVersionBeforeTheCurrentContentAppeared) {
  GoodRule rule;
  rule.current = Sha256Hex("evil\n");
  const auto history =
      BuildHistory("/etc/passwd", Generations(7), TamperedInThird(), Reference(), rule);
  ASSERT_TRUE(history.last_good);
  EXPECT_EQ(history.last_good->entry, 1u);
}

TEST(BuildHistory, IncrementalGenerationsTakeTheEarlierVersion) {
  auto versions = TamperedInThird();
  versions[4] = Version();
  versions[4].problem = std::string(kUnchangedInIncrement);
  const auto history = BuildHistory("/etc/passwd", Generations(7), versions, Reference(), {});
  EXPECT_EQ(history.entries[4].version.sha256, Sha256Hex("evil\n"));
  EXPECT_EQ(history.groups.size(), 2u);
}

TEST(BuildHistory, AnIncrementTakesTheVersionOfItsOwnSource) {
  auto generations = Generations(3);
  generations[1].source = "other";
  std::vector<Version> versions = {File("good\n"), File("other\n"), Version()};
  versions[2].problem = std::string(kUnchangedInIncrement);
  const auto history = BuildHistory("/etc/passwd", generations, versions, Reference(), {});
  EXPECT_EQ(history.entries[2].version.sha256, Sha256Hex("good\n"));
}

TEST(BuildHistory, CautionsWhenTheBackupLivesOnTheHost) {
  Reference reference;
  reference.package_md5 = "d41d8cd98f00b204e9800998ecf8427e";
  std::vector<Version> versions(2, File(""));
  versions[0].md5 = versions[1].md5 = reference.package_md5;
  GoodRule rule;
  rule.source_on_host = {true, true};
  const auto history = BuildHistory("/bin/true", Generations(2), versions, reference, rule);
  ASSERT_TRUE(history.last_good);
  EXPECT_EQ(history.entries[1].verdict, Verdict::kPackage);
  ASSERT_EQ(history.last_good->cautions.size(), 1u);
  EXPECT_NE(history.last_good->cautions[0].find("on the examined host"), std::string::npos);
}

TEST(Judge, NamesMissingAndUnreadableVersions) {
  Version gone;
  EXPECT_EQ(Judge(gone, Reference()), Verdict::kMissing);
  Version bad = File("x");
  bad.problem = "a folder on the way is a symbolic link; not followed";
  EXPECT_EQ(Judge(bad, Reference()), Verdict::kUnreadable);
}

TEST(ParseResticSnapshots, ReadsIdsAndTimes) {
  const auto generations = ParseResticSnapshots(
      R"([{"time":"2026-11-27T10:31:42.917534361Z","id":"b0a0be3b6780","short_id":"b0a0be3b"}])",
      "/repo", "/repo");
  ASSERT_TRUE(generations.ok()) << generations.error().message;
  ASSERT_EQ(generations->size(), 1u);
  EXPECT_EQ((*generations)[0].name, "b0a0be3b");
  EXPECT_EQ((*generations)[0].time.seconds, CivilToSeconds(2026, 11, 27, 10, 31, 42));
  EXPECT_EQ((*generations)[0].time.micros, 917534);
}

TEST(ParseResticSnapshots, RefusesMalformedOutput) {
  EXPECT_FALSE(ParseResticSnapshots("{}", "/r", "/r").ok());
  EXPECT_FALSE(ParseResticSnapshots(R"([{"id":"x"}])", "/r", "/r").ok());
  EXPECT_FALSE(ParseResticSnapshots("[1]", "/r", "/r").ok());
}

TEST(ParseResticNode, TakesOnlyTheNodeOfThatExactPath) {
  const std::string lines =
      R"({"struct_type":"snapshot","time":"2026-11-27T10:31:42Z"})"
      "\n"
      R"({"name":"passwdx","type":"file","path":"/etc/passwdx","mode":420,"struct_type":"node"})"
      "\n"
      R"({"name":"su","type":"file","path":"/bin/su","uid":0,"gid":0,"size":3,"mode":8389101,"struct_type":"node"})"
      "\n";
  EXPECT_FALSE(ParseResticNode(lines, "/etc/passwd"));
  const auto su = ParseResticNode(lines, "/bin/su");
  ASSERT_TRUE(su);
  EXPECT_EQ(su->mode, 04755u);
  EXPECT_EQ(su->size, 3u);
}

TEST(ParseBorgArchives, ReadsNamesAndStartTimesAsUtc) {
  const auto generations = ParseBorgArchives(
      R"({"archives":[{"name":"host-1","id":"c7c0d5a9","start":"2026-11-27T17:21:55.250000",)"
      R"("time":"2026-11-27T17:21:56.000000"}],"encryption":{"mode":"none"}})",
      "/repo", "/repo");
  ASSERT_TRUE(generations.ok()) << generations.error().message;
  ASSERT_EQ(generations->size(), 1u);
  const Generation& g = (*generations)[0];
  EXPECT_EQ(g.name, "host-1");
  EXPECT_EQ(g.snapshot, "host-1");
  EXPECT_EQ(g.kind, GenerationKind::kBorg);
  EXPECT_EQ(g.time.seconds, CivilToSeconds(2026, 11, 27, 17, 21, 55));
  EXPECT_EQ(g.time.micros, 250000);
  EXPECT_EQ(g.time_from, "metadata");
}

TEST(ParseBorgArchives, RefusesMalformedOutput) {
  EXPECT_FALSE(ParseBorgArchives("[]", "/r", "/r").ok());
  EXPECT_FALSE(ParseBorgArchives(R"({"archives":{}})", "/r", "/r").ok());
  EXPECT_FALSE(ParseBorgArchives(R"({"archives":[{"name":"a"}]})", "/r", "/r").ok());
  EXPECT_FALSE(
      ParseBorgArchives(R"({"archives":[{"name":"","start":"2026-11-27T17:21:55"}]})", "/r", "/r")
          .ok());
  // A time that already names a zone is not what borg 1.2 writes under TZ=UTC0.
  EXPECT_FALSE(
      ParseBorgArchives(R"({"archives":[{"name":"a","start":"2026-11-27T17:21:55Z"}]})", "/r", "/r")
          .ok());
  EXPECT_FALSE(ParseBorgArchives(R"({"archives":[7]})", "/r", "/r").ok());
}

TEST(ParseBorgItem, TakesOnlyTheItemOfThatExactPath) {
  const std::string lines =
      R"({"type":"-","mode":"-rw-r--r--","uid":0,"gid":0,"path":"etc/passwdx","healthy":true,"size":2})"
      "\n"
      "not json\n"
      R"({"type":"-","mode":"-rwsr-x--T","uid":3,"gid":4,"path":"usr/bin/su","healthy":true,)"
      R"("size":10,"mtime":"2026-11-27T17:21:51.897473"})"
      "\n"
      R"({"type":"l","mode":"lrwxrwxrwx","path":"etc/mtab","linktarget":"../proc/mounts","healthy":true})"
      "\n";
  EXPECT_FALSE(ParseBorgItem(lines, "/etc/passwd"));
  EXPECT_FALSE(ParseBorgItem(lines, "usr/bin/su"));  // the asked path is absolute
  const auto item = ParseBorgItem(lines, "/usr/bin/su");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->data_path, "/usr/bin/su");
  const Version* su = &item->version;
  EXPECT_EQ(su->type, integrity::FileType::kRegular);
  EXPECT_EQ(su->mode, 05750u);
  EXPECT_EQ(su->uid, 3u);
  EXPECT_EQ(su->gid, 4u);
  EXPECT_EQ(su->size, 10u);
  EXPECT_EQ(su->mtime_ns, CivilToSeconds(2026, 11, 27, 17, 21, 51) * 1000000000 + 897473000);
  EXPECT_TRUE(su->problem.empty());
  const auto mtab = ParseBorgItem(lines, "/etc/mtab");
  ASSERT_TRUE(mtab);
  EXPECT_EQ(mtab->version.type, integrity::FileType::kSymlink);
  EXPECT_EQ(mtab->version.target, "../proc/mounts");
}

TEST(ParseBorgItem, TakesTheDigestsBorgComputedOnlyWhenAllAreWellFormed) {
  const std::string sha256(64, 'a'), md5(32, 'b'), blake(128, 'c');
  const std::string line = fmt::format(
      R"({{"type":"-","mode":"-rw-r--r--","path":"etc/passwd","sha256":"{}","md5":"{}","blake2b":"{}"}})",
      sha256, md5, blake);
  const auto plain = ParseBorgItem(line, "/etc/passwd");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->version.sha256, sha256);
  EXPECT_EQ(plain->version.md5, md5);
  EXPECT_TRUE(plain->version.other.empty());
  const auto with_blake = ParseBorgItem(line, "/etc/passwd", integrity::HashAlgorithm::kBlake2b);
  ASSERT_TRUE(with_blake);
  EXPECT_EQ(with_blake->version.other, "blake2b:" + blake);
  // The other digest asked for but absent: none taken, the bytes are read.
  EXPECT_TRUE(ParseBorgItem(line, "/etc/passwd", integrity::HashAlgorithm::kSha512)
                  ->version.sha256.empty());
  const auto short_hash = ParseBorgItem(
      R"({"type":"-","mode":"-rw-r--r--","path":"etc/passwd","sha256":"abc","md5":")" + md5 + "\"}",
      "/etc/passwd");
  ASSERT_TRUE(short_hash);
  EXPECT_TRUE(short_hash->version.sha256.empty());
  EXPECT_TRUE(short_hash->version.md5.empty());
  const auto upper =
      ParseBorgItem(R"({"type":"-","mode":"-rw-r--r--","path":"etc/passwd","sha256":")" +
                        std::string(64, 'A') + R"(","md5":")" + md5 + "\"}",
                    "/etc/passwd");
  EXPECT_TRUE(upper->version.sha256.empty());
}

TEST(ParseBorgItem, ReadsAHardLinkThroughTheItemHoldingItsChunks) {
  const std::string lines =
      R"({"type":"-","mode":"hrw-r--r--","path":"etc/a","source":"etc/b","healthy":true,"size":0})"
      "\n"
      R"({"type":"-","mode":"hrw-r--r--","path":"etc/c","source":"../../x","healthy":true})"
      "\n";
  const auto a = ParseBorgItem(lines, "/etc/a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->version.type, integrity::FileType::kRegular);
  EXPECT_EQ(a->version.mode, 0644u);
  EXPECT_EQ(a->data_path, "/etc/b");
  EXPECT_TRUE(a->version.problem.empty());
  const auto c = ParseBorgItem(lines, "/etc/c");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->version.problem.empty());
}

TEST(ParseBorgItem, NamesAnItemBorgMarksUnhealthy) {
  const auto item = ParseBorgItem(
      R"({"type":"-","mode":"-rw-------","path":"etc/shadow","healthy":false,"size":9})",
      "/etc/shadow");
  ASSERT_TRUE(item);
  EXPECT_NE(item->version.problem.find("unhealthy"), std::string::npos);
}

TEST(BorgExactPattern, EscapesEverythingButLettersAndDigits) {
  EXPECT_EQ(BorgExactPattern("/etc/passwd"), "re:^etc\\/passwd\\Z");
  EXPECT_EQ(BorgExactPattern("/a.b*[c]"), "re:^a\\.b\\*\\[c\\]\\Z");
  EXPECT_EQ(BorgExactPattern("/x\ny"), "re:^x\\\ny\\Z");
}

TEST(LooksLikeBorgConfig, WantsTheRepositorySectionWithBorgsKeys) {
  EXPECT_TRUE(LooksLikeBorgConfig(
      "[repository]\nversion = 1\nsegments_per_dir = 1000\nappend_only = 0\nid = 10a1\n"));
  EXPECT_TRUE(LooksLikeBorgConfig(
      "[repository]\nversion = 1\nsegments_per_dir = 1000\nid = 1a05\nkey = hqlhbGdv\n"
      "\tyMQ8xf2reDZH/DApWYh8c\n\tPwch7//0pXwvFi0M\n"));
  EXPECT_TRUE(LooksLikeBorgConfig(
      "[repository]\r\nversion = 1\r\nsegments_per_dir = 1000\r\nid = 10a1\r\n\r\n[cache]\n"));
  EXPECT_FALSE(LooksLikeBorgConfig("[repository]\nversion = 1\nid = 10a1\n"));
  EXPECT_FALSE(LooksLikeBorgConfig("[other]\nversion = 1\nsegments_per_dir = 1\nid = 1\n"));
  EXPECT_FALSE(
      LooksLikeBorgConfig("junk\n[repository]\nversion = 1\nsegments_per_dir = 1\nid = 1\n"));
  EXPECT_FALSE(LooksLikeBorgConfig(std::string("\x01\x02restic", 8)));
  EXPECT_FALSE(LooksLikeBorgConfig(""));
}

TEST(GenerationAt, RefusesRepoColonNameOutsideARepository) {
  TempDir dir;
  const auto at = GenerationAt((dir.path() / "nothing").string() + "::a1");
  ASSERT_FALSE(at.ok());
  EXPECT_NE(at.error().message.find("not a restic or borg repository"), std::string::npos);
}

TEST(MountOf, TakesTheLongestMountPointAboveThePath) {
  const std::string mountinfo =
      "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
      "30 22 8:17 / /mnt/back\\040up ro,nosuid - xfs /dev/sdb1 ro\n";
  const auto mount = MountOf(mountinfo, "/mnt/back up/daily.0");
  ASSERT_TRUE(mount);
  EXPECT_EQ(mount->point, "/mnt/back up");
  EXPECT_EQ(mount->type, "xfs");
  EXPECT_EQ(mount->options, "ro,nosuid");
  EXPECT_EQ(MountOf(mountinfo, "/etc")->point, "/");
}

// Writes a tar archive with `entries` (name, symlink target or "", content).
struct TarEntry {
  std::string name;
  std::string link;
  std::string content;
};
void WriteTar(const fs::path& file, const std::vector<TarEntry>& entries) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  ASSERT_EQ(archive_write_open_filename(a, file.c_str()), ARCHIVE_OK);
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    if (!e.link.empty()) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, e.link.c_str());
      archive_entry_set_perm(entry, 0777);
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, 0644);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
    }
    archive_write_header(a, entry);
    if (e.link.empty()) archive_write_data(a, e.content.data(), e.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

Result<std::vector<Version>> ReadArchive(const fs::path& file, const std::string& path) {
  auto generation = GenerationAt(file.string());
  if (!generation.ok()) return generation.error();
  InodeCache cache;
  return ReadVersions(*generation, {path}, ReadOptions(), cache);
}

TEST(ReadArchive, HashesOnlyTheAskedEntryAndTheLastOfItsName) {
  TempDir dir;
  WriteTar(
      dir.path() / "a.tar",
      {{"./etc/passwd", "", "first\n"}, {"etc/hosts", "", "x"}, {"etc/passwd", "", "second\n"}});
  const auto versions = ReadArchive(dir.path() / "a.tar", "/etc/passwd");
  ASSERT_TRUE(versions.ok()) << versions.error().message;
  EXPECT_EQ((*versions)[0].sha256, Sha256Hex("second\n"));
  EXPECT_EQ((*versions)[0].mode, 0644u);
}

TEST(ReadArchive, RefusesAnArchiveWithAClimbingName) {
  TempDir dir;
  WriteTar(dir.path() / "evil.tar", {{"../../etc/passwd", "", "root::0:0::/:/bin/sh\n"}});
  const auto versions = ReadArchive(dir.path() / "evil.tar", "/etc/passwd");
  ASSERT_FALSE(versions.ok());
  EXPECT_NE(versions.error().message.find("climbing"), std::string::npos);
}

TEST(ReadArchive, RefusesAnArchiveWithAnAbsoluteName) {
  TempDir dir;
  WriteTar(dir.path() / "evil.tar", {{"/etc/passwd", "", "root::0:0::/:/bin/sh\n"}});
  EXPECT_FALSE(ReadArchive(dir.path() / "evil.tar", "/etc/passwd").ok());
}

TEST(ReadArchive, RefusesAFileReachedThroughAnEarlierLinkEntry) {
  TempDir dir;
  WriteTar(dir.path() / "evil.tar",
           {{"etc", "/tmp/elsewhere", ""}, {"etc/passwd", "", "root::0:0::/:/bin/sh\n"}});
  const auto versions = ReadArchive(dir.path() / "evil.tar", "/etc/passwd");
  ASSERT_TRUE(versions.ok()) << versions.error().message;
  EXPECT_NE((*versions)[0].problem.find("symbolic-link entry"), std::string::npos);
  EXPECT_TRUE((*versions)[0].sha256.empty());
}

TEST(ReadTree, NeverFollowsALinkOnTheWay) {
  TempDir dir;
  fs::create_directories(dir.path() / "outside");
  std::ofstream(dir.path() / "outside" / "passwd") << "secret";
  fs::create_directories(dir.path() / "gen");
  fs::create_directory_symlink(dir.path() / "outside", dir.path() / "gen" / "etc");
  InodeCache cache;
  const Generation generation{"s", "gen", GenerationKind::kFolder, dir.path() / "gen", "", {}, ""};
  const auto versions = ReadVersions(generation, {"/etc/passwd"}, ReadOptions(), cache);
  ASSERT_TRUE(versions.ok());
  EXPECT_FALSE((*versions)[0].present);
  EXPECT_NE((*versions)[0].problem.find("symbolic link"), std::string::npos);
}

TEST(ReadTree, HashesAHardLinkedFileOnce) {
  TempDir dir;
  fs::create_directories(dir.path() / "g1" / "etc");
  fs::create_directories(dir.path() / "g2" / "etc");
  std::ofstream(dir.path() / "g1" / "etc" / "passwd") << "root:x:0:0::/root:/bin/sh\n";
  fs::create_hard_link(dir.path() / "g1" / "etc" / "passwd", dir.path() / "g2" / "etc" / "passwd");
  InodeCache cache;
  for (const char* name : {"g1", "g2"}) {
    const Generation g{"s", name, GenerationKind::kFolder, dir.path() / name, "", {}, ""};
    ASSERT_TRUE(ReadVersions(g, {"/etc/passwd"}, ReadOptions(), cache).ok());
  }
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(FindGenerations, OrdersDatedFoldersAndFindsTheTreeBelowAHostFolder) {
  TempDir dir;
  for (const char* name : {"2026-11-21", "2026-11-20"}) {
    fs::create_directories(dir.path() / name / "localhost" / "etc");
  }
  const auto generations = FindGenerations(dir.path());
  ASSERT_TRUE(generations.ok()) << generations.error().message;
  ASSERT_EQ(generations->size(), 2u);
  EXPECT_EQ((*generations)[0].name, "2026-11-20");
  EXPECT_EQ((*generations)[0].time_from, "name");
  EXPECT_EQ((*generations)[0].location, dir.path() / "2026-11-20" / "localhost");
}

TEST(FindGenerations, ReadsSnapperSnapshotsWithTheirDate) {
  TempDir dir;
  fs::create_directories(dir.path() / ".snapshots" / "1" / "snapshot" / "etc");
  std::ofstream(dir.path() / ".snapshots" / "1" / "info.xml")
      << "<snapshot><num>1</num><date>2026-11-20 10:00:00</date></snapshot>";
  const auto generations = FindGenerations(dir.path());
  ASSERT_TRUE(generations.ok()) << generations.error().message;
  ASSERT_EQ(generations->size(), 1u);
  EXPECT_EQ((*generations)[0].time_from, "metadata");
  EXPECT_EQ((*generations)[0].time.seconds, CivilToSeconds(2026, 11, 20, 10, 0, 0));
}

}  // namespace
}  // namespace irk::backups
