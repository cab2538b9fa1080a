#include "timeline/file_times.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace irk::timeline {
namespace {

std::optional<Timestamp> FromStatx(const struct statx_timestamp& t) {
  return Timestamp{t.tv_sec, static_cast<int32_t>(t.tv_nsec / 1000)};
}

}  // namespace

Result<FileTimes> StatFile(const Root& root, std::string_view path) {
  auto fd = root.OpenFile(path);
  if (!fd.ok()) return fd.error();
  struct statx st {};
  if (statx(fd->get(), "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME, &st) != 0) {
    return Fail(fmt::format("statx {}: {}", root.HostPath(path), std::strerror(errno)));
  }
  FileTimes times;
  times.path = std::string(path);
  times.inode = st.stx_ino;
  times.mode = st.stx_mode;
  times.uid = st.stx_uid;
  times.gid = st.stx_gid;
  times.size = st.stx_size;
  if (st.stx_mask & STATX_ATIME) times.atime = FromStatx(st.stx_atime);
  if (st.stx_mask & STATX_MTIME) times.mtime = FromStatx(st.stx_mtime);
  if (st.stx_mask & STATX_CTIME) times.ctime = FromStatx(st.stx_ctime);
  if (st.stx_mask & STATX_BTIME) times.btime = FromStatx(st.stx_btime);
  return times;
}

std::vector<FileTimes> StatFiles(const Root& root, const std::vector<std::string>& paths,
                                 const std::function<void(const Error&)>& problem) {
  std::vector<FileTimes> files;
  for (const std::string& path : paths) {
    // A directory lists; a file (or a missing path) does not, and opening it
    // then says what it is.
    auto names = root.ListFiles(path);
    std::vector<std::string> targets;
    if (names.ok() && !names->empty()) {
      const std::string dir = path.ends_with('/') ? path : path + "/";
      for (const std::string& name : *names) targets.push_back(dir + name);
    } else {
      targets.push_back(path);
    }
    for (const std::string& target : targets) {
      auto times = StatFile(root, target);
      if (times.ok()) {
        files.push_back(std::move(times).value());
      } else {
        problem(times.error());
      }
    }
  }
  return files;
}

std::vector<Item> FileTimeItems(const std::vector<FileTimes>& files, std::optional<Timestamp> since,
                                std::optional<Timestamp> until, bool one_per_file) {
  const auto inside = [&](const std::optional<Timestamp>& t) {
    return t && (!since || *since <= *t) && (!until || *t < *until);
  };
  std::vector<Item> items;
  for (const FileTimes& file : files) {
    // mactime's order of letters: modified, accessed, changed, born.
    const std::array<const std::optional<Timestamp>*, 4> times = {&file.mtime, &file.atime,
                                                                  &file.ctime, &file.btime};
    std::vector<Timestamp> distinct;
    for (const auto* t : times) {
      if (inside(*t)) distinct.push_back(**t);
    }
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (one_per_file && distinct.size() > 1) distinct.resize(1);
    for (const Timestamp& at : distinct) {
      std::string macb = "....";
      for (size_t i = 0; i < times.size(); ++i) {
        if (*times[i] == at) macb[i] = "macb"[i];
      }
      items.push_back(Item{at, FileStamp{file, std::move(macb)}});
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.time != b.time) return a.time < b.time;
    return std::get<FileStamp>(a.what).file.path < std::get<FileStamp>(b.what).file.path;
  });
  return items;
}

}  // namespace irk::timeline
