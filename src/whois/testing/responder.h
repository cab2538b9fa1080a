// Local servers for the whois tests, each a child process on 127.0.0.1 that
// the test stops at its end: whois_responder.py (answers in every registry's
// format, and misbehaving servers) and python3's http.server for RDAP.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace irk::whois::testing {

// Runs `argv` with stdout on a pipe, keeps the first line it prints, and
// kills it when destroyed.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> argv) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      std::vector<char*> args;
      for (auto& arg : argv) args.push_back(arg.data());
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    close(out[1]);
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') first_line_ += c;
    close(out[0]);
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& first_line() const { return first_line_; }

 private:
  pid_t pid_ = -1;
  std::string first_line_;
};

class Responder {
 public:
  // Runs the script over `data_dir`; map() is empty when it did not start.
  explicit Responder(const std::string& data_dir)
      : process_({"python3", IRK_WHOIS_RESPONDER, data_dir}) {}

  // "whois.iana.org=127.0.0.1:PORT,...,slow=127.0.0.1:PORT,..."
  const std::string& map() const { return process_.first_line(); }

  // The HOST:PORT of `name` ("whois.ripe.net", "slow", "huge", ...).
  std::string Endpoint(const std::string& name) const {
    const std::string& map = process_.first_line();
    const size_t at = map.find(name + "=");
    if (at == std::string::npos) return "";
    const size_t begin = at + name.size() + 1;
    return map.substr(begin, map.find(',', begin) - begin);
  }

 private:
  ServerProcess process_;
};

// python3's http.server over `dir` at a port the kernel picks.
class HttpServer {
 public:
  explicit HttpServer(const std::string& dir)
      : process_({"python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir,
                  "0"}) {
    // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
    const std::string& line = process_.first_line();
    const size_t at = line.find("(http://");
    if (at != std::string::npos) url_ = line.substr(at + 1, line.find(')', at) - at - 1);
  }

  // "http://127.0.0.1:PORT/", or "" when it did not start.
  const std::string& url() const { return url_; }

 private:
  ServerProcess process_;
  std::string url_;
};

// The test data folder (IRK_TEST_DATA, set by CMake) with the sample answers.
inline std::string WhoisData() {
  const char* dir = std::getenv("IRK_TEST_DATA");
  return std::string(dir ? dir : "tests/data") + "/whois";
}

}  // namespace irk::whois::testing
