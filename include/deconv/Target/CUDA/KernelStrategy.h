//===- KernelStrategy.h - how a canonical op becomes CUDA kernels -*- C++
//-*-===//
//
// A kernel strategy turns one `deconv.grouped_deconv` into one or more CUDA
// kernels with their launch geometry (3-D grids, block shape, dynamic shared
// memory). Each strategy lives in its own file; selection is one place: a
// cost model (roofline time of each strategy that can take the op) picks per
// op, the choice is recorded in the plan (`deconv-compile --describe` prints
// `strategy: NAME`), and `--cuda-strategy=NAME` forces one so that every
// strategy runs the whole differential suite, not only the shapes it wins.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CUDA_KERNELSTRATEGY_H
#define DECONV_TARGET_CUDA_KERNELSTRATEGY_H

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/Plan.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::deconv {

/// How f32 data may be computed.
enum class CudaPrecision {
  Exact, ///< f32 math for f32 data; f16/bf16 data with f32 accumulation.
  Tf32,  ///< f32 data on TF32 tensor cores (cuDNN's default in PyTorch).
};

/// What the CUDA target compiles for.
struct CudaTargetOptions {
  /// Architectures to compile CUBINs for ahead of time ("sm_90", ...).
  std::vector<std::string> archs;
  /// The architecture strategies target; empty: the first of `archs`.
  std::string targetArch;
  /// A strategy to force for every op, or "auto" for the cost model.
  std::string strategy = "auto";
  CudaPrecision precision = CudaPrecision::Exact;
  /// The block tile of the GEMM strategies ("128x64"), or "auto" for the
  /// cost model's choice: forcing each tile is how tests reach all of them.
  std::string tile = "auto";

  /// Instead of the cost model, time every strategy and tile that can take
  /// each op with static sizes on device 0 of `tuningBackend` and keep the
  /// fastest, recorded in `tuningDirectory` for the next compile of the same
  /// op (a forced strategy or tile is not tuned).
  bool tune = false;
  ::deconv::CudaBackend tuningBackend = ::deconv::CudaBackend::Gpu;
  /// Where tuning records live; empty: "tuning" under the process-wide
  /// kernel cache's directory (none kept when the disk cache is off).
  std::string tuningDirectory;
  /// Receives warnings (a tuning record ignored, a candidate that failed);
  /// null: they go to stderr.
  std::function<void(const std::string &)> warn;

  /// The architecture strategies and the cost model target: `targetArch`,
  /// else the first of `archs`, else sm_90.
  std::string getTargetArch() const;
};

/// Sets the strategy, tile and precision of `options` from the tools'
/// --cuda-strategy, --cuda-tile and --precision values: "" when the strategy
/// and the precision are known names, else the one-line error.
std::string applyCudaFlags(CudaTargetOptions &options, llvm::StringRef strategy,
                           llvm::StringRef tile, llvm::StringRef precision);

/// The GPU the cost model reasons about (published figures of the part).
struct DeviceModel {
  unsigned smVersion; ///< 90 for sm_90.
  int smCount;
  double fp32FlopsPerSecond;
  /// Dense tensor-core rates: f16/bf16 inputs with f32 accumulation, and
  /// tf32 (the f32 rate where the part has no such tensor cores).
  double halfFlopsPerSecond;
  double tf32FlopsPerSecond;
  double memoryBytesPerSecond;
  double launchSeconds;

  static DeviceModel forArch(llvm::StringRef arch);
};

/// Which buffer a kernel parameter is, in the canonical op's layouts;
/// PackedWeight is the op's weight rearranged by a packing kernel.
enum class KernelOperand { Input, Weight, Bias, Result, PackedWeight };

/// What a packing kernel computes: a buffer of `elements` elements of the
/// weight's type, element i the weight's element sourceOf(i), or zero where
/// that is -1. The planner computes it at compile time instead of launching
/// the kernel when the weight is a constant.
struct WeightPacking {
  int64_t elements = 0;
  std::function<int64_t(int64_t)> sourceOf;
};

/// One kernel of a strategy, in launch order. Its grid and shared-memory
/// expressions are in literals and its macros' names; each macro is a
/// dimension of the canonical op's input that is dynamic.
struct StrategyKernel {
  ::deconv::PlanKernel kernel;
  std::vector<KernelOperand> operands;
  /// (macro, dimension of the op's input) per dynamic size the source uses.
  std::vector<std::pair<std::string, unsigned>> inputDimMacros;
  /// Set on a packing kernel (operands Weight, PackedWeight), which comes
  /// before the kernels that read its PackedWeight.
  std::optional<WeightPacking> packing;
};

/// Where a kernel's input and result lie: the canonical op's channels-first
/// (N, G, C/G, spatial...), or channels-last (N, spatial..., G*C/G), which
/// spares the planner a transpose on each side where a strategy takes it.
struct OperandLayout {
  bool inputChannelsLast = false;
  bool resultChannelsLast = false;
};

class KernelStrategy {
public:
  virtual ~KernelStrategy() = default;

  /// The name `--cuda-strategy` takes and the plan records.
  virtual llvm::StringRef getName() const = 0;
  /// One line for `--help`.
  virtual llvm::StringRef getDescription() const = 0;
  /// Why this strategy cannot take `op`; empty when it can.
  virtual std::string whyNot(GroupedDeconvOp op,
                             const CudaTargetOptions &options) const = 0;
  /// Modelled time of `op` in seconds, for selection.
  virtual double estimateSeconds(GroupedDeconvOp op,
                                 const CudaTargetOptions &options,
                                 const DeviceModel &device) const = 0;
  /// The tiles `--cuda-tile` may name for `op` ("128x64", ...); {"auto"}
  /// for a strategy without a choice of tiles. The tuner times each.
  virtual std::vector<std::string>
  getTileNames(GroupedDeconvOp op, const CudaTargetOptions &options) const {
    return {"auto"};
  }
  /// Whether emit takes channels-last operands (else only the canonical
  /// layout).
  virtual bool takesChannelsLast() const { return false; }
  /// The kernels of `op`, named `namePrefix`, `namePrefix`_1, ..., over
  /// operands in `layout`.
  virtual FailureOr<std::vector<StrategyKernel>>
  emit(GroupedDeconvOp op, llvm::StringRef namePrefix,
       const CudaTargetOptions &options, const OperandLayout &layout) const = 0;
};

/// Every strategy, the fallback (`direct`) first.
llvm::ArrayRef<const KernelStrategy *> getKernelStrategies();

/// The strategy called `name`, or null.
const KernelStrategy *lookupKernelStrategy(llvm::StringRef name);

/// "auto" and each strategy's name with its description, for `--help`.
std::string describeKernelStrategies();

/// Checks a `--cuda-strategy` value: "" when it names a strategy or "auto",
/// else the message that lists the names.
std::string checkKernelStrategyName(llvm::StringRef name);

/// The strategy for `op`: the forced one (an error naming it and why it
/// cannot take the op), else the cheapest that can by the cost model.
FailureOr<const KernelStrategy *>
selectKernelStrategy(GroupedDeconvOp op, const CudaTargetOptions &options);

/// A module holding one function `name` whose body is `op` alone (its
/// operands the arguments, its result returned): what a strategy lowers on
/// its own. With `keepConstantWeight` a constant weight stays a constant (of
/// zeros: its values do not change what kernels do), so that what the
/// tuner times rearranges it at compile time, as the real plan will.
OwningOpRef<ModuleOp> isolateOp(GroupedDeconvOp op, llvm::StringRef name,
                                bool keepConstantWeight = false);

/// Whether `op`'s weight is a constant, as written or reshaped, cast and
/// transposed (the planner folds those): strategies that rearrange the
/// weight do it at compile time then.
bool hasConstantWeight(GroupedDeconvOp op);

/// Why a strategy that computes in floats cannot take `op`: an integer
/// deconvolution runs on implicit_gemm or direct. Empty for a float op.
std::string whyNotFloatOp(GroupedDeconvOp op);

/// Whether the architecture `options` target has the 8-bit integer tensor
/// cores (mma.sync m16n8k32 s8, sm_80 and later) the integer GEMM needs.
bool supportsIntegerGemm(const CudaTargetOptions &options);

/// Why the integer GEMM cannot take `op`: an integer deconvolution whose
/// weight is not quantized symmetrically (centersIntoInt8), or an
/// architecture without integer tensor cores. Empty for a float op.
std::string whyNotIntegerGemm(GroupedDeconvOp op,
                              const CudaTargetOptions &options);

/// Useful multiply-adds of `op` (dynamic sizes taken as `dynamicSize`).
int64_t countOpMacs(GroupedDeconvOp op, int64_t dynamicSize = 8);

/// Output elements of `op`.
int64_t countOpOutputs(GroupedDeconvOp op, int64_t dynamicSize = 8);

/// Index arithmetic a kernel pays per output (its thread's position and
/// the phase and tap range of each axis: divisions by constants, selects)
/// when one thread computes `outputsPerThread` of them, in instructions.
double estimateIndexInstructions(GroupedDeconvOp op, double outputsPerThread);

/// Bytes `op` must read and write at least once.
int64_t countOpBytes(GroupedDeconvOp op, int64_t dynamicSize = 8);

const KernelStrategy &getDirectStrategy();
const KernelStrategy &getImplicitGemmStrategy();
const KernelStrategy &getGemmD2sStrategy();
const KernelStrategy &getDepthwiseStrategy();
const KernelStrategy &getThinChannelStrategy();

} // namespace mlir::deconv

#endif // DECONV_TARGET_CUDA_KERNELSTRATEGY_H
