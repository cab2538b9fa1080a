#include "watch/knowledge.h"

#include <algorithm>

#include <fmt/format.h>

namespace irk::watch {
namespace {

// The networks of a block or unblock target: "203.0.113.7 198.51.100.0/24".
std::vector<Network> TargetNetworks(std::string_view target) {
  std::vector<Network> networks;
  while (!target.empty()) {
    const size_t space = target.find(' ');
    if (auto network = Network::Parse(target.substr(0, space))) networks.push_back(*network);
    if (space == std::string_view::npos) break;
    target.remove_prefix(space + 1);
  }
  return networks;
}

template <typename T>
void AddOnce(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

Result<WatchSettings> LoadWatchSettings(const Config& config) {
  WatchSettings settings;
  auto failures = config.Integer("watch.burst_failures", settings.burst_failures, 1, 100000);
  if (!failures.ok()) return failures.error();
  auto seconds = config.Integer("watch.burst_seconds", settings.burst_seconds, 1, 86400);
  if (!seconds.ok()) return seconds.error();
  auto v4 = config.Integer("watch.ipv4_prefix", settings.ipv4_prefix, 8, 32);
  if (!v4.ok()) return v4.error();
  auto v6 = config.Integer("watch.ipv6_prefix", settings.ipv6_prefix, 16, 128);
  if (!v6.ok()) return v6.error();
  settings.burst_failures = static_cast<int>(*failures);
  settings.burst_seconds = static_cast<int>(*seconds);
  settings.ipv4_prefix = static_cast<int>(*v4);
  settings.ipv6_prefix = static_cast<int>(*v6);
  return settings;
}

const Network* Knowledge::Blocked(const IpAddress& address) const {
  for (const Network& network : blocked) {
    if (network.Contains(address)) return &network;
  }
  return nullptr;
}

const Network* Knowledge::Near(const IpAddress& address) const {
  for (const Network& network : networks) {
    if (network.Contains(address)) return &network;
  }
  return nullptr;
}

Knowledge KnowledgeFromActions(const std::vector<contain::Action>& actions,
                               const WatchSettings& settings) {
  Knowledge knowledge;
  for (const contain::Action& action : actions) {
    if (action.undone) continue;
    if (action.action == "block") {
      for (const Network& network : TargetNetworks(action.target)) {
        AddOnce(knowledge.blocked, network);
      }
    } else if (action.action == "unblock") {
      for (const Network& network : TargetNetworks(action.target)) {
        std::erase(knowledge.blocked, network);
      }
    } else if (action.action == "lock") {
      knowledge.locked_users.insert(action.target);
    }
  }
  for (const Network& network : knowledge.blocked) {
    const int prefix = network.base().is_v4() ? settings.ipv4_prefix : settings.ipv6_prefix;
    AddOnce(knowledge.networks,
            network.prefix() < prefix ? network : Network::Around(network.base(), prefix));
  }
  return knowledge;
}

std::string_view KeyFingerprint(std::string_view key) {
  const size_t space = key.rfind(' ');
  return space == std::string_view::npos ? key : key.substr(space + 1);
}

namespace {

// "host\npid" of the process that logged `event`, or "" without a pid.
std::string ProcessKey(const logs::Event& event) {
  if (!event.pid) return "";
  return fmt::format("{}\n{}", event.host, *event.pid);
}

}  // namespace

void ClientVersions::Note(const logs::Event& event) {
  if (event.client.empty()) return;
  std::string key = ProcessKey(event);
  if (key.empty()) return;
  auto [it, added] = by_process_.insert_or_assign(key, std::string(event.client));
  if (!added) return;
  order_.push_back(std::move(key));
  if (order_.size() > kMax) {
    by_process_.erase(order_.front());
    order_.pop_front();
  }
}

std::string_view ClientVersions::Of(const logs::Event& event) const {
  const auto it = by_process_.find(ProcessKey(event));
  return it == by_process_.end() ? std::string_view() : std::string_view(it->second);
}

void Learn(Knowledge& knowledge, const logs::Event& event, const ClientVersions& clients) {
  if (event.kind != logs::EventKind::kAuth || event.outcome != logs::Outcome::kSuccess) return;
  bool attack = knowledge.locked_users.contains(event.user);
  if (!attack && event.addr && event.addr->is_ip()) {
    if (auto ip = IpAddress::Parse(event.addr->view())) attack = knowledge.Blocked(*ip) != nullptr;
  }
  if (!attack) return;
  if (!event.key.empty()) knowledge.keys.insert(std::string(KeyFingerprint(event.key)));
  if (!event.user.empty()) knowledge.users.insert(std::string(event.user));
  if (const auto client = clients.Of(event); !client.empty()) {
    knowledge.clients.insert(std::string(client));
  }
}

}  // namespace irk::watch
