// A fork loop for the kill benchmark: CHAINS processes, each forever forking
// a child and exiting, so no pid stays put for a scan of /proc to catch.
// RLIMIT_NPROC bounds it even if nothing stops it.
//   fork_loop [CHAINS]
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>

int main(int argc, char** argv) {
  const int chains = argc > 1 ? std::atoi(argv[1]) : 8;
  const rlimit limit{1024, 1024};
  setrlimit(RLIMIT_NPROC, &limit);
  for (int i = 1; i < chains; ++i) {
    if (fork() == 0) break;
  }
  while (true) {
    const pid_t pid = fork();
    if (pid > 0) _exit(0);
    if (pid < 0) usleep(1000);
  }
}
