//===- ColumnForm.cpp - grouped_deconv as one GEMM into columns -----------===//
//
// The column form of the CPU's lowering (VectorKernels.h). Per (n, g) one
// GEMM over Cin/G,
//   columns[j][c] = sum_ci x[n, g, ci, j] * w[g, ci, c],
// runs over the input positions j and the columns c = (co, k...) of the
// weight as it is stored, so neither operand is copied; then each output sums
// the columns of the taps that reach it,
//   out[n, g, co, o] = bias[g, co] + sum_k columns[i(o, k)][co, k],
// by stride phase with the exact tap ranges of DeconvPhases.h, so each output
// is written once and phases without taps get the bias alone.
//
// The GEMM's micro-kernel is the phase form's channel tile turned onto the
// columns: `rows` consecutive positions x `vectors` vectors of consecutive
// columns, one broadcast input value and one weight vector per multiply-add.
// The last block of columns masks its last vector's loads.
//
//===----------------------------------------------------------------------===//

#include "VectorKernels.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/MathExtras.h"

namespace mlir::deconv {
namespace {

/// Blocks of columns per unit of parallel work: with kTilesPerChunk tiles of
/// positions, a unit reads Cin/G x this many blocks of the weight.
constexpr int64_t kBlocksPerChunk = 8;

/// How far ahead, in rows of the weight, packing a panel prefetches.
constexpr int64_t kPrefetchRows = 16;

/// `memref`, of identity layout and so contiguous, as one dimension.
Value flatten(OpBuilder &b, Location loc, Value memref) {
  SmallVector<ReassociationIndices> all(1);
  for (int64_t d = 0; d < cast<MemRefType>(memref.getType()).getRank(); ++d)
    all.front().push_back(d);
  return memref::CollapseShapeOp::create(b, loc, memref, all);
}

/// The lowering of one op in the column form.
struct ColumnLowering : OpFacts {
  ColumnLowering(GroupedDeconvOp op, TileShape tile)
      : OpFacts(op), op(op), loc(op.getLoc()), tile(tile),
        columns(outPerGroup * taps),
        paddedColumns(llvm::alignTo(columns, tile.width)) {}

  Value build(OpBuilder &b) {
    input = getReadBuffer(b, loc, op.getInput());
    Value weight = getReadBuffer(b, loc, op.getWeight());
    bias = getReadBuffer(b, loc, op.getBias());
    result = allocateResult(b, loc, op, axes, input);
    IndexMath math(b, loc);
    positions = math.constant(1);
    for (size_t a = 0; a < axes.size(); ++a)
      positions = math.mul(positions, math.dim(input, 3 + a));
    flatInput = flatten(b, loc, input);
    flatWeight = flatten(b, loc, weight);
    Value images = math.mul(math.dim(input, 0), groups);
    columnBuffer = allocateFloats(
        b, loc, math.mul(math.mul(images, positions), paddedColumns));
    buildGemm(b);
    buildColumnSums(b);
    return result;
  }

private:
  GroupedDeconvOp op;
  Location loc;
  TileShape tile;
  int64_t columns;       ///< Cout/G x taps: a row of the weight.
  int64_t paddedColumns; ///< A row of the buffer: columns rounded up.
  Value input, bias, result;
  Value positions; ///< Input positions of an image: the product of the I.
  Value flatInput, flatWeight;
  Value columnBuffer; ///< (N, G, positions, paddedColumns) f32.

  /// What the tiles of one parallel unit share.
  struct Task {
    Value g, image;   ///< image = n * G + g.
    Value begin, end; ///< The unit's positions.
    /// A block's columns of the weight, f32, one row of vectors per input
    /// channel.
    Value panel;
  };

