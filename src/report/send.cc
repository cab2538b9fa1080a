#include "report/send.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace irk::report {
namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;

// Writes all of `bytes` to `fd`; false on an error (the reader went away).
bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Header names compare without regard to case.
bool SameName(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c =
        name[i] >= 'A' && name[i] <= 'Z' ? static_cast<char>(name[i] - 'A' + 'a') : name[i];
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

Envelope ReadEnvelope(std::string_view message) {
  message = message.substr(0, kMaxHeaderBytes);
  Envelope envelope;
  std::string* current = nullptr;
  while (!message.empty()) {
    const size_t end = message.find('\n');
    std::string_view line = message.substr(0, end);
    message = end == std::string_view::npos ? std::string_view() : message.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (current != nullptr) *current += line;
      continue;
    }
    current = nullptr;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (SameName(name, "to")) current = &envelope.to;
    if (SameName(name, "subject")) current = &envelope.subject;
    if (current != nullptr) *current = value;
  }
  return envelope;
}

Status Sendmail(const std::string& program, std::string_view message) {
  int in[2];
  if (pipe2(in, O_CLOEXEC) != 0) return Fail(fmt::format("pipe: {}", std::strerror(errno)));
  const std::string arg_t = "-t", arg_oi = "-oi", path = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
  std::vector<char*> argv = {const_cast<char*>(program.c_str()), const_cast<char*>(arg_t.c_str()),
                             const_cast<char*>(arg_oi.c_str()), nullptr};
  std::vector<char*> envp = {const_cast<char*>(path.c_str()), nullptr};
  const pid_t child = fork();
  if (child < 0) return Fail(fmt::format("fork: {}", std::strerror(errno)));
  if (child == 0) {
    dup2(in[0], STDIN_FILENO);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(in[0]);
  // A sendmail that exits early must not kill us with SIGPIPE.
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old);
  const bool written = WriteAll(in[1], message);
  close(in[1]);
  sigaction(SIGPIPE, &old, nullptr);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return Fail(fmt::format("{}: could not be run", program));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Fail(fmt::format("{}: exited with status {}", program,
                            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
  }
  if (!written) return Fail(fmt::format("{}: did not read the whole message", program));
  return {};
}

}  // namespace irk::report
