//===- GemmKernelWriter.h - the GEMM main loop of CUDA kernels --*- C++ -*-===//
//
// What the GEMM-shaped strategies (implicit_gemm, gemm_d2s) share, in the
// CUTLASS division of labour: the strategy says how to read an element of A
// (rows x depth) and of B (depth x columns) and where an element of C goes;
// this writes the block's main loop, which stages A and B through shared
// memory one K slice at a time and accumulates on tensor cores (mma.sync,
// fragments by ldmatrix) or with FFMA, and walks the accumulators in the
// epilogue. Tile shapes come from a small set, chosen per op by the
// architecture, the element type, the precision policy and how many blocks
// a tile leaves for the GPU's SMs.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_LIB_TARGET_CUDA_GEMMKERNELWRITER_H
#define DECONV_LIB_TARGET_CUDA_GEMMKERNELWRITER_H

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Target/CUDA/KernelStrategy.h"

#include "mlir/IR/Types.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::deconv {

/// Source text of a kernel body, built up line by line.
class KernelText {
public:
  void line(const std::string &text);
  /// `text {` and one level deeper; close() ends it.
  void open(const std::string &text);
  void close();

  std::string body;
  int indent = 1;
};

/// How a block computes its tile.
enum class GemmCompute { Ffma, MmaF16, MmaBf16, MmaTf32 };

struct GemmTile {
  GemmCompute compute = GemmCompute::Ffma;
  int64_t rows = 64, columns = 64; ///< The block's tile of C.
  int64_t depth = 16;              ///< K slice staged per step.
  uint32_t threads = 256;
  /// FFMA: each thread's micro-tile is perThread x perThread.
  int64_t perThread = 4;
  /// mma: warps x warps of 32 x 32 each.
  int64_t warpRows = 2, warpColumns = 2;
  /// Shared tiles: FFMA keeps [k][row] and [k][column] floats; mma keeps
  /// [row][k] and [column][k] rows of `pitch` elements (padded so rows fall
  /// on different banks and stay 16-byte aligned for ldmatrix).
  int64_t pitch = 0;
  std::string sharedType = "float";

  bool usesTensorCores() const { return compute != GemmCompute::Ffma; }
  /// E.g. "128x64x32 mma.sync bf16".
  std::string describe() const;
};

/// A strategy's GEMM as the tile choice and the cost model see it (dynamic
/// sizes taken as 8): rows x columns x depth, repeated `batches` times
/// (groups, phases).
struct GemmShape {
  int64_t rows = 1, columns = 1, depth = 1, batches = 1;
};

/// The tile for `op`'s GEMM of `shape` under `options`: tensor cores where
/// the data, the policy and the architecture allow, and the tile
/// `options.tile` names, else the largest tile that still gives every SM two
/// blocks (else the smallest). Fails with the message naming the tiles there
/// are when `options.tile` is not one of them.
FailureOr<GemmTile> chooseGemmTile(GroupedDeconvOp op,
                                   const CudaTargetOptions &options,
                                   const GemmShape &shape, std::string &error);
/// The names of the tiles chooseGemmTile picks from for `op` ("64x64", ...).
std::vector<std::string> getGemmTileNames(GroupedDeconvOp op,
                                          const CudaTargetOptions &options);
/// Modelled time of that GEMM on `device` (roofline over the tile's fill).
double estimateGemmSeconds(GroupedDeconvOp op, const CudaTargetOptions &options,
                           const DeviceModel &device, const GemmShape &shape);

/// What a strategy supplies to the main loop. The code before the loop
/// defines `rowBase`, `columnBase`, `rows` and `depth` (long long).
struct GemmOperands {
  /// Before the K loop, with `loadRow` and `loadColumn` defined (the one row
  /// of A and column of B this thread loads in every slice): whatever the
  /// loads need, and `rowInside` and `columnInside` (bool).
  std::function<void(KernelText &)> prepareLoads;
  /// For depth `k` of the thread's row (resp. column): emits set-up lines and
  /// returns (condition, access): the element is `access` (a load of the
  /// data's storage type) where `condition` holds, else zero.
  std::function<std::pair<std::string, std::string>(KernelText &,
                                                    const std::string &k)>
      loadA, loadB;
  /// Epilogue: for output row `row` (a long long expression), emit the
  /// opening of a block that runs only for rows of C (the writer closes it).
  std::function<void(KernelText &, const std::string &row)> openRow;
  /// Inside an open row: store `accumulator` (float) at column `column`.
  std::function<void(KernelText &, const std::string &column,
                     const std::string &accumulator)>
      store;
};

