#include "whois/rdap.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace irk::whois {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDepth = 8;
constexpr int kMaxEntities = 1000;

Result<Json> ParseBounded(std::string_view text, std::string_view what) {
  if (text.size() > kMaxRdapJson) {
    return Fail(fmt::format("{}: longer than {} bytes", what, kMaxRdapJson));
  }
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Fail(fmt::format("{}: not JSON", what));
  return value;
}

std::string String(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>().substr(0, kMaxValue);
}

bool HasRole(const Json& entity, std::string_view role) {
  const auto roles = entity.find("roles");
  if (roles == entity.end() || !roles->is_array()) return false;
  for (const auto& r : *roles) {
    if (r.is_string() && r.get<std::string>() == role) return true;
  }
  return false;
}

// The text of the first jCard property `name` (["email", {}, "text", "x"]);
// a tel: URI loses its scheme.
std::string VcardValue(const Json& entity, std::string_view name) {
  const auto card = entity.find("vcardArray");
  if (card == entity.end() || !card->is_array() || card->size() < 2 || !(*card)[1].is_array()) {
    return "";
  }
  for (const auto& property : (*card)[1]) {
    if (!property.is_array() || property.size() < 4 || !property[0].is_string() ||
        property[0].get<std::string>() != name || !property[3].is_string()) {
      continue;
    }
    std::string value = property[3].get<std::string>().substr(0, kMaxValue);
    if (value.starts_with("tel:")) value.erase(0, 4);
    return value;
  }
  return "";
}

// The entities below `object`, depth first, within the bounds.
void CollectEntities(const Json& object, int depth, std::vector<const Json*>& out) {
  if (depth > kMaxDepth || !object.is_object()) return;
  const auto entities = object.find("entities");
  if (entities == object.end() || !entities->is_array()) return;
  for (const auto& entity : *entities) {
    if (out.size() >= kMaxEntities || !entity.is_object()) return;
    out.push_back(&entity);
    CollectEntities(entity, depth + 1, out);
  }
}

void FindAbuse(const std::vector<const Json*>& entities, WhoisAnswer& answer) {
  for (const bool by_role : {true, false}) {
    for (const Json* entity : entities) {
      if (by_role != HasRole(*entity, "abuse")) continue;
      const std::string email = VcardValue(*entity, "email");
      if (email.empty() || email.find('@') == std::string::npos || IsRegistryMailbox(email)) {
        continue;
      }
      // The AFRINIC sample's entities carry no roles: take a mailbox that says abuse.
      if (!by_role && email.find("abuse") == std::string::npos) continue;
      answer.abuse = AbuseContact{email, VcardValue(*entity, "tel"),
                                  by_role ? "rdap abuse entity" : "rdap entity e-mail"};
      return;
    }
  }
}

}  // namespace

Result<std::vector<std::string>> BootstrapUrls(std::string_view json, const IpAddress& address) {
  auto value = ParseBounded(json, "rdap bootstrap");
  if (!value.ok()) return value.error();
  const auto services = value->find("services");
  if (!value->is_object() || services == value->end() || !services->is_array()) {
    return Fail("rdap bootstrap: no services");
  }
  int best = -1;
  std::vector<std::string> urls;
  for (const auto& service : *services) {
    if (!service.is_array() || service.size() < 2 || !service[0].is_array() ||
        !service[1].is_array()) {
      continue;
    }
    for (const auto& prefix : service[0]) {
      if (!prefix.is_string()) continue;
      const auto network = Network::Parse(prefix.get<std::string>());
      if (!network || network->base().is_v4() != address.is_v4() || !network->Contains(address) ||
          network->prefix() <= best) {
        continue;
      }
      best = network->prefix();
      urls.clear();
      for (const auto& url : service[1]) {
        if (!url.is_string()) continue;
        std::string text = url.get<std::string>();
        if (!text.starts_with("https://") && !text.starts_with("http://")) continue;
        if (!text.ends_with('/')) text += '/';
        urls.push_back(std::move(text));
      }
    }
  }
  std::stable_partition(urls.begin(), urls.end(),
                        [](const std::string& url) { return url.starts_with("https://"); });
  return urls;
}

std::string BootstrapPublication(std::string_view json) {
  auto value = ParseBounded(json, "rdap bootstrap");
  return value.ok() ? String(*value, "publication") : "";
}

Result<WhoisAnswer> ParseRdapNetwork(std::string_view json) {
  auto value = ParseBounded(json, "rdap answer");
  if (!value.ok()) return value.error();
  if (!value->is_object()) return Fail("rdap answer: not an object");
  if (String(*value, "objectClassName") != "ip network") {
    return Fail("rdap answer: not an ip network");
  }
  WhoisAnswer answer;
  answer.handle = String(*value, "handle");
  answer.name = String(*value, "name");
  answer.country = String(*value, "country");
  const std::string start = String(*value, "startAddress");
  const std::string end = String(*value, "endAddress");
  if (!start.empty() && !end.empty()) answer.range = start + " - " + end;
  if (const auto cidrs = value->find("cidr0_cidrs"); cidrs != value->end() && cidrs->is_array()) {
    for (const auto& cidr : *cidrs) {
      std::string prefix = String(cidr, "v4prefix");
      if (prefix.empty()) prefix = String(cidr, "v6prefix");
      const auto length = cidr.is_object() ? cidr.find("length") : cidr.end();
      if (prefix.empty() || length == cidr.end() || !length->is_number_unsigned()) continue;
      if (const auto network =
              Network::Parse(fmt::format("{}/{}", prefix, length->get<unsigned>()))) {
        if (answer.cidrs.size() < 64) answer.cidrs.push_back(network->ToString());
      }
    }
  }
  if (answer.cidrs.empty()) answer.cidrs = RangeToCidrs(start, end);
  if (const auto origins = value->find("arin_originas0_originautnums");
      origins != value->end() && origins->is_array() && !origins->empty() &&
      (*origins)[0].is_number_unsigned()) {
    answer.asn = fmt::format("AS{}", (*origins)[0].get<uint64_t>());
  }
  std::vector<const Json*> entities;
  CollectEntities(*value, 0, entities);
  for (const Json* entity : entities) {
    if (HasRole(*entity, "registrant")) {
      answer.org = VcardValue(*entity, "fn");
      if (!answer.org.empty()) break;
    }
  }
  FindAbuse(entities, answer);
  return answer;
}

}  // namespace irk::whois