  /// scf.parallel over (n, g, chunk of positions, chunk of column blocks).
  /// A unit first packs its blocks of the weight into a panel, then runs
  /// each block's tiles of positions on it.
  void buildGemm(OpBuilder &b) {
    IndexMath math(b, loc);
    const int64_t chunkPositions = tile.rows * kTilesPerChunk;
    const int64_t blockColumns = tile.vectors * tile.width;
    const int64_t fullBlocks = columns / blockColumns;
    const int64_t tailColumns = columns - fullBlocks * blockColumns;
    const int64_t blocks = fullBlocks + (tailColumns > 0 ? 1 : 0);
    const int64_t columnChunks = llvm::divideCeil(blocks, kBlocksPerChunk);
    // The last block: as many vectors as its columns need, the last one
    // masked.
    const int64_t tailVectors = llvm::divideCeil(tailColumns, tile.width);
    const int64_t tailLanes = tailColumns - (tailVectors - 1) * tile.width;
    Value zero = math.constant(0), one = math.constant(1);
    buildParallelLoop(
        b, loc,
        {math.dim(input, 0), math.constant(groups),
         math.ceilDiv(positions, chunkPositions), math.constant(columnChunks)},
        [&](OpBuilder &b, Location loc, ValueRange ivs) {
          IndexMath math(b, loc);
          Task task;
          task.g = ivs[1];
          task.image = math.add(math.mul(ivs[0], groups), task.g);
          task.begin = math.mul(ivs[2], chunkPositions);
          task.end = math.min(math.add(task.begin, chunkPositions), positions);
          task.panel = memref::AllocOp::create(
              b, loc,
              MemRefType::get({std::min(kBlocksPerChunk, blocks) * inPerGroup *
                               blockColumns},
                              b.getF32Type()),
              b.getI64IntegerAttr(64));
          Value firstBlock = math.mul(ivs[3], kBlocksPerChunk);
          Value fullHere =
              math.max(math.sub(math.min(math.add(firstBlock, kBlocksPerChunk),
                                         math.constant(fullBlocks)),
                                firstBlock),
                       zero);
          Value firstColumn = math.mul(firstBlock, blockColumns);
          packPanel(b, loc, task, firstColumn, fullHere, tile.vectors,
                    tile.width);
          scf::ForOp::create(
              b, loc, zero, fullHere, one, ValueRange{},
              [&](OpBuilder &b, Location loc, Value block, ValueRange) {
                IndexMath math(b, loc);
                buildTiles(b, loc, task,
                           math.add(firstColumn, math.mul(block, blockColumns)),
                           block, tile.vectors);
                scf::YieldOp::create(b, loc);
              });
          if (tailColumns == 0)
            return;
          scf::IfOp::create(
              b, loc, math.equal(ivs[3], math.constant(columnChunks - 1)),
              [&](OpBuilder &b, Location loc) {
                IndexMath math(b, loc);
                Value column = math.constant(fullBlocks * blockColumns);
                Task tail = task;
                tail.panel = memref::SubViewOp::create(
                    b, loc, task.panel,
                    ArrayRef<OpFoldResult>{
                        math.mul(fullHere, inPerGroup * blockColumns)},
                    ArrayRef<OpFoldResult>{
                        b.getIndexAttr(inPerGroup * blockColumns)},
                    ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
                packPanel(b, loc, tail, column, one, tailVectors, tailLanes);
                buildTiles(b, loc, tail, column, zero, tailVectors);
                scf::YieldOp::create(b, loc);
              });
        });
  }

  /// Copies `count` blocks of `vectors` vectors of columns from `column` on
  /// into the panel, f32, block after block, each one row of vectors per
  /// input channel; the last vector of each block has `lastLanes` real
  /// columns. Rows of the weight lie a whole row of columns apart, often a
  /// multiple of 4 KiB, so tiles reading the weight in place would evict
  /// each other's rows from the caches; the copy reads each row's stretch of
  /// the unit once, prefetched kPrefetchRows rows ahead (clamped to the
  /// weight's last element).
  void packPanel(OpBuilder &b, Location loc, const Task &task, Value column,
                 Value count, int64_t vectors, int64_t lastLanes) {
    IndexMath math(b, loc);
    const int64_t width = tile.width, blockColumns = tile.vectors * width;
    Type weightElement =
        cast<MemRefType>(flatWeight.getType()).getElementType();
    auto loadType = VectorType::get({width}, weightElement);
    Value lastMask;
    if (lastLanes < width)
      lastMask = vector::CreateMaskOp::create(
          b, loc, VectorType::get({width}, b.getI1Type()),
          ValueRange{math.constant(lastLanes)});
    Value zeroLoad =
        arith::ConstantOp::create(b, loc, loadType, b.getZeroAttr(loadType));
    Value weightBase = math.add(math.mul(task.g, inPerGroup * columns), column);
    const int64_t weightElements = groups * inPerGroup * columns;
    buildNestedLoops(
        b, loc, {math.constant(inPerGroup), count}, {},
        [&](OpBuilder &b, Location loc, ValueRange ivs,
            ValueRange) -> SmallVector<Value> {
          IndexMath math(b, loc);
          Value ci = ivs[0], block = ivs[1];
          Value weightAt = math.add(math.add(weightBase, math.mul(ci, columns)),
                                    math.mul(block, blockColumns));
          Value ahead = math.add(weightAt, kPrefetchRows * columns);
          for (int64_t at : {int64_t(0), vectors * width - 1})
            memref::PrefetchOp::create(
                b, loc, flatWeight,
                ValueRange{math.min(math.add(ahead, at),
                                    math.constant(weightElements - 1))},
                /*isWrite=*/false, /*localityHint=*/3, /*isDataCache=*/true);
          Value panelAt =
              math.mul(math.add(math.mul(block, inPerGroup), ci), blockColumns);
          for (int64_t c = 0; c < vectors; ++c) {
            Value at = math.add(weightAt, c * width);
            Value loaded =
                c + 1 == vectors && lastMask
                    ? Value(vector::MaskedLoadOp::create(
                          b, loc, loadType, flatWeight, ValueRange{at},
                          lastMask, zeroLoad))
                    : Value(vector::LoadOp::create(b, loc, loadType, flatWeight,
                                                   ValueRange{at}));
            vector::StoreOp::create(b, loc, widenToF32(b, loc, loaded),
                                    task.panel,
                                    ValueRange{math.add(panelAt, c * width)});
          }
          return {};
        });
  }

  /// The unit's tiles of positions for the block of `vectors` vectors of
  /// columns from `column` on, packed as block `block` of the panel.
  void buildTiles(OpBuilder &b, Location loc, const Task &task, Value column,
                  Value block, int64_t vectors) {
    IndexMath math(b, loc);
    const int64_t rows = tile.rows, width = tile.width;
    const int64_t blockColumns = tile.vectors * width;
    auto vectorType = VectorType::get({width}, b.getF32Type());
    Value inputBase = math.mul(math.mul(task.image, inPerGroup), positions);
    Value panelBase = math.mul(block, inPerGroup * blockColumns);
    scf::ForOp::create(
        b, loc, task.begin, task.end, math.constant(rows), ValueRange{},
        [&](OpBuilder &b, Location loc, Value first, ValueRange) {
          IndexMath math(b, loc);
          // Rows past the unit repeat its last position: they read inside
          // the input and store what that position's row stores.
          Value last = math.add(task.end, -1);
          SmallVector<Value> rowPosition;
          for (int64_t r = 0; r < rows; ++r)
            rowPosition.push_back(math.min(math.add(first, r), last));
          Value zeroVector = arith::ConstantOp::create(
              b, loc, vectorType, b.getZeroAttr(vectorType));
          SmallVector<Value> init(rows * vectors, zeroVector);
          auto reduction = scf::ForOp::create(
              b, loc, math.constant(0), math.constant(inPerGroup),
              math.constant(1), init,
              [&](OpBuilder &b, Location loc, Value ci, ValueRange acc) {
                IndexMath math(b, loc);
                Value channelAt = math.add(inputBase, math.mul(ci, positions));
                SmallVector<Value> inputAt;
                for (int64_t r = 0; r < rows; ++r)
                  inputAt.push_back(math.add(channelAt, rowPosition[r]));
                scf::YieldOp::create(
                    b, loc,
                    accumulateTileStep(
                        b, loc, task.panel,
                        math.add(panelBase, math.mul(ci, blockColumns)), width,
                        flatInput, inputAt, acc));
              });
          for (int64_t r = 0; r < rows; ++r) {
            Value rowAt =
                math.add(math.mul(math.add(math.mul(task.image, positions),
                                           rowPosition[r]),
                                  paddedColumns),
                         column);
            for (int64_t c = 0; c < vectors; ++c)
              vector::StoreOp::create(
                  b, loc, reduction.getResult(r * vectors + c), columnBuffer,
                  ValueRange{math.add(rowAt, c * width)});
          }
          scf::YieldOp::create(b, loc);
        });
  }

  /// Every output: the bias plus the columns of the taps that reach it.
  /// scf.parallel over (n, g, co, phase...), then the phase's positions and
  /// each position's tap ranges.
  void buildColumnSums(OpBuilder &b) {
    const int64_t numAxes = axes.size();
    buildPhaseParallelLoop(
        b, loc, result, axes,
        [&](OpBuilder &b, Location loc, Value n, Value g, Value co,
            ArrayRef<Phase<Value>> phases) {
          IndexMath math(b, loc);
          SmallVector<Value> counts;
          for (const Phase<Value> &phase : phases)
            counts.push_back(math.max(phase.outputs, math.constant(0)));
          Value imageRows =
              math.mul(math.add(math.mul(n, groups), g), positions);
          Value channelColumn = math.mul(co, taps);
          Value start = bias ? widenToF32(b, loc,
                                          memref::LoadOp::create(
                                              b, loc, bias, ValueRange{g, co}))
                             : Value(arith::ConstantOp::create(
                                   b, loc, b.getF32FloatAttr(0.0f)));
          buildNestedLoops(
              b, loc, counts, {},
              [&](OpBuilder &b, Location loc, ValueRange q,
                  ValueRange) -> SmallVector<Value> {
                IndexMath math(b, loc);
                SmallVector<TapRange<Value>> ranges;
                SmallVector<Value> lo, hi;
                for (int64_t a = 0; a < numAxes; ++a) {
                  ranges.push_back(computeTapRange(
                      math, axes[a], phases[a], q[a], math.dim(input, 3 + a)));
                  lo.push_back(ranges.back().lo);
                  hi.push_back(ranges.back().hi);
                }
                SmallVector<Value> sum = buildNestedLoops(
                    b, loc, lo, hi, {start},
                    [&](OpBuilder &b, Location loc, ValueRange m,
                        ValueRange acc) -> SmallVector<Value> {
                      IndexMath math(b, loc);
                      Value position = math.constant(0), k = math.constant(0);
                      for (int64_t a = 0; a < numAxes; ++a) {
                        auto [i, tap] = computeTapIndices(
                            math, axes[a], phases[a], ranges[a].start, m[a]);
                        position = math.add(
                            math.mul(position, math.dim(input, 3 + a)), i);
                        k = math.add(math.mul(k, axes[a].kernel), tap);
                      }
                      Value at =
                          math.add(math.mul(math.add(imageRows, position),
                                            paddedColumns),
                                   math.add(channelColumn, k));
                      Value x = memref::LoadOp::create(b, loc, columnBuffer,
                                                       ValueRange{at});
                      return {arith::AddFOp::create(b, loc, acc.front(), x)};
                    });
                SmallVector<Value> index = {n, g, co};
                for (int64_t a = 0; a < numAxes; ++a)
                  index.push_back(math.add(phases[a].phase,
                                           math.mul(q[a], axes[a].stride)));
                memref::StoreOp::create(
                    b, loc, narrowFromF32(b, loc, sum.front(), element), result,
                    index);
                return {};
              });
        });
  }
};

} // namespace

bool prefersColumnForm(GroupedDeconvOp op) {
  ArrayRef<int64_t> inputShape = op.getInput().getType().getShape();
  int64_t images = 1, positions = 1;
  for (int64_t d = 0; d < (int64_t)inputShape.size(); ++d) {
    if (d == 1 || d == 2)
      continue;
    if (ShapedType::isDynamic(inputShape[d]))
      return false;
    (d == 0 ? images : positions) *= inputShape[d];
  }
  return images * positions <= op.getWeight().getType().getShape()[1];
}

Value buildColumnForm(OpBuilder &b, GroupedDeconvOp op, TileShape tile) {
  return ColumnLowering(op, tile).build(b);
}

} // namespace mlir::deconv
