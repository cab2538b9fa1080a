// Sniffers and listeners, read from the kernel: AF_PACKET sockets
// (/proc/<pid>/net/packet) and TCP/UDP listening sockets of every network
// namespace a process is in, matched to their processes through
// /proc/<pid>/fd, and interfaces in promiscuous mode (/sys/class/net/*/flags,
// the flag libpcap sets). Never ss, netstat or lsof.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "core/proc.h"
#include "hunt/finding.h"

namespace irk::hunt {

struct PacketSocket {
  uint16_t protocol = 0;  // ethertype as the kernel prints it: 0x0003 is every protocol
  int ifindex = 0;        // 0: bound to no interface (all of them)
  uint32_t uid = 0;
  uint64_t inode = 0;
};

inline constexpr uint16_t kEthAllProtocols = 0x0003;

// Parses /proc/net/packet (header and malformed lines skipped).
std::vector<PacketSocket> ParseProcNetPacket(std::string_view text);

// The number of /sys/class/net/IF/flags ("0x1103\n"); nullopt otherwise.
std::optional<uint32_t> ParseInterfaceFlags(std::string_view text);

inline constexpr uint32_t kIffPromisc = 0x100;

// Kinds sniffer and listener. `processes` is ReadProcesses(proc_dir).
std::vector<Finding> HuntNetwork(const std::filesystem::path& proc_dir,
                                 const std::filesystem::path& sys_dir,
                                 const std::vector<Process>& processes);

}  // namespace irk::hunt
