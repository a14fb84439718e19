//===- DeconvOps.h - deconv dialect operations ------------------*- C++ -*-===//
//
// Operation classes of the deconv dialect.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_DECONVOPS_H
#define DECONV_DIALECT_DECONV_IR_DECONVOPS_H

#include "deconv/Dialect/Deconv/IR/DeconvDialect.h"
#include "deconv/Dialect/Deconv/IR/DeconvShape.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/Support/Error.h"

#include "deconv/Dialect/Deconv/IR/DeconvInterfaces.h.inc"

#define GET_OP_CLASSES
#include "deconv/Dialect/Deconv/IR/DeconvOps.h.inc"

namespace mlir::deconv {

/// The largest |x - zx| * |w - zw| an integer deconvolution with these
/// element types (i8 or ui8) and zero points can multiply.
int64_t getLargestIntegerProduct(QuantizationAttr quantization, Type inputType,
                                 Type weightType);

/// Whether a sum of `productsPerOutput` such products always fits in i32
/// (the verifier's rule, which -deconv-fuse-quantized checks before fusing).
bool fitsInt32Accumulator(QuantizationAttr quantization, Type inputType,
                          Type weightType, int64_t productsPerOutput);

/// The requantization of an integer deconvolution per output channel c
/// (DeconvOps.td): the multiplier f32(sx * sw[c]), the output scale sy[c]
/// and the output zero point zy[c] (as an f32), for `channels` channels.
struct Requantization {
  SmallVector<float> multipliers, outputScales, outputZeroPoints;
};
Requantization getRequantization(QuantizationAttr quantization,
                                 int64_t channels);

/// Whether every `q - zero point` of `type` (i8 or ui8) is itself an i8:
/// i8 with zero point 0, ui8 with 128 (its values' sign bit flipped), a
/// symmetric quantization. Such operands go to 8-bit integer tensor cores as
/// they are.
bool centersIntoInt8(Type type, ArrayRef<int64_t> zeroPoints);

} // namespace mlir::deconv

#endif // DECONV_DIALECT_DECONV_IR_DECONVOPS_H
