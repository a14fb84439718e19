//===- SizeExpression.h - sizes that depend on run-time shapes --*- C++ -*-===//
//
// Dynamic sizes travel from the compiler to the runtime as small integer
// expressions, in the same grammar the CUDA emitter writes into kernel
// sources: 64-bit literals (an `LL` suffix is allowed), names bound at run
// time (DECONV_INPUT_DIM0, IN0_D3, ...), + - *, unary -, parentheses, and
// the calls deconv_ceildiv(a, b), deconv_floordiv(a, b), max(a, b) and
// min(a, b). Evaluation is overflow-checked; every error is one line.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_SIZEEXPRESSION_H
#define DECONV_RUNTIME_SIZEEXPRESSION_H

#include "deconv/Runtime/Status.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace deconv {

/// Evaluates `expression` with the named values of `variables`.
StatusOr<int64_t>
evaluateSizeExpression(std::string_view expression,
                       const std::map<std::string, int64_t> &variables);

} // namespace deconv

#endif // DECONV_RUNTIME_SIZEEXPRESSION_H
