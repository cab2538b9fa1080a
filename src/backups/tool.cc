#include "backups/tool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "core/root.h"

extern char** environ;

namespace irk::backups {

constexpr size_t kMaxStderr = 64 << 10;

std::optional<std::string> FindProgram(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const size_t end = dirs.find(':');
    const std::string_view dir = dirs.substr(0, end);
    dirs.remove_prefix(end == std::string_view::npos ? dirs.size() : end + 1);
    if (dir.empty() || dir.front() != '/') continue;
    const std::string candidate = fmt::format("{}/{}", dir, name);
    struct stat st {};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

Result<ToolRun> RunTool(const std::vector<std::string>& argv,
                        const std::function<bool(std::string_view)>& sink) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return Fail(fmt::format("pipe: {}", std::strerror(errno)));
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return Fail(fmt::format("pipe: {}", std::strerror(errno)));
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    const int in = open("/dev/null", O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) _exit(127);
    execve(args[0], args.data(), environ);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  Fd out_fd(out[0]), err_fd(err[0]);
  if (child < 0) return Fail(fmt::format("fork: {}", std::strerror(errno)));
  ToolRun run;
  std::string block(1 << 16, '\0');
  bool stopped = false;
  pollfd fds[2] = {{out_fd.get(), POLLIN, 0}, {err_fd.get(), POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (auto& p : fds) {
      if (p.fd < 0 || p.revents == 0) continue;
      const ssize_t got = read(p.fd, block.data(), block.size());
      if (got <= 0) {
        p.fd = -1;
        --open_fds;
        continue;
      }
      const std::string_view bytes(block.data(), static_cast<size_t>(got));
      if (p.fd == err_fd.get()) {
        if (run.err.size() < kMaxStderr)
          run.err.append(bytes.substr(0, kMaxStderr - run.err.size()));
      } else if (!stopped && !sink(bytes)) {
        stopped = true;
        kill(child, SIGKILL);
      }
    }
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

Result<std::string> ToolOutput(const std::vector<std::string>& argv, size_t max_bytes) {
  std::string output;
  bool too_long = false;
  auto run = RunTool(argv, [&](std::string_view bytes) {
    if (output.size() + bytes.size() > max_bytes) {
      too_long = true;
      return false;
    }
    output.append(bytes);
    return true;
  });
  if (!run.ok()) return run.error();
  if (too_long) return Fail(fmt::format("{}: output larger than {} bytes", argv[0], max_bytes));
  if (run->exit_code != 0) {
    const std::string_view first = std::string_view(run->err).substr(0, run->err.find('\n'));
    return Fail(fmt::format("{} exited with {}: {}", argv[0], run->exit_code, first));
  }
  return output;
}

}  // namespace irk::backups
