//===- CudaEmitter.h - CUDA C++ from the loop nests -------------*- C++ -*-===//
//
// The CUDA target translates the loop nest of -deconv-lower-to-loops (the
// per-element order: one thread per output element) into a CUDA C++ kernel.
// Static sizes, strides, crops and group counts are literals in the source;
// dynamic sizes are macros (DECONV_INPUT_DIM0, ...) that the runtime defines
// when it specializes the kernel with NVRTC, so no MLIR is needed then.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CUDA_CUDAEMITTER_H
#define DECONV_TARGET_CUDA_CUDAEMITTER_H

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::deconv {

/// One kernel: `extern "C" __global__ void <name>(input, weight[, bias],
/// result)` over buffers in the canonical op's layouts, launched as a 1-D
/// grid of `totalThreads` threads in blocks of `blockSize`.
struct CudaKernel {
  std::string name;
  std::string source;
  bool hasBias = false;
  int64_t blockSize = 256;
  /// C expression of the thread count, in literals and the dynamic macros.
  std::string totalThreads;
  /// Macros the runtime must define, one per dynamic input size.
  std::vector<std::string> dynamicSizeMacros;
};

/// Emits the kernel of one canonical op (the plan builder gathers a graph's).
FailureOr<CudaKernel> emitCudaKernel(GroupedDeconvOp op, StringRef name);

} // namespace mlir::deconv

#endif // DECONV_TARGET_CUDA_CUDAEMITTER_H
