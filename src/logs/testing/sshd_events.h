// Test helpers for the sshd parser's tests: the event of a message, and its
// address and port as plain values for EXPECT_EQ.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "logs/sshd.h"

namespace irk::logs::testing {

// The event of `message`, failing the test when there is none.
inline Event EventOf(std::string_view message) {
  const Parsed parsed = ParseSshd(message);
  EXPECT_EQ(parsed.what, Parsed::What::kEvent) << message;
  return parsed.event;
}

inline std::string Addr(const Event& event) {
  return event.addr ? std::string(event.addr->view()) : std::string();
}

inline int Port(const Event& event) { return event.port ? *event.port : 0; }

}  // namespace irk::logs::testing
