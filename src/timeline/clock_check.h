// Clock problems in a timeline, shown rather than hidden: a stamp later than
// the last change of the file that holds it, or later than now; a source
// whose stamps go backwards; sources whose stamps are in different zones.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "timeline/item.h"

namespace irk::timeline {

class ClockCheck {
 public:
  // A stamp this much later than its file's mtime, or than now, is a problem:
  // enough for lines written while irk reads a live log.
  static constexpr int64_t kFutureSlack = 3600;
  // A stamp this much earlier than the one before it in the same source:
  // syslog writes lines as they arrive, so a few seconds back are normal.
  static constexpr int64_t kBackwardsSlack = 60;

  explicit ClockCheck(Timestamp now) : now_(now) {}

  // The last change of `file` (named as events name their file).
  void SetFileTime(std::string file, Timestamp mtime);

  // Checks `item`, which came from source `source` named `source_name`, and
  // adds a note for each problem found to item.notes.
  void Observe(Item& item, std::string_view source_name);

  // One line per source and kind of problem, with a count and the first
  // item's place; then one line when sources used different zones. Sorted.
  std::vector<std::string> Summary() const;
  bool found() const { return !problems_.empty() || Zones().size() > 1; }

 private:
  struct Problem {
    uint64_t count = 0;
    std::string first;  // where it was first seen
  };
  void Note(Item& item, std::string_view source_name, std::string_view kind, std::string note);
  // Distinct zones (normalized) → the sources that used them.
  std::map<std::string, std::vector<std::string>> Zones() const;

  Timestamp now_;
  std::map<std::string, Timestamp, std::less<>> file_times_;
  std::map<size_t, Timestamp> last_;                         // per source index
  std::map<std::string, std::string, std::less<>> zone_of_;  // source name → its first zone
  std::map<std::pair<std::string, std::string>, Problem> problems_;  // (source, kind)
};

}  // namespace irk::timeline
