//===- NpyFuzzer.cpp - .npy files
//------------------------------------------===//
//
// Any bytes given as a .npy file: a tensor or a one-line error, never a
// crash; a tensor that parses serializes and parses back to itself.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Npy.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  deconv::StatusOr<deconv::HostTensor> tensor = deconv::parseNpy(bytes);
  if (!tensor) {
    if (tensor.message().empty() ||
        tensor.message().find('\n') != std::string::npos)
      std::abort(); // Errors are one non-empty line.
    return 0;
  }
  deconv::StatusOr<deconv::HostTensor> again =
      deconv::parseNpy(deconv::serializeNpy(*tensor));
  if (!again || again->getShape() != tensor->getShape() ||
      again->getElementType() != tensor->getElementType() ||
      std::memcmp(again->data(), tensor->data(), tensor->getSizeInBytes()))
    std::abort();
  return 0;
}
