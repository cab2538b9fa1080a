#include "backups/tool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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

namespace {

// irk's environment with `extra` added, a variable of the same name replaced.
std::vector<std::string> Environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('=') + 1);
    const bool replaced = std::any_of(extra.begin(), extra.end(), [&](const std::string& e) {
      return !name.empty() && e.starts_with(name);
    });
    if (!replaced) env.emplace_back(text);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> Pointers(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

std::string_view LastLine(std::string_view err) {
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.remove_suffix(1);
  const size_t start = err.rfind('\n');
  const std::string_view line = start == std::string_view::npos ? err : err.substr(start + 1);
  return line.substr(0, 300);
}

Result<ToolRun> RunTool(const std::vector<std::string>& argv,
                        const std::function<bool(std::string_view)>& sink,
                        const std::vector<std::string>& env) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return Fail(fmt::format("pipe: {}", std::strerror(errno)));
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return Fail(fmt::format("pipe: {}", std::strerror(errno)));
  }
  std::vector<char*> args = Pointers(argv);
  const std::vector<std::string> environment = Environment(env);
  std::vector<char*> envp = Pointers(environment);
  const pid_t child = fork();
  if (child == 0) {
    const int in = open("/dev/null", O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) _exit(127);
    setsid();
    execve(args[0], args.data(), envp.data());
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

Result<std::string> ToolOutput(const std::vector<std::string>& argv, size_t max_bytes,
                               const std::vector<std::string>& env) {
  std::string output;
  bool too_long = false;
  auto run = RunTool(
      argv,
      [&](std::string_view bytes) {
        if (output.size() + bytes.size() > max_bytes) {
          too_long = true;
          return false;
        }
        output.append(bytes);
        return true;
      },
      env);
  if (!run.ok()) return run.error();
  if (too_long) return Fail(fmt::format("{}: output larger than {} bytes", argv[0], max_bytes));
  if (run->exit_code != 0) {
    return Fail(fmt::format("{} exited with {}: {}", argv[0], run->exit_code, LastLine(run->err)));
  }
  return output;
}

}  // namespace irk::backups
