#include "contain/firewall.h"

#include <algorithm>
#include <functional>
#include <initializer_list>

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

// Calls `each` with every element of the sets named `sets` in the output of
// `nft -j list …`; other sets, and shapes not understood, are passed over.
void ForEachElement(std::string_view json, std::initializer_list<std::string_view> sets,
                    const std::function<void(const nlohmann::json&)>& each) {
  const auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("nftables") ||
      !doc["nftables"].is_array()) {
    return;
  }
  for (const auto& item : doc["nftables"]) {
    if (!item.is_object() || !item.contains("set")) continue;
    const auto& set = item["set"];
    if (!set.is_object() || !set.contains("name") || !set["name"].is_string() ||
        !set.contains("elem") || !set["elem"].is_array()) {
      continue;
    }
    const auto name = set["name"].get<std::string>();
    if (std::find(sets.begin(), sets.end(), name) == sets.end()) continue;
    for (const auto& elem : set["elem"]) each(elem);
  }
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
  set dropped4 { type ipv4_addr; flags dynamic, timeout; timeout 7d; size 65536; counter; }
  set dropped6 { type ipv6_addr; flags dynamic, timeout; timeout 7d; size 65536; counter; }
  chain prerouting {
    type filter hook prerouting priority -300; policy accept;
    ip saddr @block4 update @dropped4 { ip saddr }
    ip6 saddr @block6 update @dropped6 { ip6 saddr }
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
  ForEachElement(json, {"block4", "block6"}, [&blocked](const nlohmann::json& elem) {
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
  });
  return blocked;
}

std::vector<DroppedSource> ParseDroppedSources(std::string_view json) {
  std::vector<DroppedSource> dropped;
  ForEachElement(json, {"dropped4", "dropped6"}, [&dropped](const nlohmann::json& elem) {
    if (!elem.is_object() || !elem.contains("elem") || !elem["elem"].is_object()) return;
    const auto& inner = elem["elem"];
    if (!inner.contains("val") || !inner["val"].is_string() || !inner.contains("counter")) return;
    const auto& counter = inner["counter"];
    if (!counter.is_object() || !counter.contains("packets") ||
        !counter["packets"].is_number_unsigned() || !counter.contains("bytes") ||
        !counter["bytes"].is_number_unsigned()) {
      return;
    }
    dropped.push_back({inner["val"].get<std::string>(), counter["packets"].get<uint64_t>(),
                       counter["bytes"].get<uint64_t>()});
  });
  std::sort(dropped.begin(), dropped.end(),
            [](const DroppedSource& a, const DroppedSource& b) { return a.address < b.address; });
  return dropped;
}

}  // namespace irk::contain
