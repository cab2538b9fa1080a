// One line of a timeline: a log event, an action irk recorded in the case
// journal, or a file's times, each owning its text so that it can wait in
// the merge after the reader has moved on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/time.h"
#include "logs/event.h"

namespace irk::timeline {

// A copy of a logs::Event that owns its strings. view() gives an Event whose
// string_views point into this object: valid until it is changed, moved or
// destroyed.
class OwnedEvent {
 public:
  explicit OwnedEvent(const logs::Event& event);
  logs::Event view() const;

 private:
  logs::Event fields_;  // the non-text fields; its views are left empty
  std::string time_text_, zone_, file_, host_, service_, user_, method_, key_, command_, reason_,
      raw_;
};

// A record of the case journal: something irk did or found.
struct Action {
  int64_t seq = 0;
  std::string kind;          // "block.apply", "timeline", …
  std::string details_json;  // a JSON object
};

// A file's metadata as statx gave it; times absent when the filesystem keeps none.
struct FileTimes {
  std::string path;  // as the examined system names it
  uint64_t inode = 0;
  uint32_t mode = 0;  // st_mode: type and permission bits
  uint32_t uid = 0, gid = 0;
  uint64_t size = 0;
  std::optional<Timestamp> atime, mtime, ctime, btime;
};

// One of a file's times, or several that are equal: `macb` says which, as
// mactime does ("m.c.": modified and changed at `time`).
struct FileStamp {
  FileTimes file;
  std::string macb;
};

struct Item {
  using What = std::variant<OwnedEvent, Action, FileStamp>;
  Item(Timestamp t, What w) : time(t), what(std::move(w)) {}

  Timestamp time;
  What what;
  size_t source = 0;               // index of the stream it came from, set by Merge
  std::vector<std::string> notes;  // clock problems seen at this item, for a person
};

}  // namespace irk::timeline
