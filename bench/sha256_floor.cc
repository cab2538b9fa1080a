// The floor for file hashing: OpenSSL's SHA-256 (EVP, SHA-NI where the CPU
// has it) over every byte of the files named on stdin (NUL-separated), on
// THREADS threads, with nothing else done. Prints the bytes and files read.
//
//   find DIR -type f -print0 | sha256_floor THREADS
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const unsigned threads = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 1;
  std::vector<std::string> files;
  std::string name;
  while (std::getline(std::cin, name, '\0')) files.push_back(name);
  std::atomic<size_t> next = 0;
  std::atomic<unsigned long long> bytes = 0;
  auto work = [&] {
    std::unique_ptr<char[]> buffer(new char[512 * 1024]);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    for (size_t i; (i = next++) < files.size();) {
      const int fd = open(files[i].c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) continue;
      EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
      ssize_t n;
      while ((n = read(fd, buffer.get(), 512 * 1024)) > 0) {
        EVP_DigestUpdate(ctx, buffer.get(), static_cast<size_t>(n));
        bytes += static_cast<unsigned long long>(n);
      }
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int size = 0;
      EVP_DigestFinal_ex(ctx, md, &size);
      close(fd);
    }
    EVP_MD_CTX_free(ctx);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
  for (auto& thread : pool) thread.join();
  std::printf("%llu bytes in %zu files\n", bytes.load(), files.size());
  return 0;
}
