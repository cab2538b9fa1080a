// The process's network view, read from the kernel's own tables: TCP sockets
// from /proc/<pid>/net/tcp{,6} and the sockets a process holds from
// /proc/<pid>/fd (never through ss or netstat, which an intruder may have
// replaced). The parsers are pure; the two Read functions touch /proc.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "core/address.h"

namespace irk {

// The most sockets one table read keeps: a host under a flood has many.
inline constexpr size_t kMaxTcpSockets = 1 << 20;

// TCP states as the kernel numbers them.
inline constexpr uint8_t kTcpEstablished = 1;
inline constexpr uint8_t kTcpListen = 10;

struct TcpSocket {
  bool v6 = false;  // listed in tcp6 (its addresses may still be IPv4-mapped, shown as IPv4)
  IpAddress local, remote;
  uint16_t local_port = 0, remote_port = 0;
  uint8_t state = 0;
  uint32_t uid = 0;
  uint64_t inode = 0;  // 0 for a socket no process holds any more (TIME_WAIT)
};

// Parses the text of /proc/net/tcp or /proc/net/tcp6 (the header line and
// malformed lines are skipped). Addresses are in the byte order of the host
// that wrote the text, which is the one running irk. At most kMaxTcpSockets.
std::vector<TcpSocket> ParseProcNetTcp(std::string_view text);

// The inode of a "socket:[12345]" link of /proc/<pid>/fd; nullopt for
// anything else.
std::optional<uint64_t> ParseSocketLink(std::string_view link);

// The inodes of the sockets process `pid` holds open, sorted; empty when its
// fd folder cannot be read (gone, or not ours to read).
std::vector<uint64_t> ReadSocketInodes(const std::filesystem::path& proc_dir, int pid);

// The TCP sockets (IPv4 and IPv6) of the network namespace process `pid` is
// in; empty when they cannot be read.
std::vector<TcpSocket> ReadTcpSockets(const std::filesystem::path& proc_dir, int pid);

}  // namespace irk