/// The shared tiles' declaration, for the top of the kernel: two stages of
/// A and B in dynamic shared memory of getGemmSharedBytes bytes.
std::string declareGemmTiles(const GemmTile &tile);
int64_t getGemmSharedBytes(const GemmTile &tile);

/// The thread layout, the pipelined K loop over slices (the next slice is
/// fetched into registers while the current one is computed, then stored to
/// the other stage: one barrier a slice), and the epilogue.
void writeGemmMainLoop(KernelText &text, const GemmTile &tile, Type element,
                       const GemmOperands &operands);

/// A GEMM kernel of `op` named `name`: strategy, tile, block, shared memory
/// and the operands (input, weight, bias if any, result) recorded.
StrategyKernel startGemmKernel(GroupedDeconvOp op, llvm::StringRef name,
                               llvm::StringRef strategy, const GemmTile &tile);

/// Dimension `d` of `op`'s input as an expression: a literal, or the macro
/// DECONV_INPUT_DIM<d> (recorded in `kernel` the first time).
std::string getInputDimension(GroupedDeconvOp op, StrategyKernel &kernel,
                              unsigned d);

/// A GEMM kernel begun for an op: the op's facts, the tile, the kernel
/// (startGemmKernel's), and its batch and spatial sizes as C expressions
/// (input sizes read from the input, output sizes derived from them).
struct GemmKernelStart {
  llvm::SmallVector<PhaseAxis> axes;
  int64_t groups = 1, inPerGroup = 1, outPerGroup = 1;
  Type element;
  bool hasBias = false;
  GemmTile tile;
  StrategyKernel result;
  std::string batch;
  std::vector<std::string> inputSizes, outputSizes;
};

/// Begins `strategy`'s kernel of `op` on the tile chosen for `shape`; fails
/// with an error on `op` naming why when the strategy cannot take it.
FailureOr<GemmKernelStart> beginGemmKernel(const KernelStrategy &strategy,
                                           GroupedDeconvOp op,
                                           llvm::StringRef namePrefix,
                                           const CudaTargetOptions &options,
                                           const GemmShape &shape);

/// The parameters frameKernelSource's signature takes, in order: input,
/// weight, bias if the op has one, result.
std::vector<KernelOperand> getKernelOperands(GroupedDeconvOp op);

/// Frames `prologue` and `body` as `kernel`'s source: a comment with the
/// strategy, its configuration and the op, the prelude, the checks that each
/// dynamic size is defined, and the signature (input, weight, bias if the op
/// has one, result) with `launchBounds` ("256, 1").
void frameKernelSource(GroupedDeconvOp op, StrategyKernel &kernel,
                       llvm::StringRef launchBounds, llvm::StringRef prologue,
                       llvm::StringRef body);

/// Frames `body` as the kernel's source: a comment with the op, the
/// prelude, the checks that each dynamic size is defined, the signature
/// and the shared tiles.
void finishGemmKernel(GroupedDeconvOp op, StrategyKernel &kernel,
                      const GemmTile &tile, const std::string &body);

/// The storage type of `element` data ("float" or the 16-bit word).
std::string getStorageType(Type element);
/// `value` of the storage type widened to float, and a float narrowed.
std::string widenToFloat(Type element, const std::string &value);
std::string narrowFromFloat(Type element, const std::string &value);
/// Row-major linear index of `indices` in `sizes`.
std::string linearIndex(const std::vector<std::string> &indices,
                        const std::vector<std::string> &sizes);

} // namespace mlir::deconv

#endif // DECONV_LIB_TARGET_CUDA_GEMMKERNELWRITER_H
