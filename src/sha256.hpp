#pragma once
// SHA-256 of a text, as 64 lowercase hex digits (OpenSSL's libcrypto, opened on first use):
// the review bundle records its inputs' and files' digests, as `sha256sum` prints them.
// Throws Error when libcrypto cannot be loaded.

#include <string>
#include <string_view>

namespace netpol {

std::string sha256_hex(std::string_view data);

}  // namespace netpol
