#include "timeline/render.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "core/json.h"
#include "core/text.h"

namespace irk::timeline {
namespace {

// "2026-11-26 13:02:11": the RFC 3339 stamp cut to the second, a space for the T.
void AppendTableTime(std::string& out, Timestamp time) {
  const size_t start = out.size();
  AppendRfc3339(out, time);
  out.resize(start + 19);
  out[start + 10] = ' ';
}

std::string_view BaseName(std::string_view path) { return path.substr(path.rfind('/') + 1); }

int64_t Seconds(const std::optional<Timestamp>& t) { return t ? t->seconds : 0; }

// The name an event has in a body file: where it was written, and the line.
std::string EventName(const logs::Event& event) {
  if (event.line == 0) return fmt::format("{}: {}", event.file, event.raw);
  return fmt::format("{}:{}: {}", event.file, event.line, event.raw);
}

}  // namespace

std::string ModeString(uint32_t mode) {
  std::string text = "----------";
  if (S_ISDIR(mode)) text[0] = 'd';
  if (S_ISLNK(mode)) text[0] = 'l';
  constexpr const char* kLetters = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) {
    if (mode & (0400u >> i)) text[1 + i] = kLetters[i];
  }
  const auto special = [&text](size_t at, bool set, char with_x, char without_x) {
    if (set) text[at] = text[at] == 'x' ? with_x : without_x;
  };
  special(3, mode & S_ISUID, 's', 'S');
  special(6, mode & S_ISGID, 's', 'S');
  special(9, mode & S_ISVTX, 't', 'T');
  return text;
}

std::string BodyfileName(std::string_view name) {
  std::string escaped;
  for (char c : EscapeForTerminal(name)) {
    if (c == '|') {
      escaped += "\\x7c";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void AppendItemLine(std::string& out, const Item& item) {
  AppendTableTime(out, item.time);
  out += "  ";
  if (const auto* owned = std::get_if<OwnedEvent>(&item.what)) {
    const logs::Event event = owned->view();
    out += EscapeForTerminal(BaseName(event.file));
    if (event.line != 0) out += fmt::format(":{}", event.line);
    out += "  ";
    logs::AppendEventSummary(out, event);
  } else if (const auto* action = std::get_if<Action>(&item.what)) {
    out += fmt::format("case #{}  ", action->seq);
    out += EscapeForTerminal(action->kind);
    out += "  ";
    out += EscapeForTerminal(action->details_json);
  } else {
    const auto& stamp = std::get<FileStamp>(item.what);
    out += "file ";
    out += stamp.macb;
    out += "  ";
    out += EscapeForTerminal(stamp.file.path);
    out += fmt::format("  {} {}:{} {}", ModeString(stamp.file.mode), stamp.file.uid, stamp.file.gid,
                       stamp.file.size);
  }
  for (const std::string& note : item.notes) {
    out += "  [clock: ";
    out += note;
    out += ']';
  }
}

void AppendItemJson(std::string& out, const Item& item) {
  JsonObject object;
  object.Add("time", FormatRfc3339(item.time));
  if (const auto* owned = std::get_if<OwnedEvent>(&item.what)) {
    std::string event;
    logs::AppendEventJson(event, owned->view());
    object.Add("type", "event").AddRaw("event", event);
  } else if (const auto* action = std::get_if<Action>(&item.what)) {
    object.Add("type", "action").Add("seq", action->seq).Add("kind", action->kind);
    object.AddRaw("details", action->details_json);
  } else {
    const auto& stamp = std::get<FileStamp>(item.what);
    const FileTimes& file = stamp.file;
    object.Add("type", "file")
        .Add("macb", stamp.macb)
        .Add("path", file.path)
        .Add("inode", file.inode)
        .Add("mode", ModeString(file.mode))
        .Add("uid", file.uid)
        .Add("gid", file.gid)
        .Add("size", file.size);
    const auto add_time = [&object](std::string_view key, const std::optional<Timestamp>& t) {
      if (t) object.Add(key, FormatRfc3339(*t, true));
    };
    add_time("mtime", file.mtime);
    add_time("atime", file.atime);
    add_time("ctime", file.ctime);
    add_time("btime", file.btime);
  }
  if (!item.notes.empty()) {
    JsonArray notes;
    for (const std::string& note : item.notes) notes.Add(note);
    object.Add("notes", notes);
  }
  out += object.str();
}

void AppendBodyLine(std::string& out, const Item& item) {
  if (const auto* stamp = std::get_if<FileStamp>(&item.what)) {
    const FileTimes& file = stamp->file;
    // TSK writes the type of the metadata and of the name before the
    // permissions: "r/r" for a regular file.
    out += fmt::format("0|{}|{}|r/r{}|{}|{}|{}|{}|{}|{}|{}", BodyfileName(file.path), file.inode,
                       ModeString(file.mode).substr(1), file.uid, file.gid, file.size,
                       Seconds(file.atime), Seconds(file.mtime), Seconds(file.ctime),
                       Seconds(file.btime));
    return;
  }
  std::string name;
  if (const auto* owned = std::get_if<OwnedEvent>(&item.what)) {
    name = EventName(owned->view());
  } else {
    const auto& action = std::get<Action>(item.what);
    name = fmt::format("irk case #{}: {} {}", action.seq, action.kind, action.details_json);
  }
  const int64_t t = item.time.seconds;
  out += fmt::format("0|{}|0|0|0|0|0|{}|{}|{}|{}", BodyfileName(name), t, t, t, t);
}

}  // namespace irk::timeline
