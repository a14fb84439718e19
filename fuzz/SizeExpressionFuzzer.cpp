//===- SizeExpressionFuzzer.cpp - plans' size expressions
//------------------===//
//
// Any text evaluated as a size expression over a few bound names: a value
// or a one-line error (unknown names, overflow, division by zero, nesting),
// never a crash or a hang.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/SizeExpression.h"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::map<std::string, int64_t> variables = {
      {"IN0_D0", 7},
      {"IN0_D2", 1},
      {"IN1_D3", 0},
      {"DECONV_INPUT_DIM0", (int64_t(1) << 62) + 5}};
  std::string_view text(reinterpret_cast<const char *>(data), size);
  deconv::StatusOr<int64_t> value =
      deconv::evaluateSizeExpression(text, variables);
  if (!value && (value.message().empty() ||
                 value.message().find('\n') != std::string::npos))
    std::abort();
  return 0;
}
