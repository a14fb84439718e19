//===- InlineTensorFuzzer.cpp - inline --input tensors
//---------------------===//
//
// Any text given as an inline tensor (`2x3xf32=1 2 3 4 5 6`): a tensor of
// the stated shape or a one-line error, never a crash.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Npy.h"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  deconv::StatusOr<deconv::HostTensor> tensor = deconv::parseInlineTensor(text);
  if (!tensor && (tensor.message().empty() ||
                  tensor.message().find('\n') != std::string::npos))
    std::abort();
  if (tensor && tensor->getSizeInBytes() !=
                    static_cast<size_t>(tensor->getNumElements()) *
                        deconv::getElementSize(tensor->getElementType()))
    std::abort();
  return 0;
}
