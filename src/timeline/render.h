// How a timeline is written: one line a person reads, one JSON object a
// line, or Sleuth Kit's body file (TSK 3) for mactime and plaso. Each appends
// one item to a buffer, so the timeline streams.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "timeline/item.h"

namespace irk::timeline {

// "2026-11-26 13:02:11  auth.log:2  sshd[4242]  auth failure  admin  from …",
// "…  case #7  block.apply  {…}", "…  file m.c.  /etc/passwd  -rw-r--r-- 0:0 1234";
// the clock notes follow in brackets. Escaped for the terminal; no newline.
void AppendItemLine(std::string& out, const Item& item);

// One JSON object, no newline: "time", "type" ("event", "action", "file"),
// then for an event "event" (the record of DESIGN.md), for an action "seq",
// "kind" and "details", for a file "macb", "path", "inode", "mode", "uid",
// "gid", "size" and its times; "notes" when there are clock notes.
void AppendItemJson(std::string& out, const Item& item);

// One body-file line, no newline:
// MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime, times
// in seconds since the epoch, 0 where unknown, MD5 always 0. A file gives its
// own metadata and all four times. An event or an action is a line whose
// name is its text ("/var/log/auth.log:812: <the line>", "irk case #7:
// block.apply {…}") and whose four times are all the event's time, so that
// mactime shows it once, as "macb", at that time, and never at 1970 for a
// time left 0.
void AppendBodyLine(std::string& out, const Item& item);

// A name for a body-file field: escaped as for the terminal (newlines and
// other controls become \xNN), and '|', the field separator, as \x7c.
std::string BodyfileName(std::string_view name);

// "-rw-r--r--", "drwxr-xr-x", with s/S and t/T for the special bits.
std::string ModeString(uint32_t mode);

}  // namespace irk::timeline
