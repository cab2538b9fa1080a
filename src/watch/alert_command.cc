#include "watch/alert_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

namespace irk::watch {
namespace {

using Clock = std::chrono::steady_clock;

int MillisLeft(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

std::vector<std::string> SplitCommand(std::string_view command) {
  std::vector<std::string> words;
  size_t at = 0;
  while (at < command.size()) {
    const size_t start = command.find_first_not_of(" \t", at);
    if (start == std::string_view::npos) break;
    const size_t end = std::min(command.find_first_of(" \t", start), command.size());
    words.emplace_back(command.substr(start, end - start));
    at = end;
  }
  return words;
}

Status RunAlertCommand(const std::vector<std::string>& argv, std::string_view input,
                       int timeout_ms) {
  if (argv.empty()) return Fail("--exec: no command");
  const std::string name = argv[0];
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Fail(fmt::format("--exec {}: pipe: {}", name, std::strerror(errno)));
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t child = fork();
  if (child < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return Fail(fmt::format("--exec {}: fork: {}", name, std::strerror(errno)));
  }
  if (child == 0) {
    const int null = open("/dev/null", O_WRONLY);
    if (null < 0 || dup2(pipe_fds[0], 0) < 0 || dup2(null, 1) < 0) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);  // irk blocks its stop signals; the child must not
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[0]);
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  // Written without blocking, so a program that never reads cannot hold irk.
  fcntl(pipe_fds[1], F_SETFL, O_NONBLOCK);
  size_t written = 0;
  while (written < input.size() && MillisLeft(deadline) > 0) {
    const ssize_t n = write(pipe_fds[1], input.data() + written, input.size() - written);
    if (n > 0) {
      written += static_cast<size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      pollfd out{pipe_fds[1], POLLOUT, 0};
      poll(&out, 1, std::min(MillisLeft(deadline), 100));
    } else if (n < 0 && errno != EINTR) {
      break;  // it closed its input: its business
    }
  }
  close(pipe_fds[1]);
  int status = 0;
  while (true) {
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (MillisLeft(deadline) == 0) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return Fail(fmt::format("--exec {}: killed after {} ms", name, timeout_ms));
    }
    usleep(2000);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Ok();
  if (WIFEXITED(status)) {
    return Fail(fmt::format("--exec {}: exited with {}", name, WEXITSTATUS(status)));
  }
  return Fail(fmt::format("--exec {}: ended by signal {}", name, WTERMSIG(status)));
}

}  // namespace irk::watch
