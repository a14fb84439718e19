//===- GemmKernelWriter.h - the GEMM main loop of CUDA kernels --*- C++ -*-===//
//
// What the GEMM-shaped strategies (implicit_gemm, gemm_d2s) share, in the
// CUTLASS division of labour: the strategy says how to read an element of A
// (rows x depth) and of B (depth x columns) and where an element of C goes;
// this writes the block's main loop, which stages A and B through shared
// memory one K slice at a time and accumulates on tensor cores (mma.sync,
// fragments by ldmatrix; 8-bit integers on s8 tensor cores for symmetric
// integer deconvolutions) or with FFMA, and walks the accumulators in the
// epilogue. B is the weight packed once per op (at compile time when it is
// a constant, else by a packing kernel before the GEMM) into zero-padded
// whole tiles, so the main loop copies it with 16-byte cp.async and checks
// no bounds; on sm_80 and later the slices flow through a cp.async
// pipeline of three stages (two where three would not fit). Tile shapes come
// from a small set, chosen per op by the architecture, the element type, the
// precision policy and how many blocks a tile leaves for the GPU's SMs.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_LIB_TARGET_CUDA_GEMMKERNELWRITER_H
#define DECONV_LIB_TARGET_CUDA_GEMMKERNELWRITER_H

#include "CExpressionMath.h"

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Runtime/Plan.h"
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

/// CExpressionMath whose `let` names a value as a line of `text`, so that
/// long generated formulas stay readable; `let` over IntegerMath is the
/// value itself, so one formula serves both.
struct NamingCExpressionMath : CExpressionMath {
  explicit NamingCExpressionMath(KernelText &text) : text(text) {}
  KernelText &text;
};
inline std::string let(NamingCExpressionMath &math, const std::string &name,
                       const std::string &value,
                       const char *type = "long long") {
  math.text.line(std::string("const ") + type + " " + name + " = " + value +
                 ";");
  return name;
}
inline int64_t let(IntegerMath &, const std::string &, int64_t value,
                   const char * = nullptr) {
  return value;
}
inline bool let(IntegerMath &, const std::string &, bool value,
                const char * = nullptr) {
  return value;
}

/// How a block computes its tile.
enum class GemmCompute { Ffma, MmaF16, MmaBf16, MmaTf32, MmaS8 };

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
  /// mma s8: the tiles hold the operands' bytes as stored; a ui8 operand
  /// (zero point 128) has its sign bits flipped in the fragments, which
  /// makes each byte its centered i8 value q - 128.
  bool flipSignA = false, flipSignB = false;
  /// mma s8 with an input whose q - zero point needs 9 bits (a zero point
  /// other than 0 for i8 or 128 for ui8): A's tile holds v >> 1 and a second
  /// tile v & 1 of each centered v = q - `inputZeroPoint` (0 where the
  /// input has no element), and each slice is multiplied as
  /// 2 * (v >> 1) + (v & 1): three mma per fragment instead of one.
  bool splitA = false;
  int64_t inputZeroPoint = 0;
  /// sm_80 and later: B (and A where its elements are 4 bytes) arrives by
  /// cp.async through `stages` shared stages; else through registers and
  /// two stages.
  bool asyncCopies = false;
  int64_t stages = 2;

  bool usesTensorCores() const { return compute != GemmCompute::Ffma; }
  /// E.g. "128x64x32 mma.sync bf16, 3-stage cp.async".
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

/// B packed for the main loop: per batch (a block's z) one matrix of
/// `depth` x `columns`, both whole tiles, zero past the GEMM's own; stored
/// [column][k] for tensor cores (as their shared tiles) and [k][column] for
/// FFMA.
struct PackedWeightLayout {
  int64_t batches = 1, depth = 1, columns = 1;
  bool depthInner = false;
  int64_t getElements() const { return batches * depth * columns; }
};

/// The packing of a GEMM of `batches` x (at most `depth`) x `columns` for
/// `tile`.
PackedWeightLayout getPackedWeightLayout(const GemmTile &tile, int64_t batches,
                                         int64_t depth, int64_t columns);

/// Where element (batch, k, column) of B lies in the weight: the weight
/// element's index, or -1 where B is zero.
using HostWeightSource =
    std::function<int64_t(int64_t batch, int64_t k, int64_t column)>;
/// The same as C: given the names of batch, k and column (long long),
/// emits set-up lines and returns (condition, index).
using DeviceWeightSource = std::function<std::pair<std::string, std::string>(
    KernelText &, const std::string &batch, const std::string &k,
    const std::string &column)>;

/// The kernel that packs `op`'s weight into `layout` (one thread an
/// element; operands Weight, PackedWeight), its WeightPacking set so that
/// the planner packs a constant weight itself. Both sources must be the
/// same map: strategies instantiate one formula over IntegerMath and
/// CExpressionMath.
StrategyKernel emitWeightPackingKernel(GroupedDeconvOp op, llvm::StringRef name,
                                       llvm::StringRef strategy,
                                       const PackedWeightLayout &layout,
                                       HostWeightSource host,
                                       const DeviceWeightSource &device);

