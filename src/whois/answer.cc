#include "whois/answer.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "core/address.h"
#include "core/text.h"

namespace irk::whois {
namespace {

__extension__ using U128 = unsigned __int128;

// Abuse sources from best to worst; a lower rank replaces a higher one, and
// an equal rank later in the answer (a more specific block) replaces too.
enum Rank {
  kAbuseComment = 0,
  kRAbuse,
  kOrgAbuse,
  kIrtMailbox,
  kMailbox,
  kHandleEmail,
  kRemarks,
  kNone,
};

constexpr std::array<std::string_view, kNone> kRankSource = {
    "abuse-c comment", "RAbuseEmail",    "OrgAbuseEmail", "irt abuse-mailbox",
    "abuse-mailbox",   "abuse-c e-mail", "remarks",
};

struct Field {
  std::string_view key;
  std::string_view value;
};
using Object = std::vector<Field>;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IContains(std::string_view text, std::string_view word) {
  if (word.size() > text.size()) return false;
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (IEquals(text.substr(i, word.size()), word)) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Value(std::string_view s) { return std::string(Trim(s).substr(0, kMaxValue)); }

bool IsEmailChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}

// The first well-formed mailbox in `text` (local@domain.tld of plain ASCII),
// or "".
std::string FindEmail(std::string_view text) {
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && IsEmailChar(text[begin - 1])) --begin;
    size_t end = at + 1;
    while (end < text.size() && IsEmailChar(text[end])) ++end;
    std::string_view local = text.substr(begin, at - begin);
    std::string_view domain = text.substr(at + 1, end - at - 1);
    while (!domain.empty() && (domain.back() == '.' || domain.back() == '-')) {
      domain.remove_suffix(1);
    }
    if (local.empty() || local.size() > 64 || domain.size() < 3 || domain.size() > 190) continue;
    const size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size()) continue;
    std::string email(local);
    email += '@';
    for (char c : domain) email += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return email;
  }
  return "";
}

// APNIC fills generated abuse roles with this phone number.
bool IsPlaceholderPhone(std::string_view phone) {
  return phone.empty() || phone.find_first_not_of("+0 ") == std::string_view::npos;
}

// "whois://host:port", "rwhois://host:port/", or a bare "host".
std::optional<Referral> ParseReferral(std::string_view value) {
  Referral referral{"", 43, "whois"};
  if (const size_t scheme = value.find("://"); scheme != std::string_view::npos) {
    const std::string_view name = value.substr(0, scheme);
    if (IEquals(name, "rwhois")) {
      referral.protocol = "rwhois";
      referral.port = 4321;
    } else if (!IEquals(name, "whois")) {
      return std::nullopt;
    }
    value.remove_prefix(scheme + 3);
  }
  if (const size_t slash = value.find('/'); slash != std::string_view::npos) {
    value = value.substr(0, slash);
  }
  if (const size_t colon = value.rfind(':'); colon != std::string_view::npos) {
    int port = 0;
    const std::string_view digits = value.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port < 1 || port > 65535) {
      return std::nullopt;
    }
    referral.port = static_cast<uint16_t>(port);
    value = value.substr(0, colon);
  }
  if (value.empty() || value.size() > 253) return std::nullopt;
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return std::nullopt;
  }
  referral.host.reserve(value.size());
  for (char c : value) {
    referral.host += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return referral;
}

// APNIC's stub for space moved to another registry: "descr: Transferred to
// the ARIN region" (mnt-by APNIC-STUB) names the registry that holds it now.
std::optional<Referral> TransferReferral(std::string_view descr) {
  constexpr std::string_view kLead = "transferred to the ";
  if (descr.size() <= kLead.size() || !IEquals(descr.substr(0, kLead.size()), kLead)) {
    return std::nullopt;
  }
  const std::string_view rest = descr.substr(kLead.size());
  const std::string_view registry = rest.substr(0, rest.find(' '));
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kServers = {{
      {"ARIN", "whois.arin.net"},
      {"RIPE", "whois.ripe.net"},
      {"LACNIC", "whois.lacnic.net"},
      {"AFRINIC", "whois.afrinic.net"},
      {"APNIC", "whois.apnic.net"},
  }};
  for (const auto& [name, server] : kServers) {
    if (IEquals(registry, name)) return Referral{std::string(server), 43, "whois"};
  }
  return std::nullopt;
}

