// The firewall seam over libnftables: nft commands run in-process, never by
// shelling out to the host's nft. Built when IRK_WITH_NFTABLES is on;
// nftables_absent.cc stands in without it.
#include "contain/firewall.h"

#include <nftables/libnftables.h>

namespace irk::contain {
namespace {

class Nftables : public Firewall {
 public:
  explicit Nftables(nft_ctx* ctx) : ctx_(ctx) {}
  ~Nftables() override { nft_ctx_free(ctx_); }
  Nftables(const Nftables&) = delete;
  Nftables& operator=(const Nftables&) = delete;

  Result<std::string> Run(std::string_view commands, bool json) override {
    nft_ctx_output_set_flags(ctx_, json ? NFT_CTX_OUTPUT_JSON : 0);
    const std::string buffer(commands);
    const int rc = nft_run_cmd_from_buffer(ctx_, buffer.c_str());
    const std::string output = nft_ctx_get_output_buffer(ctx_);
    std::string error = nft_ctx_get_error_buffer(ctx_);
    if (rc != 0) {
      while (!error.empty() && (error.back() == '\n' || error.back() == ' ')) error.pop_back();
      // nft's message is several lines (the command, a caret line): the first says it.
      const size_t newline = error.find('\n');
      return Fail("nftables: " +
                  (error.empty() ? std::string("command failed") : error.substr(0, newline)));
    }
    return output;
  }

 private:
  nft_ctx* ctx_;
};

}  // namespace

Result<std::unique_ptr<Firewall>> OpenNftables() {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (ctx == nullptr) return Fail("nftables: cannot create a libnftables context");
  if (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0) {
    nft_ctx_free(ctx);
    return Fail("nftables: cannot buffer libnftables output");
  }
  return std::unique_ptr<Firewall>(std::make_unique<Nftables>(ctx));
}

}  // namespace irk::contain