/// emitWeightPackingKernel of one formula generic over the arithmetic:
/// `locate(math, batch, k, column)` returns (inside, weight index), and is
/// instantiated over IntegerMath (the planner's packing of a constant) and
/// NamingCExpressionMath (the kernel's source).
template <typename Locate>
StrategyKernel emitWeightPackingKernel(GroupedDeconvOp op, llvm::StringRef name,
                                       llvm::StringRef strategy,
                                       const PackedWeightLayout &layout,
                                       const Locate &locate) {
  return emitWeightPackingKernel(
      op, name, strategy, layout,
      [locate](int64_t batch, int64_t k, int64_t column) {
        IntegerMath integers;
        auto [inside, index] = locate(integers, batch, k, column);
        return inside ? index : int64_t(-1);
      },
      [&locate](KernelText &text, const std::string &batch,
                const std::string &k, const std::string &column) {
        NamingCExpressionMath expressions(text);
        return locate(expressions, batch, k, column);
      });
}

/// What a strategy supplies to the main loop. The code before the loop
/// defines `rowBase`, `columnBase`, `rows` and `depth` (long long).
struct GemmOperands {
  /// Before the K loop, with `loadRow` defined (the one row of A this thread
  /// loads in every slice): whatever the loads need, and `rowInside`.
  std::function<void(KernelText &)> prepareLoads;
  /// For depth `k` of the thread's row: emits set-up lines and returns
  /// (condition, pointer): the element is at `pointer` (into the kernel's
  /// `input`) where `condition` holds, else zero.
  std::function<std::pair<std::string, std::string>(KernelText &,
                                                    const std::string &k)>
      loadA;
  /// The block's matrix of the packed B (into the kernel's `weight`, which
  /// is the packed buffer), e.g. "weight + blockIdx.z * 4096LL".
  std::string packedB;
  /// Epilogue: for output row `row` (a long long expression), emit the
  /// opening of a block that runs only for rows of C (the writer closes it).
  std::function<void(KernelText &, const std::string &row)> openRow;
  /// Inside an open row: store `accumulator` (float) at column `column`.
  std::function<void(KernelText &, const std::string &column,
                     const std::string &accumulator)>
      store;
};

/// The shared tiles' declaration, for the top of the kernel: the stages of
/// A and B in dynamic shared memory of getGemmSharedBytes bytes.
std::string declareGemmTiles(const GemmTile &tile);
int64_t getGemmSharedBytes(const GemmTile &tile);

/// The thread layout, the pipelined K loop over slices (one barrier a
/// slice: cp.async copies run two slices ahead, loads through registers
/// one), and the epilogue. B is read from `packed`, of the weight's
/// `element` type; the accumulators are floats, ints for mma s8.
void writeGemmMainLoop(KernelText &text, const GemmTile &tile, Type element,
                       const GemmOperands &operands,
                       const PackedWeightLayout &packed);

/// A GEMM kernel of `op` named `name`: strategy, tile, block, shared memory
/// and the operands (input, packed weight, bias if any, result) recorded.
StrategyKernel startGemmKernel(GroupedDeconvOp op, llvm::StringRef name,
                               llvm::StringRef strategy, const GemmTile &tile);

/// The requantization of integer deconvolution `op` (DeconvOps.td) in a
/// GEMM's epilogue: `y = f32(acc) * f32(sx * sw[c]) + bias[c]`, each step
/// rounded in f32, then quantized with the output's scale and zero point.
struct IntegerEpilogue {
  /// A float of each output channel: a literal where all are equal, else a
  /// file-scope table.
  struct PerChannel {
    std::string literal, table;
    std::string at(const std::string &channel) const {
      return table.empty() ? literal : table + "[" + channel + "]";
    }
  };
  PerChannel multiplier, outputScale, outputZeroPoint;
  /// The tables' declarations.
  std::string tables;
  ::deconv::ElementType resultType = ::deconv::ElementType::I8;

  /// Inside an open row: the statements that declare `name` as int
  /// `accumulator` of output channel `channel` (a long long expression)
  /// requantized, plus `bias` (a float expression) unless that is empty.
  void requantize(KernelText &text, const std::string &name,
                  const std::string &accumulator, const std::string &channel,
                  const std::string &bias) const;
};
IntegerEpilogue getIntegerEpilogue(GroupedDeconvOp op);

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
/// dynamic size is defined, `declarations` (file-scope tables), and the
/// signature (input, weight, bias if the op has one, result, each of its
/// operand's element type) with `launchBounds` ("256, 1").
void frameKernelSource(GroupedDeconvOp op, StrategyKernel &kernel,
                       llvm::StringRef launchBounds, llvm::StringRef prologue,
                       llvm::StringRef body, llvm::StringRef declarations = "");

/// Frames `body` as the kernel's source: a comment with the op, the
/// prelude, the checks that each dynamic size is defined, the signature
/// (its `weight` the packed one), `declarations` and the shared tiles.
void finishGemmKernel(GroupedDeconvOp op, StrategyKernel &kernel,
                      const GemmTile &tile, const std::string &body,
                      llvm::StringRef declarations = "");

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
