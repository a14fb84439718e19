//===- Sha256.h - SHA-256 for content-addressed caches ----------*- C++ -*-===//

#ifndef DECONV_RUNTIME_SHA256_H
#define DECONV_RUNTIME_SHA256_H

#include <string>
#include <string_view>

namespace deconv {

/// The SHA-256 digest of `data`, as 64 lowercase hex digits (FIPS 180-4).
std::string sha256Hex(std::string_view data);

} // namespace deconv

#endif // DECONV_RUNTIME_SHA256_H
