//===- QuantizationKernel.h - quantize and dequantize kernels ---*- C++ -*-===//
//
// The kernels a plan launches for `deconv.quantize` and `deconv.dequantize`
// (IR.md, "Quantization"): one thread per element, ONNX's arithmetic in f32
// as the CPU target's lowering computes it.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CUDA_QUANTIZATIONKERNEL_H
#define DECONV_TARGET_CUDA_QUANTIZATIONKERNEL_H

#include "deconv/Runtime/Plan.h"

#include "llvm/ADT/ArrayRef.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::deconv {

/// One quantize or dequantize over a tensor of `shape` (size expressions;
/// dynamic ones become macros DECONV_IN_DIM<d>). Per tensor, the scale and
/// zero point are literals of the source; per channel (`axis` set), the
/// kernel takes them as two f32 buffers of the axis's length after its
/// input: (input, scales, zero points, result).
struct QuantizationKernelSpec {
  bool quantize = true;
  ::deconv::ElementType floatType = ::deconv::ElementType::F32;
  ::deconv::ElementType integerType = ::deconv::ElementType::I8;
  std::vector<std::string> shape;
  std::optional<int64_t> axis;
  float scale = 1.0f;    ///< Per tensor.
  int64_t zeroPoint = 0; ///< Per tensor.
};

::deconv::PlanKernel emitQuantizationKernel(const std::string &name,
                                            const QuantizationKernelSpec &spec);

/// The lines of the statements that declare `name` (of `integerType`'s
/// storage) as f32 expression `value` quantized with `scale` and
/// `zeroPoint` (f32 expressions): divided (IEEE division), rounded half to
/// even, the zero point added, saturated; a NaN becomes the zero point.
/// What `deconv.quantize` and the integer deconvolution's requantization
/// compute.
std::vector<std::string> writeQuantizeToInteger(
    ::deconv::ElementType integerType, const std::string &name,
    const std::string &value, const std::string &scale,
    const std::string &zeroPoint);

/// `value` as a C float expression that reads back exactly: a literal, or
/// its bits through __int_as_float where it is an infinity or a NaN.
std::string getFloatLiteral(float value);

} // namespace mlir::deconv

#endif // DECONV_TARGET_CUDA_QUANTIZATIONKERNEL_H