// LACNIC abbreviates "192.0.2.0/24" as "192.0.2/24".
std::string ExpandShortV4(std::string_view cidr) {
  const size_t slash = cidr.find('/');
  std::string_view address = cidr.substr(0, slash);
  if (address.find(':') != std::string_view::npos) return std::string(cidr);
  std::string text(address);
  for (auto dots = std::count(address.begin(), address.end(), '.'); dots < 3; ++dots) {
    text += ".0";
  }
  if (slash != std::string_view::npos) text += cidr.substr(slash);
  return text;
}

std::optional<std::string> NormalCidr(std::string_view text) {
  const std::string expanded = ExpandShortV4(Trim(text));
  if (expanded.find('/') == std::string::npos) return std::nullopt;
  const auto network = Network::Parse(expanded);
  if (!network) return std::nullopt;
  return network->ToString();
}

std::vector<std::string> CidrList(std::string_view value) {
  std::vector<std::string> cidrs;
  while (!value.empty() && cidrs.size() < 64) {
    const size_t comma = value.find(',');
    if (auto cidr = NormalCidr(value.substr(0, comma))) cidrs.push_back(*cidr);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return cidrs;
}

U128 ToNumber(const IpAddress& address) {
  U128 n = 0;
  const auto& bytes = address.bytes();
  for (size_t i = address.is_v4() ? 12 : 0; i < 16; ++i) n = (n << 8) | bytes[i];
  return n;
}

IpAddress FromNumber(U128 n, bool v4) {
  std::array<uint8_t, 16> bytes{};
  for (int i = 15; i >= (v4 ? 12 : 0); --i) {
    bytes[i] = static_cast<uint8_t>(n & 0xff);
    n >>= 8;
  }
  if (!v4) return IpAddress::FromBytes(bytes);
  return IpAddress::FromV4Bytes({bytes[12], bytes[13], bytes[14], bytes[15]});
}

class Parser {
 public:
  void Comment(std::string_view line) {
    // RIPE, APNIC, AFRINIC: "% Abuse contact for '<range>' is '<email>'".
    constexpr std::string_view kLead = "abuse contact for";
    const std::string_view body = Trim(line.substr(1));
    if (body.size() < kLead.size() || !IEquals(body.substr(0, kLead.size()), kLead)) return;
    const size_t is = body.rfind(" is ");
    if (is == std::string_view::npos) return;
    Offer(kAbuseComment, FindEmail(body.substr(is)), "");
  }

  void Add(Object object) {
    if (object.empty()) return;
    const std::string_view kind = object.front().key;
    bool irt = IEquals(kind, "irt");
    std::string phone;
    std::string mailbox;
    for (const Field& f : object) {
      const std::string_view key = f.key;
      if (IEquals(key, "phone")) phone = Value(f.value);
      if (IEquals(key, "abuse-mailbox") && mailbox.empty()) mailbox = FindEmail(f.value);
    }
    for (const Field& f : object) Take(f, irt, object);
    if (!mailbox.empty()) Offer(irt ? kIrtMailbox : kMailbox, mailbox, phone);
    objects_.push_back(std::move(object));
  }

  WhoisAnswer Finish() {
    if (!abuse_c_.empty() && best_ > kHandleEmail) {
      if (auto contact = FromHandle(abuse_c_)) {
        Offer(kHandleEmail, contact->email, contact->phone);
      }
      if (best_ > kHandleEmail) answer_.abuse_handle = abuse_c_;
    }
    if (answer_.org.empty()) answer_.org = descr_;
    return std::move(answer_);
  }

  std::optional<AbuseContact> FromHandle(std::string_view handle) const {
    for (const Object& object : objects_) {
      bool match = false;
      AbuseContact contact;
      for (const Field& f : object) {
        if (IEquals(f.key, "nic-hdl") && IEquals(Trim(f.value), handle)) match = true;
        if (IEquals(f.key, "e-mail") && contact.email.empty()) contact.email = FindEmail(f.value);
        if (IEquals(f.key, "phone") && contact.phone.empty()) contact.phone = Value(f.value);
      }
      if (match && !contact.email.empty() && !IsRegistryMailbox(contact.email)) {
        contact.source = kRankSource[kHandleEmail];
        return contact;
      }
    }
    return std::nullopt;
  }

 private:
  void Take(const Field& f, bool irt, const Object& object) {
    const std::string_view key = f.key;
    const std::string_view value = Trim(f.value);
    if (IEquals(key, "refer") || IEquals(key, "ReferralServer")) {
      if (auto referral = ParseReferral(value)) answer_.referral = std::move(referral);
    } else if (IEquals(key, "inetnum") || IEquals(key, "inet6num") || IEquals(key, "NetRange")) {
      StartBlock(value);
    } else if (IEquals(key, "CIDR") || IEquals(key, "IP-Network")) {
      // rwhois gives the network's CIDR among its other fields, in any order.
      if (answer_.range.empty()) answer_.range = Value(value);
      if (auto cidrs = CidrList(value); !cidrs.empty()) answer_.cidrs = std::move(cidrs);
    } else if (IEquals(key, "netname") || IEquals(key, "NetName") || IEquals(key, "Network-Name")) {
      answer_.name = Value(value);
    } else if (IEquals(key, "NetHandle") || IEquals(key, "ownerid")) {
      answer_.handle = Value(value);
    } else if (IEquals(key, "org-name") || IEquals(key, "OrgName") || IEquals(key, "CustName") ||
               IEquals(key, "owner") || IEquals(key, "Org-Name")) {
      if (answer_.org.empty()) answer_.org = Value(value);
    } else if (IEquals(key, "descr")) {
      if (descr_.empty()) descr_ = Value(value);
      if (!answer_.referral) answer_.referral = TransferReferral(value);
    } else if (IEquals(key, "country") || IEquals(key, "Country-Code")) {
      if (answer_.country.empty()) answer_.country = Value(value);
    } else if (IEquals(key, "origin") || IEquals(key, "OriginAS") || IEquals(key, "aut-num")) {
      const std::string_view as = value.substr(0, value.find_first_of(", "));
      if (answer_.asn.empty() && as.size() > 2 && IEquals(as.substr(0, 2), "AS")) {
        answer_.asn = Value(as);
      }
    } else if (IEquals(key, "RAbuseEmail") || IEquals(key, "OrgAbuseEmail")) {
      const bool reassigned = IEquals(key, "RAbuseEmail");
      std::string phone;
      for (const Field& other : object) {
        if (IEquals(other.key, reassigned ? "RAbusePhone" : "OrgAbusePhone")) {
          phone = Value(other.value);
        }
      }
      Offer(reassigned ? kRAbuse : kOrgAbuse, FindEmail(value), phone);
    } else if (IEquals(key, "abuse-c") && !irt) {
      if (abuse_c_.empty()) abuse_c_ = Value(value);
    } else if (IEquals(key, "remarks") || IContains(key, "abuse")) {
      // AFRINIC "remarks: please send abuse reports to …"; rwhois Abuse-Email.
      if (IContains(value, "abuse") || IContains(key, "abuse")) {
        Offer(kRemarks, FindEmail(value), "");
      }
    }
  }

  // A new netblock: what came before described a wider one.
  void StartBlock(std::string_view value) {
    answer_.range = Value(value);
    answer_.cidrs.clear();
    answer_.name.clear();
    answer_.handle.clear();
    answer_.org.clear();
    answer_.country.clear();
    answer_.asn.clear();
    descr_.clear();
    if (const size_t dash = value.find(" - "); dash != std::string_view::npos) {
      answer_.cidrs = RangeToCidrs(Trim(value.substr(0, dash)), Trim(value.substr(dash + 3)));
    } else if (auto cidr = NormalCidr(value)) {
      answer_.cidrs = {*cidr};
    }
  }

  void Offer(Rank rank, std::string email, std::string phone) {
    if (email.empty() || rank > best_ || IsRegistryMailbox(email)) return;
    best_ = rank;
    answer_.abuse.email = std::move(email);
    answer_.abuse.phone = IsPlaceholderPhone(phone) ? "" : std::move(phone);
    answer_.abuse.source = kRankSource[rank];
  }

  WhoisAnswer answer_;
  Rank best_ = kNone;
  std::string abuse_c_;
  std::string descr_;
  std::vector<Object> objects_;
};

// Feeds `text` to `parser` object by object. A line is "key: value" (an
// rwhois line is "class:key:value"), a comment begins with % or #, a blank
// line ends an object; lines longer than kMaxLine are skipped.
void Feed(std::string_view text, Parser& parser) {
  Object object;
  while (!text.empty()) {
    const std::string_view line = Trim(TakeLine(text));
    if (line.size() > kMaxLine) continue;
    if (line.empty()) {
      parser.Add(std::move(object));
      object.clear();
      continue;
    }
    if (line.front() == '%' || line.front() == '#') {
      parser.Comment(line);
      continue;
    }
    std::string_view rest = line;
    if (rest.size() > 8 && IEquals(rest.substr(0, 8), "network:")) rest.remove_prefix(8);
    const size_t colon = rest.find(':');
    if (colon == 0 || colon == std::string_view::npos) continue;
    const std::string_view key = rest.substr(0, colon);
    if (key.find_first_of(" \t") != std::string_view::npos) continue;
    object.push_back(Field{key, rest.substr(colon + 1)});
  }
  parser.Add(std::move(object));
}

}  // namespace

