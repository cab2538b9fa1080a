// The decisions `irk respond --yes --plan FILE` takes from a file instead
// of asking: which steps to skip and what each step acts on. The file is
// TOML, read through core/config like /etc/irk/irk.toml:
//
//   skip = ["hunt"]
//   [triage]
//   failures = 10               # failed logins that make a source a suspect
//   [contain]
//   block = ["suspects"]        # "suspects": what triage found; or addresses
//   block_for = "2h"
//   lock = ["alice"]
//   kill = ["suspects"]
//   isolate = false
//   [watch]
//   duration = "10m"
//   respond = false             # block and kill returning intruders at once
//   [entry]
//   targets = ["suspects"]
//   [assess]
//   key_file = "/media/usb/irk.key"   # else: against the package database
//   [recover]
//   from = ["/backups/daily.0", "/backups/daily.1"]
//   paths = ["/usr/bin/ls"]
//   [report]
//   out = "/root/incident"      # default: report/ in the case folder
//   whois = false               # look up abuse contacts (asks the registries)
//   contacts = "/root/whois.json"   # whois data kept from elsewhere (irk report --contacts)
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/result.h"
#include "respond/procedure.h"

namespace irk::respond {

struct Decisions {
  std::set<std::string> skip;  // step names
  int failure_threshold = 10;
  std::vector<std::string> block;  // as written: addresses, networks, or "suspects"
  std::string block_for;           // a duration for --for, "" for no timeout
  bool hosts_deny = false;         // block through /etc/hosts.deny
  std::vector<std::string> lock;
  std::vector<std::string> kill;
  bool isolate = false;
  std::vector<std::string> isolate_keep;
  std::vector<std::string> entry = {"suspects"};
  std::string key_file;   // irk check --key-file; empty: a baseline in the case needs none given
  std::string db;         // irk check --db
  bool packages = false;  // irk check --packages even when a baseline exists
  std::string watch_duration = "10m";
  bool watch_respond = false;
  std::vector<std::string> recover_from;   // backup sources
  std::vector<std::string> recover_paths;  // files to restore from their last good version
  std::string report_out;                  // empty: report/ in the case folder
  bool report_whois = false;               // irk whois each suspect address first
  std::string report_contacts;             // irk report --contacts FILE; empty: none
};

// Reads the decisions; unknown step names in `skip` are an error naming the
// file and key.
Result<Decisions> ReadDecisions(const Config& plan);

// `items` with every "suspects" replaced by `suspects` (addresses or
// users), without repeats, in the order given.
std::vector<std::string> ExpandSuspects(const std::vector<std::string>& items,
                                        const std::vector<std::string>& suspects);

}  // namespace irk::respond
