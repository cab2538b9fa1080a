// The event: what every parser makes of one log line or login record, in
// the one shape that `irk events --json` prints and every later step
// (logins, watch, timeline, entry, report) consumes.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace irk::logs {

enum class EventKind {
  kAuth,        // an authentication attempt; outcome success or failure
  kRefused,     // refused by policy (AllowUsers, DenyUsers, root login, tcp_wrappers, ftpusers)
  kSession,     // a session opened (success) or closed (none)
  kConnection,  // a connection opened or closed; failure when it ended before authentication
  kPrivilege,   // su, sudo: with outcome and the command
  kAccount,     // a user or group added, removed or changed; a password changed
  kService,     // a daemon started or stopped
};

enum class Outcome { kNone, kSuccess, kFailure };

// "auth", "refused", …; "success", "failure", "" for kNone.
std::string_view EventKindName(EventKind kind);
std::string_view OutcomeName(Outcome outcome);
std::optional<EventKind> ParseEventKind(std::string_view name);

// A remote address as normalized text: an IP address in IpAddress's normal
// form (IPv4-mapped IPv6 shown as IPv4), or, where the log names only a host,
// that name as written (at most 253 bytes). Held inline without allocation
// for every IP address and most names, so events stay small and cheap to
// copy; a longer name is kept on the heap, shared between copies.
class EventAddress {
 public:
  // Normalizes `text`: an IP address in its normal form, else a host name of
  // letters, digits, '.', '-' and '_' (a trailing '.' dropped). Returns
  // nullopt for anything else (empty, too long, spaces, brackets around
  // junk), so a parser can insist that a field really is an address.
  static std::optional<EventAddress> Parse(std::string_view text);
  // Only IP addresses; host names are refused.
  static std::optional<EventAddress> ParseIp(std::string_view text);

  std::string_view view() const {
    return long_ ? std::string_view(*long_) : std::string_view(text_.data(), size_);
  }
  bool is_ip() const { return is_ip_; }

  friend bool operator==(const EventAddress& a, const EventAddress& b) {
    return a.view() == b.view();
  }

 private:
  // Room for IpAddress::Write, which also bounds the text of any IP address.
  static constexpr size_t kInline = 64;
  std::array<char, kInline> text_{};
  uint8_t size_ = 0;
  bool is_ip_ = false;
  std::shared_ptr<const std::string> long_;  // a name longer than kInline
};

// One event. The string_view fields point into the line being parsed (or
// into the reader's buffers) and are valid only until the reader moves to
// the next line: copy what must outlive it. An empty view means the line does
// not give that field (it is left out of the JSON); so does nullopt.
struct Event {
  Timestamp time;
  std::string_view time_text;  // the stamp as the line wrote it
  std::string_view zone;       // the zone assumed for a stamp without one: "UTC", "+02:00"
  std::string_view file;       // the source file, or "journal"
  uint64_t line = 0;           // 1-based line number in `file`; 0 for none (journal)

  std::string_view host;
  std::string_view service;  // "sshd", "vsftpd", "sudo", …
  std::optional<int64_t> pid;
  EventKind kind = EventKind::kAuth;
  Outcome outcome = Outcome::kNone;

  std::string_view user;           // the user the event is about (target of su/sudo: see command)
  std::optional<bool> user_valid;  // false for sshd's "invalid user"
  std::optional<EventAddress> addr;
  std::optional<uint16_t> port;
  std::string_view method;   // "password", "publickey", "keyboard-interactive/pam", …
  std::string_view key;      // "ED25519 SHA256:…", for key logins
  std::string_view client;   // the client's software version, from sshd's debug log
  std::string_view command;  // sudo's COMMAND=, su's target user
  std::string_view reason;   // why it was refused or failed, in the log's words

  std::string_view raw;  // the whole line as read
  bool via_pam = false;  // a PAM module's message, not the service's own (not in the JSON)
};

// What a service parser made of one message (the text after "prog[pid]: ").
// A parser fills the fields the message gives: kind, outcome, user,
// user_valid, addr, port, method, key, command, reason. The reader fills the
// rest (time, file, line, host, service, pid, raw) from the line's header.
struct Parsed {
  enum class What {
    kEvent,         // a security event: `event` holds it
    kNotAnEvent,    // a message this parser knows that records no security event
    kUnrecognized,  // a message this parser does not know: a coverage gap (`--stats`)
  };
  What what = What::kUnrecognized;
  Event event;

  static Parsed Of(const Event& event) { return Parsed{What::kEvent, event}; }
  static Parsed NotAnEvent() { return Parsed{What::kNotAnEvent, {}}; }
  static Parsed Unrecognized() { return Parsed{What::kUnrecognized, {}}; }
};

// Appends `event` as one JSON object (no newline) with the fields of
// DESIGN.md: time, file, line, host, service, pid, kind, outcome, user,
// user_valid, addr, port, method, key, command, reason, raw; absent fields
// are left out. Hot path: writes straight into `out`.
void AppendEventJson(std::string& out, const Event& event);

// AppendEventJson for a stream of events, as `irk events --json` writes
// them: the file's name, the same for thousands of events, is escaped once,
// and each record is written in place, into the caller's output buffer.
class EventJsonWriter {
 public:
  // The most bytes the record of `event` can take. Call it for each event
  // before Write: it takes note of the event's file.
  size_t Room(const Event& event);
  // Writes the record of the event Room was last called for at `at`, which
  // has that room; returns the end of what it wrote.
  char* Write(char* at, const Event& event) const;

 private:
  std::string file_;         // the file of the last event
  std::string file_member_;  // its member: ,"file":"…"
};

// Appends what `event` says for a person, without its time, every field from
// the examined system escaped for the terminal:
// "sshd[4242]  auth failure  admin (invalid)  from 203.0.113.7 port 51234  password".
void AppendEventSummary(std::string& out, const Event& event);

}  // namespace irk::logs
