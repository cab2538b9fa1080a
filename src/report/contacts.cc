#include "report/contacts.h"

#include <algorithm>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace irk::report {
namespace {

constexpr size_t kMaxLineBytes = 64 * 1024;
constexpr size_t kMaxCidrs = 256;
constexpr size_t kMaxLines = 100000;
constexpr size_t kMaxFieldBytes = 1024;

// Reads `key` of `object` into `out` when it is a string; absent or null
// leaves `out` empty; anything else is an error.
Status TakeString(const nlohmann::json& object, const char* key, std::string& out) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) return Fail(fmt::format("{}: not a string", key));
  out = it->get<std::string>();
  if (out.size() > kMaxFieldBytes)
    return Fail(fmt::format("{}: longer than {} bytes", key, kMaxFieldBytes));
  return {};
}

// The member `key` as an object, nullptr when absent or null.
Result<const nlohmann::json*> TakeObject(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return static_cast<const nlohmann::json*>(nullptr);
  if (!it->is_object()) return Fail(fmt::format("{}: not an object", key));
  return &*it;
}

Result<SourceContact> FromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Fail("not a JSON object");
  SourceContact contact;
  if (auto s = TakeString(json, "query", contact.query); !s.ok()) return s.error();
  if (contact.query.empty()) return Fail("query: missing");
  for (const auto& [key, field] :
       {std::pair{"org", &contact.org}, std::pair{"country", &contact.country}}) {
    if (auto s = TakeString(json, key, *field); !s.ok()) return s.error();
  }
  // The AS number may come as text ("AS64500") or as a number.
  if (const auto asn = json.find("asn"); asn != json.end() && asn->is_number_unsigned()) {
    contact.asn = fmt::format("AS{}", asn->get<uint64_t>());
  } else if (auto s = TakeString(json, "asn", contact.asn); !s.ok()) {
    return s.error();
  }
  auto netblock = TakeObject(json, "netblock");
  if (!netblock.ok()) return netblock.error();
  if (*netblock != nullptr) {
    if (auto s = TakeString(**netblock, "name", contact.netname); !s.ok()) {
      return s.error().Wrap("netblock");
    }
    if (const auto cidrs = (*netblock)->find("cidrs");
        cidrs != (*netblock)->end() && !cidrs->is_null()) {
      if (!cidrs->is_array()) return Fail("netblock: cidrs: not an array");
      if (cidrs->size() > kMaxCidrs) return Fail("netblock: cidrs: more than 256");
      for (const auto& cidr : *cidrs) {
        const auto network =
            cidr.is_string() ? Network::Parse(cidr.get<std::string>()) : std::nullopt;
        if (!network) return Fail("netblock: cidrs: not a network");
        contact.cidrs.push_back(network->ToString());
      }
    }
  }
  auto abuse = TakeObject(json, "abuse");
  if (!abuse.ok()) return abuse.error();
  if (*abuse != nullptr) {
    for (const auto& [key, field] :
         {std::pair{"email", &contact.abuse_email}, std::pair{"phone", &contact.abuse_phone},
          std::pair{"source", &contact.abuse_source}}) {
      if (auto s = TakeString(**abuse, key, *field); !s.ok()) return s.error().Wrap("abuse");
    }
    if (!contact.abuse_email.empty() && !IsPlainMailbox(contact.abuse_email)) {
      return Fail("abuse: email: not one plain address");
    }
  }
  return contact;
}

}  // namespace

Result<SourceContact> ParseSourceContact(std::string_view json) {
  if (json.size() > kMaxLineBytes) return Fail("longer than 64 KiB");
  const auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Fail("not valid JSON");
  return FromJson(parsed);
}

// The address goes into a To: header, so nothing that could end or extend
// the header, name a second recipient or a group.
bool IsPlainMailbox(std::string_view email) {
  const size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  for (const char c : email) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return false;
    if (std::string_view("\"<>(),;:[]\\").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::string MailDomain(std::string_view email) {
  const size_t at = email.find('@');
  return at == std::string_view::npos ? std::string() : std::string(email.substr(at + 1));
}

Result<std::vector<SourceContact>> ParseContacts(std::string_view text, std::string_view source) {
  std::vector<SourceContact> contacts;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (++line_number > kMaxLines)
      return Fail(fmt::format("{}: more than {} lines", source, kMaxLines));
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto contact = ParseSourceContact(line);
    if (!contact.ok()) return contact.error().Wrap(fmt::format("{}:{}", source, line_number));
    contacts.push_back(std::move(contact).value());
  }
  return contacts;
}

const SourceContact* FindContact(const std::vector<SourceContact>& contacts,
                                 const IpAddress& address) {
  const SourceContact* best = nullptr;
  int best_prefix = -1;
  for (const auto& contact : contacts) {
    int prefix = -1;
    const auto consider = [&](std::string_view text) {
      const auto network = Network::Parse(text);
      if (network && network->Contains(address)) prefix = std::max(prefix, network->prefix());
    };
    consider(contact.query);
    for (const auto& cidr : contact.cidrs) consider(cidr);
    if (prefix > best_prefix) {
      best = &contact;
      best_prefix = prefix;
    }
  }
  return best;
}

}  // namespace irk::report
