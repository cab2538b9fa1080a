#include "logs/event.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>
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

// Writes a record into room reserved for the longest one the event can
// give (MaxRecord), so no field checks for room.
//
// The text fields are mostly parts of the raw line: when the line has no
// byte to escape, neither has any part of it, and those are copied as they
// are.
class RecordWriter {
 public:
  RecordWriter(char* at, std::string_view raw)
      : at_(at), plain_(IsPlainJsonText(raw) ? raw : std::string_view()) {}
  char* end() const { return at_; }

  void Put(std::string_view text) {
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }
  void PutStamp(Timestamp time) { at_ = WriteRfc3339(at_, time); }
  // `member` is the whole of `,"name":`, so each key costs one copy.
  void PutString(std::string_view member, std::string_view value) {
    if (value.empty()) return;
    if (IsPlainPart(value)) {
      PutPlainString(member, value);
      return;
    }
    Put(member);
    at_ = WriteJsonString(at_, value);
  }
  // A value that never needs escaping, such as an address's text.
  void PutPlainString(std::string_view member, std::string_view value) {
    assert(IsPlainJsonText(value));
    Put(member);
    *at_++ = '"';
    Put(value);
    *at_++ = '"';
  }
  void PutNumber(std::string_view member, uint64_t value) {
    Put(member);
    at_ = WriteDecimal(at_, value);
  }
  void PutNumber(std::string_view member, int64_t value) {
    Put(member);
    if (value < 0) *at_++ = '-';
    at_ = WriteDecimal(at_, value < 0 ? 0 - static_cast<uint64_t>(value) : value);
  }

 private:
  // Whether `text` lies within the plain raw line.
  bool IsPlainPart(std::string_view text) const {
    const auto begin = reinterpret_cast<uintptr_t>(plain_.data());
    const auto at = reinterpret_cast<uintptr_t>(text.data());
    return at >= begin && at + text.size() <= begin + plain_.size();
  }

  char* at_;
  std::string_view plain_;
};

// The longest record `event` can give, its file written as `file_member`
// (see WriteRecord): the keys, numbers and irk's own words in a generous
// constant, and each text field escaped at its worst.
size_t MaxRecord(const Event& e, const std::string* file_member) {
  constexpr size_t kFixed = 512;
  const size_t fields = e.host.size() + e.service.size() + e.user.size() + e.method.size() +
                        e.key.size() + e.client.size() + e.command.size() + e.reason.size() +
                        e.raw.size() + (e.addr ? e.addr->view().size() : 0);
  // The ten text fields, each escaped at its worst (MaxJsonString), and the file.
  const size_t text = MaxJsonString(fields) + 9 * MaxJsonString(0) +
                      (file_member ? file_member->size() : MaxJsonString(e.file.size()));
  return kFixed + kMaxRfc3339 + text;
}

// The record, from {"time":"…" to "raw":"…"}. `file_member` is the file's
// member as FileMember writes it, kept for a stream of one file's events;
// without it the file is escaped here.
char* WriteRecord(char* at, const Event& event, const std::string* file_member) {
  RecordWriter out(at, event.raw);
  out.Put("{\"time\":\"");
  out.PutStamp(event.time);
  out.Put("\"");
  if (file_member) {
    out.Put(*file_member);
  } else {
    out.PutString(",\"file\":", event.file);
  }
  if (event.line > 0) out.PutNumber(",\"line\":", event.line);
  out.PutString(",\"host\":", event.host);
  out.PutString(",\"service\":", event.service);
  if (event.pid) out.PutNumber(",\"pid\":", *event.pid);
  // The kind and outcome are irk's own words, which need no escaping.
  out.Put(",\"kind\":\"");
  out.Put(EventKindName(event.kind));
  out.Put("\"");
  if (event.outcome != Outcome::kNone) {
    out.Put(",\"outcome\":\"");
    out.Put(OutcomeName(event.outcome));
    out.Put("\"");
  }
  out.PutString(",\"user\":", event.user);
  if (event.user_valid)
    out.Put(*event.user_valid ? ",\"user_valid\":true" : ",\"user_valid\":false");
  // An IP address or a host name of letters, digits, '.', '-' and '_' (a
  // zone as well): EventAddress makes sure there is nothing to escape.
  if (event.addr) out.PutPlainString(",\"addr\":", event.addr->view());
  if (event.port) out.PutNumber(",\"port\":", uint64_t{*event.port});
  out.PutString(",\"method\":", event.method);
  out.PutString(",\"key\":", event.key);
  out.PutString(",\"client\":", event.client);
  out.PutString(",\"command\":", event.command);
  out.PutString(",\"reason\":", event.reason);
  out.PutString(",\"raw\":", event.raw);
  out.Put("}");
  return out.end();
}

// The member ,"file":"…" for `file`.
std::string FileMember(std::string_view file) {
  if (file.empty()) return {};
  std::string member = ",\"file\":";
  AppendJsonString(member, file);
  return member;
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
  const size_t start = out.size();
  out.resize(start + MaxRecord(event, nullptr));
  out.resize(static_cast<size_t>(WriteRecord(out.data() + start, event, nullptr) - out.data()));
}

size_t EventJsonWriter::Room(const Event& event) {
  if (event.file != file_) {
    file_ = event.file;
    file_member_ = FileMember(event.file);
  }
  return MaxRecord(event, &file_member_);
}

char* EventJsonWriter::Write(char* at, const Event& event) const {
  assert(event.file == file_);
  return WriteRecord(at, event, &file_member_);
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
