#include "aws/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

namespace costwatch::aws {

namespace {
[[noreturn]] void DieOpenSsl(const char* what) {
  // Nothing useful is left to do if stderr fails too.
  (void)std::fprintf(stderr, "costwatch: %s failed in OpenSSL (out of memory?)\n", what);
  std::abort();
}
}  // namespace

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    DieOpenSsl("SHA-256");
  }
  return digest;
}

std::string Sha256Hex(std::string_view data) {
  return Hex(Sha256(data));
}

Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  // HMAC() takes the key length as an int; SigV4 keys are at most a secret key plus "AWS4".
  if (key.size() > static_cast<std::size_t>(INT_MAX)) DieOpenSsl("HMAC-SHA256 (key too long)");
  Sha256Digest mac{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
           &length) == nullptr ||
      length != mac.size()) {
    DieOpenSsl("HMAC-SHA256");
  }
  return mac;
}

std::string Hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

}  // namespace costwatch::aws
