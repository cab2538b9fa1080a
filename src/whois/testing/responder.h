// Local servers for the whois tests, each a child process on 127.0.0.1 that
// the test stops at its end: whois_responder.py (answers in every registry's
// format, and misbehaving servers) and python3's http.server for RDAP.
#pragma once

#include <cstdlib>
#include <string>

#include "core/testing/server_process.h"

namespace irk::whois::testing {

using irk::testing::ServerProcess;

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
