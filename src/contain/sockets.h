// TCP sockets as the kernel lists them in /proc/net/tcp and tcp6, and the
// sockets a process holds: what a killed process was connected to, and which
// process served a blocked address. Read from /proc, never through ss or
// netstat.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "core/address.h"
#include "core/result.h"

namespace irk::contain {

struct TcpSocket {
  bool v6 = false;  // listed in tcp6 (its addresses may still be IPv4-mapped, shown as IPv4)
  IpAddress local;
  uint16_t local_port = 0;
  IpAddress remote;
  uint16_t remote_port = 0;
  int state = 0;       // the kernel's TCP state number: 1 established, 10 listen
  uint64_t inode = 0;  // matches "socket:[inode]" under /proc/<pid>/fd
};

inline constexpr int kTcpEstablished = 1;
inline constexpr int kTcpListen = 10;

// Parses the text of /proc/net/tcp or /proc/net/tcp6 (the header line and
// malformed lines are skipped). Addresses are in the running kernel's byte
// order, as this machine wrote them.
std::vector<TcpSocket> ParseProcNetTcp(std::string_view text);

// The TCP sockets of `proc_dir`/net/tcp and tcp6 of the reading process's
// network namespace.
std::vector<TcpSocket> ReadTcpSockets(const std::filesystem::path& proc_dir);

// Ends the established socket `socket` of this network namespace as `ss -K`
// does (sock_diag SOCK_DESTROY): both ends see a reset. Needs CAP_NET_ADMIN
// and a kernel with CONFIG_INET_DIAG_DESTROY.
Status DestroySocket(const TcpSocket& socket);

// The socket inodes that process `pid` holds open, sorted; empty when it is
// gone or cannot be read.
std::vector<uint64_t> SocketInodes(const std::filesystem::path& proc_dir, int pid);

}  // namespace irk::contain
