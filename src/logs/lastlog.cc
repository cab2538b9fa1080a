#include "logs/lastlog.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>

#include <fmt/format.h>

namespace irk::logs {
namespace {

constexpr size_t kLineSize = 32;
constexpr size_t kHostSize = 256;
constexpr int kSampleRecords = 64;
// 2100-01-01T00:00:00Z: later times are not a login's.
constexpr int64_t kPlausibleTimeLimit = 4102444800;
constexpr uint64_t kMaxUid = std::numeric_limits<uint32_t>::max();
// Reads go in windows of whole records of about this size.
constexpr uint64_t kWindowBytes = uint64_t{1} << 20;

constexpr std::array<LastlogLayout, 3> kLayouts = {LastlogLayout::kTime32, LastlogLayout::kTime64,
                                                   LastlogLayout::kTime64BigEndian};

size_t TimeSize(LastlogLayout layout) { return layout == LastlogLayout::kTime32 ? 4 : 8; }

int64_t ReadTime(const char* p, LastlogLayout layout) {
  uint64_t value = 0;
  const size_t n = TimeSize(layout);
  for (size_t i = 0; i < n; ++i) {
    const auto byte = static_cast<unsigned char>(p[i]);
    if (layout == LastlogLayout::kTime64BigEndian) {
      value = (value << 8) | byte;
    } else {
      value |= static_cast<uint64_t>(byte) << (8 * i);
    }
  }
  if (n == 4) return static_cast<int32_t>(static_cast<uint32_t>(value));
  return static_cast<int64_t>(value);
}

// The field's text: its bytes up to the first NUL.
std::string_view Text(std::string_view field) { return field.substr(0, field.find('\0')); }

bool AllZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\0'; });
}

// Printable text padded with NULs, as login and sshd write it (strncpy into
// a zeroed record); a wrong layout shifts binary time bytes into it.
bool PlausibleText(std::string_view field) {
  const std::string_view text = Text(field);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return false;
  }
  return AllZero(field.substr(text.size()));
}

enum class Verdict { kEmpty, kPlausible, kImplausible };

Verdict Judge(std::string_view record, LastlogLayout layout) {
  if (AllZero(record)) return Verdict::kEmpty;
  const size_t t = TimeSize(layout);
  const int64_t time = ReadTime(record.data(), layout);
  const bool plausible = time > 0 && time < kPlausibleTimeLimit &&
                         PlausibleText(record.substr(t, kLineSize)) &&
                         PlausibleText(record.substr(t + kLineSize, kHostSize));
  return plausible ? Verdict::kPlausible : Verdict::kImplausible;
}

// Plausible minus implausible records, over the first kSampleRecords
// non-empty ones, per layout; fed window by window.
struct Votes {
  std::array<int, 3> score{};
  std::array<int, 3> seen{};

  // `bytes` start at file offset `offset`; only records wholly inside count.
  void Add(std::string_view bytes, uint64_t offset, LastlogLayout layout) {
    const auto index = static_cast<size_t>(layout);
    const uint64_t size = LastlogRecordSize(layout);
    uint64_t record = (offset + size - 1) / size * size;
    for (; record + size <= offset + bytes.size() && seen[index] < kSampleRecords; record += size) {
      switch (Judge(bytes.substr(record - offset, size), layout)) {
        case Verdict::kEmpty:
          break;
        case Verdict::kPlausible:
          ++score[index];
          ++seen[index];
          break;
        case Verdict::kImplausible:
          --score[index];
          ++seen[index];
          break;
      }
    }
  }

  bool Done(LastlogLayout layout) const {
    return seen[static_cast<size_t>(layout)] >= kSampleRecords;
  }

  LastlogLayout Choose(uint64_t file_size) const {
    bool any_fits = false;
    for (const LastlogLayout layout : kLayouts) {
      any_fits = any_fits || file_size % LastlogRecordSize(layout) == 0;
    }
    std::optional<LastlogLayout> best;
    for (const LastlogLayout layout : kLayouts) {
      if (any_fits && file_size % LastlogRecordSize(layout) != 0) continue;
      if (!best || score[static_cast<size_t>(layout)] > score[static_cast<size_t>(*best)]) {
        best = layout;
      }
    }
    return *best;
  }
};

