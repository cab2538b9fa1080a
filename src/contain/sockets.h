// Ending a TCP connection from outside its process, as `ss -K` does, so a
// blocked address loses its open sessions too. The sockets themselves are
// read with core/sockets.h.
#pragma once

#include <cstdint>

#include "core/address.h"
#include "core/result.h"
#include "core/sockets.h"

namespace irk::contain {

// Ends the established socket `socket` of this network namespace as `ss -K`
// does (sock_diag SOCK_DESTROY): both ends see a reset. Needs CAP_NET_ADMIN
// and a kernel with CONFIG_INET_DIAG_DESTROY.
Status DestroySocket(const TcpSocket& socket);

}  // namespace irk::contain
