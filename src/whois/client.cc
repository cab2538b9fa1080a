#include "whois/client.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "core/address.h"

namespace irk::whois {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

struct AddrInfoFree {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};

std::string Name(const Endpoint& endpoint) {
  return fmt::format("{}:{}", endpoint.host, endpoint.port);
}

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

// Waits for `events` on `fd` until `deadline`; false on timeout.
bool Wait(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, MillisLeft(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

Result<std::unique_ptr<Fd>> Connect(const Endpoint& endpoint, const Limits& limits,
                                    Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  // An address is used as it is: no look-up of any kind.
  if (IpAddress::Parse(endpoint.host)) hints.ai_flags |= AI_NUMERICHOST;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (endpoint.host.empty()) return Fail(fmt::format("{}: no host", Name(endpoint)));
  const std::string host(endpoint.host.front() == '[' && endpoint.host.back() == ']'
                             ? endpoint.host.substr(1, endpoint.host.size() - 2)
                             : endpoint.host);
  if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Fail(fmt::format("{}: resolve: {}", Name(endpoint), gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, AddrInfoFree> addresses(found);
  std::string problem = "no address";
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    auto fd = std::make_unique<Fd>(
        socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
    if (fd->get() < 0) {
      problem = std::strerror(errno);
      continue;
    }
    const auto connect_deadline = std::min(deadline, Clock::now() + limits.connect_timeout);
    if (connect(fd->get(), a->ai_addr, a->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        problem = std::strerror(errno);
        continue;
      }
      if (!Wait(fd->get(), POLLOUT, connect_deadline)) {
        problem = "connect timed out";
        continue;
      }
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(fd->get(), SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) {
        problem = std::strerror(error);
        continue;
      }
    }
    return fd;
  }
  return Fail(fmt::format("{}: connect: {}", Name(endpoint), problem));
}

// True when `answer` holds rwhois's closing "%ok" or "%error" line.
bool RwhoisDone(std::string_view answer) {
  for (size_t start = 0; start < answer.size();) {
    const size_t end = answer.find('\n', start);
    if (end == std::string_view::npos) break;
    const std::string_view line = answer.substr(start, end - start);
    if (line.starts_with("%ok") || line.starts_with("%error")) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Result<ServerMap> ParseServerMap(std::string_view text) {
  ServerMap map;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view entry = text.substr(0, comma);
    text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
    if (entry.empty()) continue;
    const size_t equals = entry.find('=');
    const size_t colon = entry.rfind(':');
    if (equals == std::string_view::npos || equals == 0 || colon == std::string_view::npos ||
        colon < equals + 2) {
      return Fail(fmt::format("server map entry '{}': expected NAME=HOST:PORT", entry));
    }
    const std::string_view digits = entry.substr(colon + 1);
    int port = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port < 1 || port > 65535) {
      return Fail(fmt::format("server map entry '{}': bad port", entry));
    }
    std::string name;
    for (char c : entry.substr(0, equals)) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    map[name] = Endpoint{std::string(entry.substr(equals + 1, colon - equals - 1)),
                         static_cast<uint16_t>(port)};
  }
  return map;
}

Result<std::string> Query(const Endpoint& endpoint, std::string_view query, bool rwhois,
                          const Limits& limits) {
  const auto deadline = Clock::now() + limits.total_timeout;
  auto fd = Connect(endpoint, limits, deadline);
  if (!fd.ok()) return fd.error();
  const int s = (*fd)->get();
  const std::string line = std::string(query) + "\r\n";
  for (size_t sent = 0; sent < line.size();) {
    if (!Wait(s, POLLOUT, deadline)) {
      return Fail(fmt::format("{}: sending the query timed out", Name(endpoint)));
    }
    const ssize_t n = send(s, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return Fail(fmt::format("{}: send: {}", Name(endpoint), std::strerror(errno)));
    }
    if (n > 0) sent += static_cast<size_t>(n);
  }
  std::string answer;
  char buffer[16384];
  for (;;) {
    if (!Wait(s, POLLIN, deadline)) {
      return Fail(fmt::format("{}: no end of the answer within {} ms ({} bytes read)",
                              Name(endpoint), limits.total_timeout.count(), answer.size()));
    }
    const ssize_t n = recv(s, buffer, sizeof buffer, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return Fail(fmt::format("{}: answer cut off after {} bytes: {}", Name(endpoint),
                              answer.size(), std::strerror(errno)));
    }
    if (answer.size() + static_cast<size_t>(n) > limits.max_answer) {
      return Fail(
          fmt::format("{}: answer longer than {} bytes", Name(endpoint), limits.max_answer));
    }
    answer.append(buffer, static_cast<size_t>(n));
    if (rwhois && RwhoisDone(answer)) break;
  }
  return answer;
}

std::string QueryLine(std::string_view server, std::string_view text) {
  if (server == "whois.arin.net") return "n + " + std::string(text);
  if (server == "whois.ripe.net" || server == "whois.apnic.net" || server == "whois.afrinic.net") {
    return "-B " + std::string(text);
  }
  return std::string(text);
}

}  // namespace irk::whois