// Reads up to `size` bytes at `offset`; fewer only at the end of the file.
Result<std::string> ReadAt(int fd, uint64_t offset, uint64_t size, std::string_view name) {
  std::string data(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t n = pread(fd, data.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(fmt::format("read {}: {}", name, std::strerror(errno)));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

struct Region {
  uint64_t begin = 0;
  uint64_t end = 0;
};

// The file's data regions, in order, at most kMaxLastlogData bytes in all.
Result<std::vector<Region>> DataRegions(int fd, uint64_t file_size, std::string_view name) {
  std::vector<Region> regions;
  uint64_t total = 0;
  uint64_t pos = 0;
  while (pos < file_size) {
    const off_t data = lseek(fd, static_cast<off_t>(pos), SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) break;  // only a hole from `pos` to the end
      if (errno == EINVAL && regions.empty()) {
        // No SEEK_DATA on this file system: all of the file is data.
        regions = {{0, file_size}};
        total = file_size;
        break;
      }
      return Fail(fmt::format("read {}: seek data: {}", name, std::strerror(errno)));
    }
    off_t hole = lseek(fd, data, SEEK_HOLE);
    if (hole < 0 || static_cast<uint64_t>(hole) > file_size) hole = static_cast<off_t>(file_size);
    if (hole <= data) break;
    regions.push_back({static_cast<uint64_t>(data), static_cast<uint64_t>(hole)});
    total += static_cast<uint64_t>(hole - data);
    if (total > kMaxLastlogData) break;
    pos = static_cast<uint64_t>(hole);
  }
  if (total > kMaxLastlogData) {
    return Fail(
        fmt::format("read {}: more than {} bytes of data; not read", name, kMaxLastlogData));
  }
  return regions;
}

// `region` widened to whole records of `size` bytes, within the file.
Region Widen(Region region, uint64_t size, uint64_t file_size) {
  return {region.begin / size * size, std::min((region.end + size - 1) / size * size, file_size)};
}

}  // namespace

size_t LastlogRecordSize(LastlogLayout layout) { return TimeSize(layout) + kLineSize + kHostSize; }

LastlogLayout DetectLastlogLayout(std::string_view bytes) {
  Votes votes;
  for (const LastlogLayout layout : kLayouts) votes.Add(bytes, 0, layout);
  return votes.Choose(bytes.size());
}

std::vector<LastlogEntry> ParseLastlog(std::string_view bytes) {
  return ParseLastlog(bytes, DetectLastlogLayout(bytes), 0);
}

std::vector<LastlogEntry> ParseLastlog(std::string_view bytes, LastlogLayout layout,
                                       uint64_t first_uid) {
  std::vector<LastlogEntry> entries;
  const size_t size = LastlogRecordSize(layout);
  const size_t t = TimeSize(layout);
  uint64_t uid = first_uid;
  for (size_t pos = 0; pos + size <= bytes.size() && uid <= kMaxUid; pos += size, ++uid) {
    const std::string_view record = bytes.substr(pos, size);
    if (AllZero(record)) continue;
    LastlogEntry entry;
    entry.uid = static_cast<uint32_t>(uid);
    entry.time = Timestamp{ReadTime(record.data(), layout), 0};
    entry.line = std::string(Text(record.substr(t, kLineSize)));
    entry.host = std::string(Text(record.substr(t + kLineSize, kHostSize)));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::vector<LastlogEntry>> ReadLastlog(const Root& root, std::string_view path) {
  const std::string name = root.HostPath(path);
  auto fd = root.OpenFile(path);
  if (!fd.ok()) return fd.error();
  struct stat st {};
  if (fstat(fd->get(), &st) != 0) {
    return Fail(fmt::format("stat {}: {}", name, std::strerror(errno)));
  }
  const auto file_size = static_cast<uint64_t>(st.st_size);
  auto regions = DataRegions(fd->get(), file_size, name);
  if (!regions.ok()) return regions.error();

  // The layout, from the first records of the first regions.
  Votes votes;
  for (const LastlogLayout layout : kLayouts) {
    uint64_t sampled = 0;
    for (const Region& region : *regions) {
      if (votes.Done(layout) || sampled >= kWindowBytes) break;
      const Region wide = Widen(region, LastlogRecordSize(layout), file_size);
      const uint64_t size = std::min(wide.end - wide.begin, kWindowBytes);
      auto bytes = ReadAt(fd->get(), wide.begin, size, name);
      if (!bytes.ok()) return bytes.error();
      votes.Add(*bytes, wide.begin, layout);
      sampled += size;
    }
  }
  const LastlogLayout layout = votes.Choose(file_size);
  const uint64_t record_size = LastlogRecordSize(layout);

  std::vector<LastlogEntry> entries;
  uint64_t next = 0;  // the first offset not parsed yet: widened regions may share a record
  const uint64_t window = kWindowBytes / record_size * record_size;
  for (const Region& region : *regions) {
    const Region wide = Widen(region, record_size, file_size);
    for (uint64_t pos = std::max(wide.begin, next); pos < wide.end; pos += window) {
      if (pos / record_size > kMaxUid) return entries;
      auto bytes = ReadAt(fd->get(), pos, std::min(window, wide.end - pos), name);
      if (!bytes.ok()) return bytes.error();
      std::vector<LastlogEntry> part = ParseLastlog(*bytes, layout, pos / record_size);
      std::move(part.begin(), part.end(), std::back_inserter(entries));
      next = pos + bytes->size();
    }
  }
  return entries;
}

}  // namespace irk::logs