WhoisAnswer ParseWhoisAnswer(std::string_view text) {
  Parser parser;
  Feed(text, parser);
  return parser.Finish();
}

std::optional<AbuseContact> ContactForHandle(std::string_view text, std::string_view handle) {
  Parser parser;
  Feed(text, parser);
  return parser.FromHandle(Trim(handle));
}

bool IsRegistryMailbox(std::string_view email) {
  static constexpr std::array<std::string_view, 12> kRegistryDomains = {
      "arin.net", "ripe.net",  "apnic.net", "lacnic.net",  "lacnic.net.uy", "afrinic.net",
      "iana.org", "icann.org", "nic.ad.jp", "krnic.or.kr", "twnic.net.tw",  "cnnic.cn",
  };
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return false;
  if (IEquals(email.substr(0, at), "search-apnic-not-arin")) return true;
  const std::string_view domain = email.substr(at + 1);
  for (std::string_view registry : kRegistryDomains) {
    if (IEquals(domain, registry)) return true;
    if (domain.size() > registry.size() &&
        IEquals(domain.substr(domain.size() - registry.size()), registry) &&
        domain[domain.size() - registry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

std::vector<std::string> RangeToCidrs(std::string_view first, std::string_view last) {
  const auto low = IpAddress::Parse(first);
  const auto high = IpAddress::Parse(last);
  if (!low || !high || low->is_v4() != high->is_v4()) return {};
  const bool v4 = low->is_v4();
  const int bits = v4 ? 32 : 128;
  U128 begin = ToNumber(*low);
  const U128 end = ToNumber(*high);
  std::vector<std::string> cidrs;
  while (begin <= end && cidrs.size() < 64) {
    // The largest block aligned at `begin` that ends at or before `end`.
    int size_bits = 0;
    while (size_bits < bits && ((begin >> size_bits) & 1) == 0) ++size_bits;
    while (size_bits > 0) {
      const U128 span = size_bits == 128 ? ~U128{0} : (U128{1} << size_bits) - 1;
      if (begin + span >= begin && begin + span <= end) break;
      --size_bits;
    }
    cidrs.push_back(FromNumber(begin, v4).ToString() + "/" + std::to_string(bits - size_bits));
    if (size_bits == bits) break;
    const U128 next = begin + (U128{1} << size_bits);
    if (next <= begin || (v4 && next > 0xffffffffu)) break;
    begin = next;
  }
  return cidrs;
}

}  // namespace irk::whois
