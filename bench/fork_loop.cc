// A fork loop for the kill benchmark: CHAINS processes, each forever forking
// a child and exiting, so no pid stays put for a scan of /proc to catch. The
// first process only reaps (a child subreaper), so the loop runs at full
// speed instead of filling the process table with zombies. RLIMIT_NPROC
// bounds it even if nothing stops it.
//   fork_loop [CHAINS]
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

int main(int argc, char** argv) {
  const int chains = argc > 1 ? std::atoi(argv[1]) : 8;
  const rlimit limit{1024, 1024};
  setrlimit(RLIMIT_NPROC, &limit);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  for (int i = 0; i < chains; ++i) {
    if (fork() == 0) {
      while (true) {
        const pid_t pid = fork();
        if (pid > 0) _exit(0);
        if (pid < 0) usleep(1000);
      }
    }
  }
  while (wait(nullptr) > 0 || errno == EINTR) {
  }
  return 0;
}
