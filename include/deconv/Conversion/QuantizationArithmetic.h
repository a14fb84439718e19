//===- QuantizationArithmetic.h - Q/DQ element arithmetic -------*- C++ -*-===//
//
// The element arithmetic of `deconv.quantize` and `deconv.dequantize`
// (IR.md, "Quantization"), shared by their element-wise lowering and the
// epilogue of the integer deconvolution, so both round the same way.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_CONVERSION_QUANTIZATIONARITHMETIC_H
#define DECONV_CONVERSION_QUANTIZATIONARITHMETIC_H

#include "mlir/IR/Builders.h"

namespace mlir::deconv {

/// `value` as the same bits of type `to` (ui8 <-> i8), or itself. Arith has
/// no unsigned types; the LLVM conversion, where both are i8, reconciles
/// the casts.
Value castBits(OpBuilder &builder, Location loc, Value value, Type to);

/// An i8 or ui8 element as the i32 it stands for.
Value widenToI32(OpBuilder &builder, Location loc, Value element);

/// `saturate(round_half_to_even(value / scale) + zeroPoint)` into
/// `integerType` (i8 or ui8), a NaN to the zero point; `value`, `scale` and
/// `zeroPoint` are f32.
Value quantizeToInteger(OpBuilder &builder, Location loc, Value value,
                        Value scale, Value zeroPoint, IntegerType integerType);

/// The integer deconvolution's requantization (DeconvOps.td) of i32 sum
/// `acc`: `f32(acc) * multiplier`, plus `bias` unless it is null, each step
/// rounded in f32, then quantizeToInteger with the output's `scale` and
/// `zeroPoint` (f32).
Value requantize(OpBuilder &builder, Location loc, Value acc, Value multiplier,
                 Value bias, Value scale, Value zeroPoint,
                 IntegerType integerType);

} // namespace mlir::deconv

#endif // DECONV_CONVERSION_QUANTIZATIONARITHMETIC_H
