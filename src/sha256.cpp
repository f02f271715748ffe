#include "sha256.hpp"

#include <dlfcn.h>
#include <openssl/evp.h>

#include <mutex>

#include "error.hpp"

namespace netpol {
namespace {

// libcrypto is opened on first use, as Graphviz is for pictures: only `report` hashes, and
// linking it made every command's start-up relocate it (2.6 M of `table`'s 6.5 M
// instructions; docs/performance.md).
struct Crypto {
  decltype(&EVP_Digest) digest = nullptr;
  decltype(&EVP_sha256) sha256 = nullptr;
  std::string failure;
};

const Crypto& crypto() {
  static Crypto loaded;
  static std::once_flag opened;
  std::call_once(opened, [] {
    void* lib = ::dlopen(NETPOL_CRYPTO_SONAME, RTLD_LAZY | RTLD_LOCAL);
    if (!lib) {
      const char* why = ::dlerror();
      loaded.failure = "cannot compute SHA-256: cannot load OpenSSL's libcrypto (" +
                       std::string(why ? why : NETPOL_CRYPTO_SONAME) +
                       "); install Debian's libssl3";
      return;
    }
    loaded.digest = reinterpret_cast<decltype(loaded.digest)>(::dlsym(lib, "EVP_Digest"));
    loaded.sha256 = reinterpret_cast<decltype(loaded.sha256)>(::dlsym(lib, "EVP_sha256"));
    if (!loaded.digest || !loaded.sha256)
      loaded.failure = std::string("cannot compute SHA-256: ") + NETPOL_CRYPTO_SONAME +
                       " lacks EVP_Digest or EVP_sha256";
  });
  return loaded;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  const Crypto& lib = crypto();
  if (!lib.failure.empty()) throw Error(lib.failure);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (lib.digest(data.data(), data.size(), digest, &size, lib.sha256(), nullptr) != 1)
    throw Error("SHA-256 failed (OpenSSL)");
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace netpol
