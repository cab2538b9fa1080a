#include "contain/firewall.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace irk::contain {
namespace {

std::string JsonElementText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("prefix")) {
    const auto& prefix = value["prefix"];
    if (prefix.contains("addr") && prefix["addr"].is_string() && prefix.contains("len") &&
        prefix["len"].is_number_integer()) {
      return fmt::format("{}/{}", prefix["addr"].get<std::string>(), prefix["len"].get<int>());
    }
  }
  if (value.is_object() && value.contains("range")) {
    const auto& range = value["range"];
    if (range.is_array() && range.size() == 2 && range[0].is_string() && range[1].is_string()) {
      return range[0].get<std::string>() + "-" + range[1].get<std::string>();
    }
  }
  return "";
}

}  // namespace

std::string NetworkText(const Network& network) {
  const int full = network.base().is_v4() ? 32 : 128;
  return network.prefix() == full ? network.base().ToString() : network.ToString();
}

std::string BlockSet(const Network& network) {
  return network.base().is_v4() ? "block4" : "block6";
}

std::string TableDefinition() {
  return R"(table inet irk {
  set block4 { type ipv4_addr; flags interval, timeout; }
  set block6 { type ipv6_addr; flags interval, timeout; }
  chain prerouting {
    type filter hook prerouting priority -300; policy accept;
    ip saddr @block4 drop
    ip6 saddr @block6 drop
  }
  chain output {
    type filter hook output priority -300; policy accept;
    ip daddr @block4 drop
    ip6 daddr @block6 drop
  }
}
)";
}

std::vector<BlockedNetwork> ParseBlockedNetworks(std::string_view json) {
  std::vector<BlockedNetwork> blocked;
  const auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("nftables") ||
      !doc["nftables"].is_array()) {
    return blocked;
  }
  for (const auto& item : doc["nftables"]) {
    if (!item.is_object() || !item.contains("set")) continue;
    const auto& set = item["set"];
    if (!set.is_object() || !set.contains("elem") || !set["elem"].is_array()) continue;
    for (const auto& elem : set["elem"]) {
      BlockedNetwork entry;
      if (elem.is_object() && elem.contains("elem") && elem["elem"].is_object()) {
        const auto& inner = elem["elem"];
        entry.network = inner.contains("val") ? JsonElementText(inner["val"]) : "";
        if (inner.contains("expires") && inner["expires"].is_number_integer()) {
          entry.expires_in = inner["expires"].get<int64_t>();
        }
        if (inner.contains("comment") && inner["comment"].is_string()) {
          entry.comment = inner["comment"].get<std::string>();
        }
      } else {
        entry.network = JsonElementText(elem);
      }
      if (!entry.network.empty()) blocked.push_back(std::move(entry));
    }
  }
  return blocked;
}

}  // namespace irk::contain
