//===- VectorKernels.h - the CPU micro-kernel forms -------------*- C++ -*-===//
//
// What the two forms of the CPU's lowering share. The phase form
// (DeconvToVectors.cpp) computes each stride phase's gather GEMM over taps x
// Cin/G from a padded input and a repacked weight. The column form
// (ColumnForm.cpp) computes one GEMM over Cin/G per (n, g) into a buffer of
// columns, positions x (Cout/G x taps), reading the input and the weight
// where they are, and then sums each output's taps from that buffer: it
// moves no weight, so it wins when the weight outweighs the positions.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_CONVERSION_DECONVTOVECTORS_VECTORKERNELS_H
#define DECONV_CONVERSION_DECONVTOVECTORS_VECTORKERNELS_H

#include "deconv/Conversion/LoweringSupport.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

namespace mlir::deconv {

/// The micro-kernel's register tile.
struct TileShape {
  int64_t width;   ///< f32 lanes of a vector.
  int64_t rows;    ///< Positions of a tile (channel and column tiles).
  int64_t vectors; ///< Vectors of output channels or columns of a tile.
};

/// What both forms read off a verified op.
struct OpFacts {
  explicit OpFacts(GroupedDeconvOp op);
  SmallVector<PhaseAxis> axes;
  int64_t groups = 1, inPerGroup = 1, outPerGroup = 1;
  int64_t taps = 1; ///< The product of the kernel sizes.
  Type element;     ///< The result's element type.
};

/// Which form a grouped_deconv lowers to.
enum class KernelForm { Auto, Phases, Columns };

/// Tiles of this many positions make a chunk, the unit of parallel work: a
/// chunk's input rows and a block of weights stay in the caches while its
/// tiles run.
constexpr int64_t kTilesPerChunk = 32;

/// Whether Auto takes the column form for `op`: the input positions of the
/// whole batch (static sizes only) are no more than its input channels per
/// group, so the buffer of columns is no larger than the weight the phase
/// form would repack.
bool prefersColumnForm(GroupedDeconvOp op);

/// Lowers `op` in the column form; returns the result buffer.
Value buildColumnForm(OpBuilder &b, GroupedDeconvOp op, TileShape tile);

/// One reduction step of a register tile of `rows` x `vectors`: loads the
/// step's `vectors` f32 vectors of `width` lanes from `weights` at
/// `weightAt` on, and for each row adds its input (the scalar of `inputs` at
/// `inputAt[r]`, widened and broadcast) times each vector to
/// acc[r * vectors + c]; returns the new accumulators.
SmallVector<Value> accumulateTileStep(OpBuilder &b, Location loc, Value weights,
                                      Value weightAt, int64_t width,
                                      Value inputs, ArrayRef<Value> inputAt,
                                      ValueRange acc);

/// One-dimensional f32 buffer of `size` elements, 64-byte aligned.
Value allocateFloats(OpBuilder &b, Location loc, Value size);

/// `value` (a scalar or a vector) as f32.
Value widenToF32(OpBuilder &b, Location loc, Value value);

/// An f32 scalar or vector as `element`, the result's element type.
Value narrowFromF32(OpBuilder &b, Location loc, Value value, Type element);

} // namespace mlir::deconv

#endif // DECONV_CONVERSION_DECONVTOVECTORS_VECTORKERNELS_H
