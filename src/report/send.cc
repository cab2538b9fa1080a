#include "report/send.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "core/text.h"
#include "report/contacts.h"

namespace irk::report {
namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;
constexpr size_t kMaxPasswordBytes = 4096;

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

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// smtp:// or smtps://, a host, no user or password, nothing but printable
// ASCII without blanks.
Status CheckSmtpUrl(const std::string& url) {
  const bool printable =
      std::all_of(url.begin(), url.end(), [](char c) { return c > ' ' && c < 0x7f; });
  const size_t scheme = url.find("://");
  const std::string_view name =
      scheme == std::string::npos ? "" : std::string_view(url).substr(0, scheme);
  const std::string_view rest =
      scheme == std::string::npos ? "" : std::string_view(url).substr(scheme + 3);
  const std::string_view authority = rest.substr(0, rest.find('/'));
  if (url.find('@') != std::string::npos) {  // not echoed: it may hold a password
    return Fail(
        "no user or password in the URL (set smtp_user and smtp_password_file or "
        "IRK_SMTP_PASSWORD)");
  }
  if (!printable || (name != "smtp" && name != "smtps") || authority.empty() ||
      authority.front() == ':') {
    return Fail(fmt::format("'{}': not an SMTP server (smtp://HOST:PORT or smtps://HOST:PORT)",
                            EscapeForTerminal(url)));
  }
  return Ok();
}

// The first line of a file only its owner (root or us) can read or write.
Result<std::string> ReadPasswordFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return Fail(fmt::format("read {}: {}", path, std::strerror(errno)));
  struct stat st {};
  Status status = Ok();
  std::string text;
  if (fstat(fd, &st) != 0) {
    status = Fail(fmt::format("read {}: {}", path, std::strerror(errno)));
  } else if (!S_ISREG(st.st_mode)) {
    status = Fail(fmt::format("read {}: not a regular file", path));
  } else if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    status =
        Fail(fmt::format("{}: refusing a password file others can read or write (fix: "
                         "chmod 600)",
                         path));
  } else if (st.st_uid != 0 && st.st_uid != geteuid()) {
    status = Fail(fmt::format("{}: refusing a password file owned by uid {}, neither root nor you",
                              path, st.st_uid));
  } else {
    text.resize(kMaxPasswordBytes);
    ssize_t n;
    while ((n = read(fd, text.data(), text.size())) < 0 && errno == EINTR) {
    }
    if (n < 0) status = Fail(fmt::format("read {}: {}", path, std::strerror(errno)));
    text.resize(n < 0 ? 0 : static_cast<size_t>(n));
  }
  close(fd);
  if (!status.ok()) return status.error();
  text = text.substr(0, text.find_first_of("\r\n"));
  if (text.empty()) return Fail(fmt::format("{}: no password on its first line", path));
  return text;
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
    if (SameName(name, "cc")) current = &envelope.cc;
    if (SameName(name, "subject")) current = &envelope.subject;
    if (SameName(name, "message-id")) current = &envelope.message_id;
    if (current != nullptr) *current = value;
  }
  return envelope;
}

Result<std::vector<std::string>> Recipients(const Envelope& envelope) {
  std::vector<std::string> addresses;
  for (std::string_view field : {std::string_view(envelope.to), std::string_view(envelope.cc)}) {
    while (!field.empty()) {
      const size_t comma = field.find(',');
      const std::string_view address = TrimBlanks(field.substr(0, comma));
      field = comma == std::string_view::npos ? std::string_view() : field.substr(comma + 1);
      if (address.empty()) continue;
      if (!IsPlainMailbox(address)) {
        return Fail(fmt::format("'{}': not one plain address (user@example.org)",
                                EscapeForTerminal(address)));
      }
      if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
        addresses.emplace_back(address);
      }
    }
  }
  if (addresses.empty()) return Fail("no recipient in To: or Cc:");
  return addresses;
}

Result<SmtpServer> SmtpFromConfig(const Config& config, const std::string& url,
                                  const char* password) {
  SmtpServer server;
  auto configured = config.String("report.smtp", "");
  if (!configured.ok()) return configured.error();
  server.url = url.empty() ? *configured : url;
  if (server.url.empty()) return server;
  if (auto check = CheckSmtpUrl(server.url); !check.ok()) {
    return url.empty() ? config.KeyError("report.smtp", check.error().message)
                       : check.error().Wrap("--smtp");
  }
  auto user = config.String("report.smtp_user", "");
  if (!user.ok()) return user.error();
  server.user = std::move(user).value();
  auto timeout = config.Integer("report.smtp_timeout", 60, 1, 600);
  if (!timeout.ok()) return timeout.error();
  server.total_timeout = std::chrono::seconds(*timeout);
  server.connect_timeout =
      std::min<std::chrono::milliseconds>(std::chrono::seconds(10), server.total_timeout);
  auto file = config.String("report.smtp_password_file", "");
  if (!file.ok()) return file.error();
  if (password != nullptr) {
    server.password = password;
  } else if (!file->empty()) {
    auto read = ReadPasswordFile(*file);
    if (!read.ok()) return read.error().Wrap("report.smtp_password_file");
    server.password = std::move(read).value();
  }
  if (!server.user.empty() && server.password.empty()) {
    return config.KeyError("report.smtp_user",
                           "a user needs a password: IRK_SMTP_PASSWORD or smtp_password_file");
  }
  return server;
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
