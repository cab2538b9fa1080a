#include "timeline/clock_check.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace irk::timeline {
namespace {

// "Z", "UTC", "+00:00" and "+0000" all say UTC; any other zone is kept as
// written ("+02:00", "Europe/Berlin").
std::string NormalZone(std::string_view zone) {
  if (zone == "Z" || zone == "UTC" || zone == "+00:00" || zone == "+0000" || zone == "-00:00") {
    return "UTC";
  }
  return std::string(zone);
}

std::string PlaceOf(const logs::Event& event) {
  if (event.line == 0) return std::string(event.time_text);
  return fmt::format("line {}", event.line);
}

}  // namespace

void ClockCheck::SetFileTime(std::string file, Timestamp mtime) {
  file_times_.insert_or_assign(std::move(file), mtime);
}

void ClockCheck::Note(Item& item, std::string_view source_name, std::string_view kind,
                      std::string note) {
  item.notes.push_back(std::move(note));
  Problem& problem = problems_[{std::string(source_name), std::string(kind)}];
  if (problem.count++ > 0) return;
  // Where, for the summary: the line of an event, else the time.
  const auto* owned = std::get_if<OwnedEvent>(&item.what);
  problem.first = owned != nullptr ? PlaceOf(owned->view()) : FormatRfc3339(item.time);
}

void ClockCheck::Observe(Item& item, std::string_view source_name) {
  // Per item only comparisons: this runs for every line of every log.
  if (const auto* owned = std::get_if<OwnedEvent>(&item.what)) {
    const logs::Event event = owned->view();
    if (!event.zone.empty() && !zone_of_.contains(source_name)) {
      zone_of_.emplace(std::string(source_name), NormalZone(event.zone));
    }
    if (auto it = file_times_.find(event.file); it != file_times_.end()) {
      const int64_t after = item.time.seconds - it->second.seconds;
      if (after > kFutureSlack) {
        Note(item, source_name, "after the file's last change",
             fmt::format("stamp {} after the file's last change ({})", FormatDuration(after),
                         FormatRfc3339(it->second)));
      }
    }
  }
  if (const int64_t ahead = item.time.seconds - now_.seconds; ahead > kFutureSlack) {
    Note(item, source_name, "in the future",
         fmt::format("stamp {} in the future", FormatDuration(ahead)));
  }
  auto [last, first] = last_.try_emplace(item.source, item.time);
  if (!first) {
    const int64_t back = last->second.seconds - item.time.seconds;
    if (back > kBackwardsSlack) {
      Note(item, source_name, "going backwards",
           fmt::format("stamp {} before the previous one of this source", FormatDuration(back)));
    }
    last->second = item.time;
  }
}

std::map<std::string, std::vector<std::string>> ClockCheck::Zones() const {
  std::map<std::string, std::vector<std::string>> zones;
  for (const auto& [source, zone] : zone_of_) zones[zone].push_back(source);
  return zones;
}

std::vector<std::string> ClockCheck::Summary() const {
  std::vector<std::string> lines;
  for (const auto& [key, problem] : problems_) {
    lines.push_back(fmt::format("{}: {} stamp{} {} (first at {})", key.first, problem.count,
                                problem.count == 1 ? "" : "s", key.second, problem.first));
  }
  if (const auto zones = Zones(); zones.size() > 1) {
    std::string line = "sources in different zones:";
    for (const auto& [zone, sources] : zones) {
      line += fmt::format(" {} ({})", zone, fmt::join(sources, ", "));
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace irk::timeline
