// Journal files for tests, written by systemd-journal-remote from the
// journal export format, as journald itself would write them.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace irk::logs::testing {

inline constexpr const char* kJournalRemote = "/lib/systemd/systemd-journal-remote";

// Writes `entries` (export format) into the journal file `journal`, making
// it and its folders, or appending to it when it exists. Its scratch files
// go into the folder `scratch`. "" when it worked, else what went wrong.
inline std::string AppendToJournal(const std::filesystem::path& journal, std::string_view entries,
                                   const std::filesystem::path& scratch) {
  std::filesystem::create_directories(journal.parent_path());
  const auto export_file = scratch / "entries.export";
  const auto err_file = scratch / "entries.err";
  std::ofstream(export_file, std::ios::binary | std::ios::trunc) << entries;
  const pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    const std::string output = "--output=" + journal.string();
    const int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(err, 1);
    dup2(err, 2);
    execl(kJournalRemote, kJournalRemote, output.c_str(), export_file.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return "waitpid failed";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  std::ifstream err(err_file);
  return "systemd-journal-remote failed: " +
         std::string(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
}

}  // namespace irk::logs::testing
