#include "logs/event.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "core/address.h"
#include "core/json.h"
#include "core/text.h"

namespace irk::logs {
namespace {

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

// `member` is the whole of `,"name":`, so each key costs one append.
void AppendString(std::string& out, std::string_view member, std::string_view value) {
  if (value.empty()) return;
  out += member;
  AppendJsonString(out, value);
}

void AppendNumber(std::string& out, std::string_view member, int64_t value) {
  out += member;
  std::array<char, 24> digits{};
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), end);
}

// The record's fields before the file: {"time":"…"
void AppendJsonHead(std::string& out, const Event& event) {
  out += "{\"time\":\"";
  AppendRfc3339(out, event.time);
  out += '"';
}

// The record's fields after the file: ,"line":…,"raw":"…"}
void AppendJsonTail(std::string& out, const Event& event) {
  if (event.line > 0) AppendNumber(out, ",\"line\":", static_cast<int64_t>(event.line));
  AppendString(out, ",\"host\":", event.host);
  AppendString(out, ",\"service\":", event.service);
  if (event.pid) AppendNumber(out, ",\"pid\":", *event.pid);
  // The kind and outcome are irk's own words, which need no escaping.
  out += ",\"kind\":\"";
  out += EventKindName(event.kind);
  out += '"';
  if (event.outcome != Outcome::kNone) {
    out += ",\"outcome\":\"";
    out += OutcomeName(event.outcome);
    out += '"';
  }
  AppendString(out, ",\"user\":", event.user);
  if (event.user_valid) out += *event.user_valid ? ",\"user_valid\":true" : ",\"user_valid\":false";
  if (event.addr) AppendString(out, ",\"addr\":", event.addr->view());
  if (event.port) AppendNumber(out, ",\"port\":", *event.port);
  AppendString(out, ",\"method\":", event.method);
  AppendString(out, ",\"key\":", event.key);
  AppendString(out, ",\"client\":", event.client);
  AppendString(out, ",\"command\":", event.command);
  AppendString(out, ",\"reason\":", event.reason);
  AppendString(out, ",\"raw\":", event.raw);
  out += '}';
}

}  // namespace

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kAuth:
      return "auth";
    case EventKind::kRefused:
      return "refused";
    case EventKind::kSession:
      return "session";
    case EventKind::kConnection:
      return "connection";
    case EventKind::kPrivilege:
      return "privilege";
    case EventKind::kAccount:
      return "account";
    case EventKind::kService:
      return "service";
  }
  return "";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNone:
      return "";
    case Outcome::kSuccess:
      return "success";
    case Outcome::kFailure:
      return "failure";
  }
  return "";
}

std::optional<EventKind> ParseEventKind(std::string_view name) {
  for (EventKind kind :
       {EventKind::kAuth, EventKind::kRefused, EventKind::kSession, EventKind::kConnection,
        EventKind::kPrivilege, EventKind::kAccount, EventKind::kService}) {
    if (EventKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::optional<EventAddress> EventAddress::ParseIp(std::string_view text) {
  EventAddress address;
  // Most addresses in logs: kept as written, without a round trip.
  if (IpAddress::IsDottedQuad(text)) {
    std::copy(text.begin(), text.end(), address.text_.begin());
    address.size_ = static_cast<uint8_t>(text.size());
    address.is_ip_ = true;
    return address;
  }
  auto ip = IpAddress::Parse(text);
  if (!ip) return std::nullopt;
  static_assert(kInline >= IpAddress::kMaxText);
  address.size_ = static_cast<uint8_t>(ip->Write(address.text_.data()));
  address.is_ip_ = true;
  return address;
}

std::optional<EventAddress> EventAddress::Parse(std::string_view text) {
  if (auto ip = ParseIp(text)) return ip;
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  // Labels of 1 to 63 characters, none starting with '-': what reads back
  // unchanged, so an address's text is the same however often it is parsed.
  if (text.empty() || text.size() > 253 || !std::all_of(text.begin(), text.end(), IsHostNameChar)) {
    return std::nullopt;
  }
  size_t start = 0;
  while (start <= text.size()) {
    const size_t dot = std::min(text.find('.', start), text.size());
    const size_t length = dot - start;
    if (length == 0 || length > 63 || text[start] == '-') return std::nullopt;
    start = dot + 1;
  }
  EventAddress address;
  if (text.size() > kInline) {
    address.long_ = std::make_shared<const std::string>(text);
  } else {
    std::copy(text.begin(), text.end(), address.text_.begin());
    address.size_ = static_cast<uint8_t>(text.size());
  }
  return address;
}

void AppendEventJson(std::string& out, const Event& event) {
  AppendJsonHead(out, event);
  AppendString(out, ",\"file\":", event.file);
  AppendJsonTail(out, event);
}

void EventJsonWriter::Append(std::string& out, const Event& event) {
  AppendJsonHead(out, event);
  if (event.file != file_) {
    file_ = event.file;
    file_json_.clear();
    AppendString(file_json_, ",\"file\":", event.file);
  }
  out += file_json_;
  AppendJsonTail(out, event);
}

void AppendEventSummary(std::string& out, const Event& e) {
  out += EscapeForTerminal(e.service);
  if (e.pid) {
    out += '[';
    out += std::to_string(*e.pid);
    out += ']';
  }
  out += "  ";
  out += EventKindName(e.kind);
  if (e.outcome != Outcome::kNone) {
    out += ' ';
    out += OutcomeName(e.outcome);
  }
  if (!e.user.empty()) {
    out += "  ";
    out += EscapeForTerminal(e.user);
    if (e.user_valid == false) out += " (invalid)";
  }
  if (e.addr) {
    out += "  from ";
    out += EscapeForTerminal(e.addr->view());
    if (e.port) {
      out += " port ";
      out += std::to_string(*e.port);
    }
  }
  for (std::string_view detail : {e.method, e.command, e.reason}) {
    if (detail.empty()) continue;
    out += "  ";
    out += EscapeForTerminal(detail);
  }
}

}  // namespace irk::logs
