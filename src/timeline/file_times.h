// The times of files of the examined system (mtime, atime, ctime, birth),
// as Sleuth Kit's mactime shows them, read through the Root so that no link
// leads out of an image.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"
#include "core/time.h"
#include "timeline/item.h"

namespace irk::timeline {

// The times of the regular file `path` (absolute, as the examined system
// names it), from statx on a descriptor opened through the Root (links
// resolved inside it; a link as the last component, a FIFO or a device is
// refused unopened). Opening without reading leaves atime as it was. Birth
// time is absent where the filesystem keeps none.
Result<FileTimes> StatFile(const Root& root, std::string_view path);

// StatFile of each of `paths`; a directory stands for the regular files
// directly in it (not those of its subdirectories). A path that cannot be
// read goes to `problem`, and the rest are read. In the order given, each
// directory's files sorted.
std::vector<FileTimes> StatFiles(const Root& root, const std::vector<std::string>& paths,
                                 const std::function<void(const Error&)>& problem);

// The items of `files` whose times lie in [since, until) (an absent bound is
// open): one per distinct time of a file, its `macb` naming the times equal to
// it ("m.c."), sorted by time, then path. With `one_per_file`, only each
// file's earliest time in the window (a body file holds all four times on
// one line).
std::vector<Item> FileTimeItems(const std::vector<FileTimes>& files, std::optional<Timestamp> since,
                                std::optional<Timestamp> until, bool one_per_file);

}  // namespace irk::timeline
