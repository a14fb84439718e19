//===- main.cpp - a downstream program of the installed runtime ----------===//
//
// find-package-runtime FILE.npy
//
// Uses the runtime alone (no LLVM, no GPU): parses a tensor in IREE's inline
// form, writes it to FILE.npy, reads it back and checks its type and its
// bytes against the f16 encodings worked out by hand. Exits 0 when all
// match.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Npy.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.npy\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];

  // IEEE half: sign, 5 exponent bits (bias 15), 10 fraction bits.
  //   0.5    = 2^-1            -> 0 01110 0000000000 = 0x3800
  //   -1     = -2^0            -> 1 01111 0000000000 = 0xBC00
  //   2.25   = 1.125 * 2^1     -> 0 10000 0010000000 = 0x4080
  //   1024   = 2^10            -> 0 11001 0000000000 = 0x6400
  //   -0.125 = -2^-3           -> 1 01100 0000000000 = 0xB000
  //   65504  = (2 - 2^-10) 2^15 -> 0 11110 1111111111 = 0x7BFF (the largest)
  const uint16_t expected[] = {0x3800, 0xBC00, 0x4080, 0x6400, 0xB000, 0x7BFF};

  deconv::StatusOr<deconv::HostTensor> tensor =
      deconv::parseInlineTensor("2x3xf16=0.5 -1 2.25 1024 -0.125 65504");
  if (!tensor) {
    std::fprintf(stderr, "parse: %s\n", tensor.message().c_str());
    return 1;
  }
  if (deconv::Status status = deconv::writeNpyFile(path, *tensor); !status) {
    std::fprintf(stderr, "write: %s\n", status.message().c_str());
    return 1;
  }
  deconv::StatusOr<deconv::HostTensor> read = deconv::readNpyFile(path);
  if (!read) {
    std::fprintf(stderr, "read: %s\n", read.message().c_str());
    return 1;
  }

  std::printf("%s\n", read->getTypeString().c_str());
  if (read->getTypeString() != "tensor<2x3xf16>" ||
      read->getSizeInBytes() != sizeof(expected)) {
    std::fprintf(stderr, "expected tensor<2x3xf16>\n");
    return 1;
  }
  int mismatches = 0;
  for (int i = 0; i < 6; ++i) {
    uint16_t bits;
    std::memcpy(&bits, read->data() + 2 * i, 2);
    std::printf("%g (0x%04X)\n", read->getAsDouble(i), bits);
    if (bits != expected[i]) {
      std::fprintf(stderr, "element %d: got 0x%04X, expected 0x%04X\n", i,
                   bits, expected[i]);
      ++mismatches;
    }
  }

  // A missing file is an error with a message, not a crash.
  deconv::StatusOr<deconv::HostTensor> missing =
      deconv::readNpyFile(path + ".missing");
  if (missing || missing.message().empty()) {
    std::fprintf(stderr, "reading a missing file did not fail\n");
    return 1;
  }
  return mismatches == 0 ? 0 : 1;
}
