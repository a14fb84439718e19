//===- Autotuner.h - strategies chosen by timing them -----------*- C++ -*-===//
//
// Where the CUDA planner gets each op's strategy and tile: the one forced by
// the options, else (when tuning) the fastest of every strategy and tile
// that can take the op, timed on the device like cuDNN's benchmark mode and
// TensorRT's tactics, else the cost model. Timings are kept as records in a
// directory, keyed by what changes them (the op's sizes and attributes,
// element types, precision policy, architecture, the kernel compiler's
// identity and the code generator's version), so the next compile of the
// same op reads its choice instead of timing again. A record that does not
// parse, names another key, or names a strategy or tile that cannot take the
// op is ignored with a warning and replaced, never trusted.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CUDA_AUTOTUNER_H
#define DECONV_TARGET_CUDA_AUTOTUNER_H

#include "deconv/Target/CUDA/KernelStrategy.h"

#include <string>

namespace mlir::deconv {

/// The strategy and tile an op runs with, and where the choice came from.
struct KernelChoice {
  const KernelStrategy *strategy = nullptr;
  /// The tile to emit with ("auto": the strategy's own choice).
  std::string tile = "auto";
  /// For the plan's description: empty without tuning, else "tuned: ...",
  /// "tuning record: ..." or "cost model: ..." (an op tuning cannot take).
  std::string origin;
};

/// The choice for `op`: the forced strategy and tile, else the tuned one
/// (options.tune and static sizes), else the cost model's. Fails with a
/// diagnostic on `op` where a forced strategy cannot take it, or where
/// tuning was asked and no device opens.
FailureOr<KernelChoice> chooseKernel(GroupedDeconvOp op,
                                     const CudaTargetOptions &options);

/// Readies `options` for tuning on device 0 of `backend`: opens it, and
/// targets its architecture. Returns why not (no device), or empty.
std::string prepareTuning(CudaTargetOptions &options,
                          ::deconv::CudaBackend backend);

/// The key of `op`'s tuning record under `options` (see above).
FailureOr<std::string> getTuningKey(GroupedDeconvOp op,
                                    const CudaTargetOptions &options);

} // namespace mlir::deconv

#endif // DECONV_TARGET_CUDA_AUTOTUNER_H
