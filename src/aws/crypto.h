// The hashing SigV4 needs, on OpenSSL.
//
// These cannot fail on valid input; OpenSSL only fails here when it cannot allocate, which we
// treat like any other out-of-memory condition and abort on, so the functions return values
// rather than Result<T>.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace costwatch::aws {

using Sha256Digest = std::array<std::uint8_t, 32>;

[[nodiscard]] Sha256Digest Sha256(std::string_view data);
// Lowercase hex of the SHA-256 of data, the form SigV4 puts in canonical requests.
[[nodiscard]] std::string Sha256Hex(std::string_view data);
[[nodiscard]] Sha256Digest HmacSha256(std::string_view key, std::string_view data);
// Lowercase hex.
[[nodiscard]] std::string Hex(std::span<const std::uint8_t> bytes);

}  // namespace costwatch::aws
