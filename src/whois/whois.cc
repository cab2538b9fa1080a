#include "whois/whois.h"

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/build.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/time.h"
#include "whois/rdap.h"

namespace irk::whois {
namespace {

constexpr int kMaxHops = 6;
constexpr size_t kMaxCachedJson = 64 * 1024;
constexpr std::string_view kFirstServer = "whois.iana.org";

// No registry knows these: asking would only leak our own address plan.
bool IsPrivate(const IpAddress& address) {
  const auto& b = address.bytes();
  if (address.is_v4()) {
    return b[12] == 10 || b[12] == 127 || (b[12] == 172 && (b[13] & 0xf0) == 16) ||
           (b[12] == 192 && b[13] == 168) || (b[12] == 169 && b[13] == 254) || b[12] == 0 ||
           b[12] >= 224;
  }
  bool loopback = b[15] == 1;
  for (int i = 0; i < 15; ++i) loopback = loopback && b[i] == 0;
  return loopback || (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
         b[0] == 0xff;
}

Status EnsureTable(CaseStore& store) {
  return store.database().Exec(
      "CREATE TABLE IF NOT EXISTS whois_cache ("
      " query TEXT NOT NULL, time TEXT NOT NULL, result TEXT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS whois_cache_query ON whois_cache(query, time);");
}

// Writes one raw answer to CASE/whois/ under a new name and journals it.
Status KeepAnswer(CaseStore& store, const Hop& hop, std::string_view query,
                  std::string_view answer) {
  const std::filesystem::path dir = store.dir() / "whois";
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Fail(fmt::format("create {}: {}", dir.string(), std::strerror(errno)));
  }
  const Timestamp now = Now();
  std::string stamp = FormatRfc3339(now, /*with_micros=*/true);
  std::erase_if(stamp, [](char c) { return c == ':' || c == '-'; });
  std::string server;
  for (char c : hop.server)
    server += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ? c : '_';
  std::filesystem::path file;
  int fd = -1;
  for (int n = 0; fd < 0 && n < 100; ++n) {
    file = dir / fmt::format("{}-{}-{}{}.txt", stamp, hop.protocol, server,
                             n == 0 ? "" : "-" + std::to_string(n));
    fd = open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return Fail(fmt::format("create {}: {}", file.string(), std::strerror(errno)));
  size_t written = 0;
  while (written < answer.size()) {
    const ssize_t n = write(fd, answer.data() + written, answer.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool synced = fsync(fd) == 0;
  close(fd);
  if (written != answer.size() || !synced) {
    return Fail(fmt::format("write {}: {}", file.string(), std::strerror(errno)));
  }
  JsonObject details;
  details.Add("server", hop.server)
      .Add("protocol", hop.protocol)
      .Add("query", query)
      .Add("file", file.string())
      .Add("bytes", answer.size())
      .Add("sha256", Sha256Hex(answer));
  auto record = store.Append("whois", details.str());
  if (!record.ok()) return record.error();
  return Ok();
}

// Takes what `answer` knows into `result`: a later answer comes from a
// server nearer the address, so its netblock and contact are more specific.
// With `keep_netblock` (RDAP gave one already) the answer only fills gaps.
void Merge(const WhoisAnswer& answer, const std::string& server, bool keep_netblock,
           WhoisResult& result) {
  if (!keep_netblock && (!answer.range.empty() || !answer.cidrs.empty())) {
    result.netblock = Netblock{answer.range, answer.cidrs, answer.name, answer.handle};
    if (!answer.org.empty()) result.org = answer.org;
    if (!answer.country.empty()) result.country = answer.country;
    if (!answer.asn.empty()) result.asn = answer.asn;
  } else {
    if (result.org.empty()) result.org = answer.org;
    if (result.country.empty()) result.country = answer.country;
    if (result.asn.empty()) result.asn = answer.asn;
  }
  if (!answer.abuse.email.empty()) {
    result.abuse = answer.abuse;
    result.abuse.source = server + " " + answer.abuse.source;
  }
}

class Walk {
 public:
  Walk(CaseStore& store, const LookupOptions& options, WhoisResult& result)
      : store_(store), options_(options), result_(result) {}

  // Asks `server`, keeps and journals the answer; nullopt (with a note) when
  // it did not answer.
  std::optional<std::string> Ask(const std::string& server, uint16_t port, bool rwhois,
                                 const std::string& line) {
    Endpoint endpoint{server, port};
    if (auto mapped = options_.servers.find(server); mapped != options_.servers.end()) {
      endpoint = mapped->second;
    }
    const Hop hop{port == 43 ? server : fmt::format("{}:{}", server, port),
                  rwhois ? "rwhois" : "whois"};
    auto answer = Query(endpoint, line, rwhois, options_.limits);
    if (!answer.ok()) {
      result_.notes.push_back(fmt::format("{}: {}", hop.server, answer.error().message));
      return std::nullopt;
    }
    result_.chain.push_back(hop);
    if (auto kept = KeepAnswer(store_, hop, line, *answer); !kept.ok()) {
      result_.notes.push_back(kept.error().message);
    }
    return std::move(answer).value();
  }

  // Asks the RDAP server the bootstrap names; true when it answered with a
  // network.
  bool Rdap(const IpAddress& address, const Bootstrap& bootstrap) {
    auto urls = BootstrapUrls(bootstrap.text, address);
    if (!urls.ok()) {
      result_.notes.push_back(fmt::format("{} {}", bootstrap.source, urls.error().message));
      return false;
    }
    if (urls->empty()) return false;
    result_.bootstrap = bootstrap.source;
    result_.bootstrap_publication = BootstrapPublication(bootstrap.text);
    const std::string url = urls->front() + "ip/" + address.ToString();
    auto body = HttpGet(url, options_.limits, kMaxRdapJson);
    if (!body.ok()) {
      result_.notes.push_back("rdap: " + body.error().message);
      return false;
    }
    std::string host = url.substr(url.find("://") + 3);
    host = host.substr(0, host.find('/'));
    const Hop hop{host, "rdap"};
    result_.chain.push_back(hop);
    if (auto kept = KeepAnswer(store_, hop, url, *body); !kept.ok()) {
      result_.notes.push_back(kept.error().message);
    }
    auto answer = ParseRdapNetwork(*body);
    if (!answer.ok()) {
      result_.notes.push_back(fmt::format("rdap {}: {}", host, answer.error().message));
      return false;
    }
    Merge(*answer, host, false, result_);
    keep_netblock_ = !answer->range.empty() || !answer->cidrs.empty();
    return keep_netblock_;
  }

  void Run(const std::string& address) {
    Referral next{std::string(kFirstServer), 43, "whois"};
    std::set<std::pair<std::string, uint16_t>> asked;
    for (int hop = 0; hop < kMaxHops; ++hop) {
      if (!asked.insert({next.host, next.port}).second) {
        result_.notes.push_back(fmt::format("{}: referral loop, not asked again", next.host));
        return;
      }
      const bool rwhois = next.protocol == "rwhois";
      const auto text =
          Ask(next.host, next.port, rwhois, rwhois ? address : QueryLine(next.host, address));
      if (!text) return;
      const WhoisAnswer answer = ParseWhoisAnswer(*text);
      Merge(answer, next.host, keep_netblock_, result_);
      if (!answer.abuse_handle.empty() && answer.abuse.email.empty()) {
        ResolveHandle(next, answer.abuse_handle);
      }
      if (!answer.referral) return;
      next = *answer.referral;
    }
    result_.notes.push_back(fmt::format("stopped after {} referrals", kMaxHops));
  }

 private:
  // LACNIC names its abuse-c by handle; the handle's own object has the mailbox.
  void ResolveHandle(const Referral& server, const std::string& handle) {
    const auto text = Ask(server.host, server.port, server.protocol == "rwhois", handle);
    if (!text) return;
    if (auto contact = ContactForHandle(*text, handle)) {
      result_.abuse = *contact;
      result_.abuse.source = server.host + " " + contact->source;
    }
  }

  CaseStore& store_;
  const LookupOptions& options_;
  WhoisResult& result_;
  bool keep_netblock_ = false;  // RDAP gave the netblock; whois only fills gaps
};

// The whole of a small file, or "" when it is missing or too big.
std::string ReadSmallFile(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > kMaxRdapJson) return "";
  std::ifstream in(file, std::ios::binary);
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  return in ? text : "";
}

std::string Text(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<Bootstrap> ChooseBootstrap(const CaseStore& store, const LookupOptions& options,
                                  const IpAddress& address) {
  if (!options.rdap_bootstrap.empty()) {
    std::string text = ReadSmallFile(options.rdap_bootstrap);
    if (text.empty()) {
      return Fail(fmt::format("{}: missing, empty or longer than {} bytes",
                              options.rdap_bootstrap.string(), kMaxRdapJson));
    }
    return Bootstrap{std::move(text), options.rdap_bootstrap.string()};
  }
  const char* name = address.is_v4() ? "ipv4.json" : "ipv6.json";
  if (std::string text = ReadSmallFile(store.dir() / "rdap" / name); !text.empty()) {
    return Bootstrap{std::move(text), "case"};
  }
  return Bootstrap{std::string(BundledBootstrap(!address.is_v4())), "bundled"};
}

std::string ToJson(const WhoisResult& result) {
  auto add = [](JsonObject& object, std::string_view key, const std::string& value) {
    if (!value.empty()) object.Add(key, value);
  };
  JsonArray cidrs;
  for (const auto& cidr : result.netblock.cidrs) cidrs.Add(cidr);
  JsonObject netblock;
  add(netblock, "range", result.netblock.range);
  netblock.Add("cidrs", cidrs);
  add(netblock, "name", result.netblock.name);
  add(netblock, "handle", result.netblock.handle);
  JsonObject abuse;
  add(abuse, "email", result.abuse.email);
  add(abuse, "phone", result.abuse.phone);
  add(abuse, "source", result.abuse.source);
  JsonArray chain;
  for (const Hop& hop : result.chain) {
    chain.Add(JsonObject().Add("server", hop.server).Add("protocol", hop.protocol));
  }
  JsonObject object;
  object.Add("query", result.query).Add("netblock", netblock);
  add(object, "org", result.org);
  add(object, "country", result.country);
  add(object, "asn", result.asn);
  object.Add("abuse", abuse).Add("chain", chain);
  add(object, "time", result.time);
  if (!result.bootstrap.empty()) {
    JsonObject bootstrap;
    bootstrap.Add("source", result.bootstrap);
    add(bootstrap, "publication", result.bootstrap_publication);
    object.Add("rdap_bootstrap", bootstrap);
  }
  return object.str();
}

Result<WhoisResult> FromJson(std::string_view json) {
  if (json.size() > kMaxCachedJson) return Fail("whois result: too long");
  const auto value = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return Fail("whois result: not a JSON object");
  WhoisResult result;
  result.query = Text(value, "query");
  result.org = Text(value, "org");
  result.country = Text(value, "country");
  result.asn = Text(value, "asn");
  result.time = Text(value, "time");
  if (const auto netblock = value.find("netblock"); netblock != value.end()) {
    result.netblock.range = Text(*netblock, "range");
    result.netblock.name = Text(*netblock, "name");
    result.netblock.handle = Text(*netblock, "handle");
    if (const auto cidrs = netblock->find("cidrs"); cidrs != netblock->end() && cidrs->is_array()) {
      for (const auto& cidr : *cidrs) {
        if (cidr.is_string()) result.netblock.cidrs.push_back(cidr.get<std::string>());
      }
    }
  }
  if (const auto abuse = value.find("abuse"); abuse != value.end()) {
    result.abuse =
        AbuseContact{Text(*abuse, "email"), Text(*abuse, "phone"), Text(*abuse, "source")};
  }
  if (const auto bootstrap = value.find("rdap_bootstrap"); bootstrap != value.end()) {
    result.bootstrap = Text(*bootstrap, "source");
    result.bootstrap_publication = Text(*bootstrap, "publication");
  }
  if (const auto chain = value.find("chain"); chain != value.end() && chain->is_array()) {
    for (const auto& hop : *chain) {
      result.chain.push_back(Hop{Text(hop, "server"), Text(hop, "protocol")});
    }
  }
  if (result.query.empty()) return Fail("whois result: no query");
  return result;
}

Result<std::optional<WhoisResult>> CachedResult(CaseStore& store, const IpAddress& address) {
  if (auto table = EnsureTable(store); !table.ok()) return table.error().Wrap("whois cache");
  auto statement = store.database().Prepare(
      "SELECT result FROM whois_cache WHERE query = ?1 ORDER BY time DESC, rowid DESC LIMIT 1");
  if (!statement.ok()) return statement.error().Wrap("whois cache");
  statement->Bind(1, address.ToString());
  auto row = statement->Step();
  if (!row.ok()) return row.error().Wrap("whois cache");
  if (!*row) return std::optional<WhoisResult>();
  auto result = FromJson(statement->Text(0));
  if (!result.ok()) return result.error().Wrap("whois cache");
  return std::optional<WhoisResult>(std::move(result).value());
}

Result<std::vector<WhoisResult>> CachedResults(CaseStore& store) {
  if (auto table = EnsureTable(store); !table.ok()) return table.error().Wrap("whois cache");
  auto statement = store.database().Prepare(
      "SELECT result FROM whois_cache AS w WHERE rowid = (SELECT rowid FROM whois_cache"
      " WHERE query = w.query ORDER BY time DESC, rowid DESC LIMIT 1) ORDER BY query");
  if (!statement.ok()) return statement.error().Wrap("whois cache");
  std::vector<WhoisResult> results;
  while (true) {
    auto row = statement->Step();
    if (!row.ok()) return row.error().Wrap("whois cache");
    if (!*row) break;
    auto result = FromJson(statement->Text(0));
    if (!result.ok()) return result.error().Wrap("whois cache");
    results.push_back(std::move(result).value());
  }
  return results;
}

Result<WhoisResult> Lookup(CaseStore& store, const IpAddress& address,
                           const LookupOptions& options) {
  const std::string query = address.ToString();
  if (IsPrivate(address)) {
    return Fail(
        fmt::format("{}: a private, loopback or multicast address: no registry holds it", query));
  }
  if (options.use_cache) {
    auto cached = CachedResult(store, address);
    if (!cached.ok()) return cached.error();
    if (*cached) return std::move(**cached);
  }
  WhoisResult result;
  result.query = query;
  result.time = FormatRfc3339(Now());
  Walk walk(store, options, result);
  if (options.rdap && !HasRdap()) {
    result.notes.push_back(fmt::format("rdap: {}", kNoRdap));
  } else if (options.rdap) {
    auto bootstrap = ChooseBootstrap(store, options, address);
    if (bootstrap.ok()) {
      walk.Rdap(address, *bootstrap);
    } else {
      result.notes.push_back("rdap bootstrap " + bootstrap.error().message);
    }
  }
  if (result.abuse.email.empty()) walk.Run(query);
  if (result.chain.empty()) {
    std::string why;
    for (const std::string& note : result.notes) why += (why.empty() ? "" : "; ") + note;
    return Fail(fmt::format("whois {}: no server answered: {}", query, why));
  }
  if (auto table = EnsureTable(store); !table.ok()) return table.error().Wrap("whois cache");
  auto insert =
      store.database().Prepare("INSERT INTO whois_cache(query, time, result) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.error().Wrap("whois cache");
  insert->Bind(1, query).Bind(2, result.time).Bind(3, ToJson(result));
  if (auto run = insert->Run(); !run.ok()) return run.error().Wrap("whois cache");
  return result;
}

Result<std::vector<std::filesystem::path>> UpdateBootstrap(CaseStore& store,
                                                           const std::string& base_url,
                                                           const Limits& limits) {
  const std::filesystem::path dir = store.dir() / "rdap";
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Fail(fmt::format("create {}: {}", dir.string(), std::strerror(errno)));
  }
  std::vector<std::filesystem::path> written;
  for (const char* name : {"ipv4.json", "ipv6.json"}) {
    const std::string url = base_url + (base_url.ends_with('/') ? "" : "/") + name;
    auto body = HttpGet(url, limits, kMaxRdapJson);
    if (!body.ok()) return body.error();
    const auto probe =
        IpAddress::Parse(std::string_view(name) == "ipv4.json" ? "192.0.2.1" : "2001:db8::1");
    if (auto check = BootstrapUrls(*body, *probe); !check.ok()) {
      return check.error().Wrap(url);
    }
    const std::filesystem::path file = dir / name;
    const std::filesystem::path partial = dir / (std::string(name) + ".partial");
    {
      std::ofstream out(partial, std::ios::binary | std::ios::trunc);
      out << *body;
      if (!out.flush()) return Fail(fmt::format("write {}", partial.string()));
    }
    if (rename(partial.c_str(), file.c_str()) != 0) {
      return Fail(fmt::format("rename {}: {}", file.string(), std::strerror(errno)));
    }
    JsonObject details;
    details.Add("url", url).Add("file", file.string()).Add("sha256", Sha256Hex(*body));
    if (auto record = store.Append("whois.bootstrap", details.str()); !record.ok()) {
      return record.error();
    }
    written.push_back(file);
  }
  return written;
}

Result<IpAddress> ResolveHost(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return Fail(fmt::format("resolve {}: {}", host, gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    std::array<uint8_t, 16> bytes{};
    if (a->ai_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
      std::array<uint8_t, 4> v4{};
      std::memcpy(v4.data(), &in->sin_addr, 4);
      return IpAddress::FromV4Bytes(v4);
    }
    if (a->ai_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
      std::memcpy(bytes.data(), &in6->sin6_addr, 16);
      return IpAddress::FromBytes(bytes);
    }
  }
  return Fail(fmt::format("resolve {}: no address", host));
}

}  // namespace irk::whois
