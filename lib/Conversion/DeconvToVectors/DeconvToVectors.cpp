//===- DeconvToVectors.cpp - grouped_deconv to CPU micro-kernels ----------===//
//
// The CPU's lowering: the pass, which picks a form per op (VectorKernels.h),
// and the phase form. Per stride phase (DeconvPhases.h) the gather form is a
// GEMM: positions of the phase x output channels, over taps of the phase x
// Cin/G. A register-blocked micro-kernel computes a tile of it with the
// accumulators in vector registers; the loops around it go over (n, g,
// phase..., chunk of positions) in parallel and over the tiles of a chunk.
//
// Two copies that the generated code makes first keep every load of the
// kernels unconditional: the input, zero-padded on every spatial axis so that
// each tap of each phase reads inside it, and the weight, rearranged so that
// the kernel reads it along its vectors. Both are f32 whatever the element
// type, so f16 and bf16 convert once, not once per multiply-add.
//
//===----------------------------------------------------------------------===//

#include "VectorKernels.h"

#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_DECONVTOVECTORSPASS
#include "deconv/Conversion/Passes.h.inc"

OpFacts::OpFacts(GroupedDeconvOp op)
    : axes(getPhaseAxes(op)),
      element(op.getResult().getType().getElementType()) {
  ArrayRef<int64_t> weightShape = op.getWeight().getType().getShape();
  groups = weightShape[0];
  inPerGroup = weightShape[1];
  outPerGroup = weightShape[2];
  for (const PhaseAxis &axis : axes)
    taps *= axis.kernel;
}

Value allocateFloats(OpBuilder &b, Location loc, Value size) {
  return memref::AllocOp::create(
      b, loc, MemRefType::get({ShapedType::kDynamic}, b.getF32Type()),
      ValueRange{size}, b.getI64IntegerAttr(64));
}

SmallVector<Value> accumulateTileStep(OpBuilder &b, Location loc, Value weights,
                                      Value weightAt, int64_t width,
                                      Value inputs, ArrayRef<Value> inputAt,
                                      ValueRange acc) {
  IndexMath math(b, loc);
  auto vectorType = VectorType::get({width}, b.getF32Type());
  const int64_t vectors = acc.size() / inputAt.size();
  SmallVector<Value> w;
  for (int64_t c = 0; c < vectors; ++c)
    w.push_back(
        vector::LoadOp::create(b, loc, vectorType, weights,
                               ValueRange{math.add(weightAt, c * width)}));
  SmallVector<Value> next;
  for (auto [r, at] : llvm::enumerate(inputAt)) {
    Value x = memref::LoadOp::create(b, loc, inputs, ValueRange{at});
    x = vector::BroadcastOp::create(b, loc, vectorType, widenToF32(b, loc, x));
    for (int64_t c = 0; c < vectors; ++c)
      next.push_back(
          vector::FMAOp::create(b, loc, x, w[c], acc[r * vectors + c]));
  }
  return next;
}

Value widenToF32(OpBuilder &b, Location loc, Value value) {
  Type f32 = b.getF32Type();
  if (getElementTypeOrSelf(value.getType()) == f32)
    return value;
  Type type = f32;
  if (auto vector = dyn_cast<VectorType>(value.getType()))
    type = vector.clone(f32);
  return arith::ExtFOp::create(b, loc, type, value);
}

Value narrowFromF32(OpBuilder &b, Location loc, Value value, Type element) {
  if (element == b.getF32Type())
    return value;
  Type type = element;
  if (auto vector = dyn_cast<VectorType>(value.getType()))
    type = vector.clone(element);
  return arith::TruncFOp::create(b, loc, type, value);
}

namespace {

/// The largest constant weight, in floats, packed at compile time (1 GiB).
constexpr int64_t kMaxPackedConstant = int64_t(1) << 28;

/// Zero padding of one spatial axis so that every tap of every phase reads
/// inside the padded input.
struct AxisPadding {
  int64_t low = 0, high = 0;
};

AxisPadding getAxisPadding(const PhaseAxis &axis) {
  IntegerMath math;
  AxisPadding padding;
  for (int64_t p = 0; p < axis.stride; ++p) {
    Phase<int64_t> phase = computePhase(math, axis, p, /*outputSize=*/0);
    if (phase.tapCount == 0)
      continue;
    // Lowest index: position 0 and the last tap, c0 - (M-1)*L'.
    padding.low = std::max(padding.low, (phase.tapCount - 1) * axis.inputStep -
                                            phase.inputShift);
    // Highest: the last position Q-1 = I - 2 + ceil((R - p)/S) and tap 0.
    padding.high = std::max(
        padding.high, IntegerMath::ceilDiv(axis.outputOffset - p, axis.stride) +
                          phase.inputShift - 1);
  }
  return padding;
}

/// x < bound, and x >= 0, for index values.
Value isInside(OpBuilder &b, Location loc, Value x, Value bound) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, bound);
}

struct GroupedDeconvToVectors : OpRewritePattern<GroupedDeconvOp> {
  GroupedDeconvToVectors(MLIRContext *context, TileShape tile, KernelForm form)
      : OpRewritePattern(context), tile(tile), form(form) {}

  LogicalResult matchAndRewrite(GroupedDeconvOp op,
                                PatternRewriter &rewriter) const override {
    if (op.isQuantized())
      return rewriter.notifyMatchFailure(op, "integer deconvolution");
    Lowering lowering(op, tile);
    if ((int64_t)lowering.axes.size() != op.getNumSpatialDims())
      return rewriter.notifyMatchFailure(op, "the op does not verify");
    bool columns = form == KernelForm::Columns ||
                   (form == KernelForm::Auto && prefersColumnForm(op));
    replaceWithResult(rewriter, op,
                      columns ? buildColumnForm(rewriter, op, tile)
                              : lowering.build(rewriter));
    return success();
  }

private:
  /// The lowering of one op: its facts, its buffers, and the loops.
  struct Lowering : OpFacts {
    Lowering(GroupedDeconvOp op, TileShape tile)
        : OpFacts(op), op(op), loc(op.getLoc()), tile(tile) {
      for (const PhaseAxis &axis : axes)
        padding.push_back(getAxisPadding(axis));
      channelTiles = outPerGroup >= tile.width;
      paddedChannels = llvm::alignTo(outPerGroup, tile.width);
      // As many position vectors as keep the accumulators in registers
      // (about as many as a channel tile has), and no more than a line of
      // the phase fills when its length is known.
      int64_t lineVectors = tile.rows;
      int64_t lastOutputs = op.getResult().getType().getShape().back();
      if (!ShapedType::isDynamic(lastOutputs))
        lineVectors = llvm::divideCeil(
            llvm::divideCeil(lastOutputs, axes.back().stride), tile.width);
      positionVectors =
          std::clamp<int64_t>(tile.rows * tile.vectors / outPerGroup, 1,
                              std::min(tile.rows, lineVectors));
    }

    Value build(OpBuilder &b) {
      input = getReadBuffer(b, loc, op.getInput());
      weight = getReadBuffer(b, loc, op.getWeight());
      bias = getReadBuffer(b, loc, op.getBias());
      result = allocateResult(b, loc, op, axes, input);
      padInput(b);
      // Constants up to kMaxPackedConstant floats are packed at compile
      // time; larger ones (a huge splat, say) by the generated code.
      std::optional<std::vector<float>> values;
      if (groups * taps * inPerGroup * getPackedChannels() <=
          kMaxPackedConstant)
        values = getConstantFloats(op.getWeight());
      if (values)
        packConstantWeight(b, *values);
      else
        packWeight(b);
      buildPhaseLoops(b);
      return result;
    }

    GroupedDeconvOp op;
    Location loc;
    TileShape tile;
    SmallVector<AxisPadding> padding;
    int64_t paddedChannels = 1;
    bool channelTiles = true;
    int64_t positionVectors = 1; ///< Of a position tile.

    Value input, weight, bias, result;
    /// The padded input: (N, G, P..., Cin/G) for channel tiles, (N, G,
    /// Cin/G, P...) for position vectors.
    Value padded;
    SmallVector<Value> paddedSizes;   ///< P per axis.
    SmallVector<Value> paddedStrides; ///< Positions between neighbours.
    Value paddedPositions;            ///< The product of the P.
    /// The weight, f32: (G, K..., Cin/G, Cout/G rounded up to the vector
    /// width) for channel tiles, (G, K..., Cin/G, Cout/G) otherwise.
    Value packed;

    Value widen(OpBuilder &b, Location loc, Value value) {
      return widenToF32(b, loc, value);
    }
    Value narrow(OpBuilder &b, Location loc, Value value) {
      return narrowFromF32(b, loc, value, element);
    }

    /// The input, zero-padded and f32. One (n, g, ci) column per parallel
    /// iteration: reads run along the input.
    void padInput(OpBuilder &b) {
      IndexMath math(b, loc);
      const int64_t numAxes = axes.size();
      paddedPositions = math.constant(1);
      for (int64_t a = 0; a < numAxes; ++a) {
        paddedSizes.push_back(
            math.add(math.dim(input, 3 + a), padding[a].low + padding[a].high));
        paddedPositions = math.mul(paddedPositions, paddedSizes.back());
      }
      paddedStrides.assign(numAxes, math.constant(1));
      for (int64_t a = numAxes - 2; a >= 0; --a)
        paddedStrides[a] = math.mul(paddedStrides[a + 1], paddedSizes[a + 1]);
      Value images = math.mul(math.dim(input, 0), groups * inPerGroup);
      padded = allocateFloats(b, loc, math.mul(images, paddedPositions));

      buildParallelLoop(
          b, loc,
          {math.dim(input, 0), math.constant(groups),
           math.constant(inPerGroup)},
          [&](OpBuilder &b, Location loc, ValueRange outer) {
            Value n = outer[0], g = outer[1], ci = outer[2];
            buildNestedLoops(
                b, loc, paddedSizes, {},
                [&](OpBuilder &b, Location loc, ValueRange p,
                    ValueRange) -> SmallVector<Value> {
                  IndexMath math(b, loc);
                  SmallVector<Value> source = {n, g, ci};
                  Value inside, position = math.constant(0);
                  for (int64_t a = 0; a < numAxes; ++a) {
                    Value at = math.add(p[a], -padding[a].low);
                    Value in = isInside(b, loc, at, math.dim(input, 3 + a));
                    inside = inside ? math.both(inside, in) : in;
                    source.push_back(at);
                    position =
                        math.add(math.mul(position, paddedSizes[a]), p[a]);
                  }
                  auto value = scf::IfOp::create(
                      b, loc, inside,
                      [&](OpBuilder &b, Location loc) {
                        Value x = memref::LoadOp::create(b, loc, input, source);
                        scf::YieldOp::create(b, loc, widen(b, loc, x));
                      },
                      [&](OpBuilder &b, Location loc) {
                        scf::YieldOp::create(
                            b, loc,
                            Value(arith::ConstantOp::create(
                                b, loc, b.getF32FloatAttr(0.0f))));
                      });
                  Value image = math.add(math.mul(n, groups), g);
                  Value index =
                      channelTiles
                          ? math.add(
                                math.mul(
                                    math.add(math.mul(image, paddedPositions),
                                             position),
                                    inPerGroup),
                                ci)
                          : math.add(
                                math.mul(
                                    math.add(math.mul(image, inPerGroup), ci),
                                    paddedPositions),
                                position);
                  memref::StoreOp::create(b, loc, value.getResult(0), padded,
                                          index);
                  return {};
                });
          });
    }

    /// Output channels of a row of the packed weight.
    int64_t getPackedChannels() const {
      return channelTiles ? paddedChannels : outPerGroup;
    }

    /// A constant weight, packed at compile time into a constant: the
    /// layout packWeight writes, from `values`, the weight (G, Cin/G,
    /// Cout/G, K...) row-major.
    void packConstantWeight(OpBuilder &b, ArrayRef<float> values) {
      const int64_t channels = getPackedChannels();
      std::vector<float> packedValues(groups * taps * inPerGroup * channels,
                                      0.0f);
      for (int64_t g = 0; g < groups; ++g)
        for (int64_t ci = 0; ci < inPerGroup; ++ci)
          for (int64_t co = 0; co < outPerGroup; ++co)
            for (int64_t tap = 0; tap < taps; ++tap)
              packedValues[((g * taps + tap) * inPerGroup + ci) * channels +
                           co] =
                  values[((g * inPerGroup + ci) * outPerGroup + co) * taps +
                         tap];
      auto type =
          RankedTensorType::get({(int64_t)packedValues.size()}, b.getF32Type());
      Value constant = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, ArrayRef<float>(packedValues)));
      packed = getReadBuffer(b, loc, constant);
    }

    /// The weight as (G, K..., Cin/G, C) f32, C = Cout/G rounded up to the
    /// vector width (zeros beyond Cout/G) for channel tiles, else Cout/G.
    /// One (g, ci) per parallel iteration, reading the weight in order (its
    /// taps are innermost) and writing one contiguous stream per tap.
    void packWeight(OpBuilder &b) {
      IndexMath math(b, loc);
      const int64_t channels = getPackedChannels();
      packed = allocateFloats(
          b, loc, math.constant(groups * taps * inPerGroup * channels));
      buildParallelLoop(
          b, loc, {math.constant(groups), math.constant(inPerGroup)},
          [&](OpBuilder &b, Location loc, ValueRange outer) {
            IndexMath math(b, loc);
            Value g = outer[0], ci = outer[1];
            // Element (g, tap, ci, co) of the packed weight.
            auto packedIndex = [&](IndexMath &math, Value tap, Value co) {
              return math.add(
                  math.mul(math.add(math.mul(math.add(math.mul(g, taps), tap),
                                             inPerGroup),
                                    ci),
                           channels),
                  co);
            };
            SmallVector<Value> loops = {math.constant(outPerGroup)};
            for (const PhaseAxis &axis : axes)
              loops.push_back(math.constant(axis.kernel));
            buildNestedLoops(
                b, loc, loops, {},
                [&](OpBuilder &b, Location loc, ValueRange ivs,
                    ValueRange) -> SmallVector<Value> {
                  IndexMath math(b, loc);
                  Value co = ivs[0], tap = math.constant(0);
                  SmallVector<Value> source = {g, ci, co};
                  for (size_t a = 0; a < axes.size(); ++a) {
                    source.push_back(ivs[1 + a]);
                    tap = math.add(math.mul(tap, axes[a].kernel), ivs[1 + a]);
                  }
                  Value w = memref::LoadOp::create(b, loc, weight, source);
                  memref::StoreOp::create(b, loc, widen(b, loc, w), packed,
                                          packedIndex(math, tap, co));
                  return {};
                });
            if (channels == outPerGroup)
              return;
            Value zeroFloat =
                arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
            buildNestedLoops(
                b, loc,
                {math.constant(taps), math.constant(channels - outPerGroup)},
                {},
                [&](OpBuilder &b, Location loc, ValueRange ivs,
                    ValueRange) -> SmallVector<Value> {
                  IndexMath math(b, loc);
                  Value co = math.add(ivs[1], outPerGroup);
                  memref::StoreOp::create(b, loc, zeroFloat, packed,
                                          packedIndex(math, ivs[0], co));
                  return {};
                });
          });
    }

    /// What the loops of one (n, g, phase..., chunk) iteration share.
    struct Task {
      Value n, g;
      SmallVector<Phase<Value>> phases;
      SmallVector<Value> positions; ///< Q per axis, >= 0.
      Value begin, end;             ///< The chunk's positions of the phase.
      Value image;                  ///< n * G + g.
    };

    /// Per axis, the position q of the phase's position number j (j counts
    /// along the last axis first).
    SmallVector<Value> positionOf(IndexMath &math, const Task &task,
                                  Value j) const {
      SmallVector<Value> q(axes.size());
      for (int64_t a = axes.size() - 1; a > 0; --a) {
        q[a] = math.rem(j, task.positions[a]);
        j = math.div(j, task.positions[a]);
      }
      q[0] = j;
      return q;
    }

    /// The padded input's position (within an image and channel) of tap 0
    /// for output position q.
    Value paddedPositionOf(IndexMath &math, const Task &task,
                           ArrayRef<Value> q) const {
      Value position = math.constant(0);
      for (size_t a = 0; a < axes.size(); ++a)
        position = math.add(
            position,
            math.mul(math.add(math.add(q[a], task.phases[a].inputShift),
                              padding[a].low),
                     paddedStrides[a]));
      return position;
    }

    /// For taps m of the phase: the padded-input positions they move back
    /// by, and their index into the weight's K axes.
    std::pair<Value, Value> tapOffsets(IndexMath &math, const Task &task,
                                       ValueRange m) const {
      Value back = math.constant(0), k = math.constant(0);
      for (size_t a = 0; a < axes.size(); ++a) {
        back = math.add(back, math.mul(math.mul(m[a], axes[a].inputStep),
                                       paddedStrides[a]));
        k = math.add(math.mul(k, axes[a].kernel),
                     math.add(task.phases[a].firstTap,
                              math.mul(m[a], axes[a].phaseStride)));
      }
      return {back, k};
    }

    using TapValues = SmallVector<Value, 8>;
    /// The multiply-adds of a tile: loops over the taps of the phase, then
    /// over the input channels, carrying the accumulators from `init`.
    /// `atTap` turns a tap (the padded-input positions it moves back by, its
    /// index into the weight's K axes) into what its channel loop reads;
    /// `atChannel` returns the accumulators after input channel `ci`.
    SmallVector<Value> buildReduction(
        OpBuilder &b, Location loc, const Task &task, ValueRange init,
        llvm::function_ref<TapValues(OpBuilder &, Location, Value back,
                                     Value k)>
            atTap,
        llvm::function_ref<SmallVector<Value>(OpBuilder &, Location,
                                              ArrayRef<Value> tap, Value ci,
                                              ValueRange acc)>
            atChannel) const {
      SmallVector<Value> tapCounts;
      for (const Phase<Value> &phase : task.phases)
        tapCounts.push_back(phase.tapCount);
      return buildNestedLoops(
          b, loc, tapCounts, init,
          [&](OpBuilder &b, Location loc, ValueRange m,
              ValueRange carried) -> SmallVector<Value> {
            IndexMath math(b, loc);
            auto [back, k] = tapOffsets(math, task, m);
            TapValues tap = atTap(b, loc, back, k);
            return buildNestedLoops(
                b, loc, {math.constant(inPerGroup)}, carried,
                [&](OpBuilder &b, Location loc, ValueRange ci, ValueRange acc) {
                  return atChannel(b, loc, tap, ci.front(), acc);
                });
          });
    }

    /// The output index of (n, g, co) at position q of the phase.
    SmallVector<Value> outputIndex(IndexMath &math, const Task &task, Value co,
                                   ArrayRef<Value> q) const {
      SmallVector<Value> index = {task.n, task.g, co};
      for (size_t a = 0; a < axes.size(); ++a)
        index.push_back(
            math.add(task.phases[a].phase, math.mul(q[a], axes[a].stride)));
      return index;
    }

    /// Positions of the last axis one position tile covers.
    int64_t getPositionSpan() const { return positionVectors * tile.width; }

    /// The units of work of a phase with `positions` per axis: positions
    /// for channel tiles, position tiles otherwise.
    Value countUnits(IndexMath &math, ArrayRef<Value> positions) const {
      Value count = math.constant(1);
      for (size_t a = 0; a < positions.size(); ++a)
        count =
            math.mul(count, !channelTiles && a + 1 == positions.size()
                                ? math.ceilDiv(positions[a], getPositionSpan())
                                : positions[a]);
      return count;
    }

    void buildPhaseLoops(OpBuilder &b) {
      IndexMath math(b, loc);
      const int64_t numAxes = axes.size();
      const int64_t chunk =
          channelTiles ? tile.rows * kTilesPerChunk : kTilesPerChunk;
      // Phase 0 has the most positions on every axis.
      SmallVector<Value> mostPositions;
      for (int64_t a = 0; a < numAxes; ++a)
        mostPositions.push_back(
            math.ceilDiv(math.dim(result, 3 + a), axes[a].stride));
      SmallVector<Value> upper = {math.dim(result, 0), math.constant(groups)};
      for (const PhaseAxis &axis : axes)
        upper.push_back(math.constant(axis.stride));
      upper.push_back(math.ceilDiv(countUnits(math, mostPositions), chunk));
      buildParallelLoop(
          b, loc, upper, [&](OpBuilder &b, Location loc, ValueRange ivs) {
            IndexMath math(b, loc);
            Task task;
            task.n = ivs[0];
            task.g = ivs[1];
            task.image = math.add(math.mul(task.n, groups), task.g);
            for (int64_t a = 0; a < numAxes; ++a) {
              task.phases.push_back(computePhase(math, axes[a], ivs[2 + a],
                                                 math.dim(result, 3 + a)));
              task.positions.push_back(
                  math.max(task.phases.back().outputs, math.constant(0)));
            }
            task.begin = math.mul(ivs.back(), chunk);
            task.end = math.min(math.add(task.begin, chunk),
                                countUnits(math, task.positions));
            if (channelTiles)
              buildChannelTiles(b, loc, task);
            else
              buildPositionTiles(b, loc, task);
          });
    }

    /// Channel tiles: `rows` positions x `vectors` vectors of channels, one
    /// broadcast input value and one weight vector per multiply-add.
    void buildChannelTiles(OpBuilder &b, Location loc, const Task &task) {
      IndexMath math(b, loc);
      const int64_t blockChannels = tile.vectors * tile.width;
      Value scratch = memref::AllocOp::create(
          b, loc, MemRefType::get({tile.rows, blockChannels}, b.getF32Type()),
          b.getI64IntegerAttr(64));
      const int64_t fullBlocks = paddedChannels / blockChannels;
      const int64_t tailVectors = (paddedChannels % blockChannels) / tile.width;
      if (fullBlocks > 0)
        scf::ForOp::create(
            b, loc, math.constant(0), math.constant(fullBlocks * blockChannels),
            math.constant(blockChannels), ValueRange{},
            [&](OpBuilder &b, Location loc, Value block, ValueRange) {
              buildChannelBlock(b, loc, task, scratch, block, tile.vectors);
              scf::YieldOp::create(b, loc);
            });
      if (tailVectors > 0)
        buildChannelBlock(b, loc, task, scratch,
                          math.constant(fullBlocks * blockChannels),
                          tailVectors);
    }

    /// The tiles of a chunk for the `vectors` x width channels from
    /// `block` on.
    void buildChannelBlock(OpBuilder &b, Location loc, const Task &task,
                           Value scratch, Value block, int64_t vectors) {
      IndexMath math(b, loc);
      const int64_t rows = tile.rows, width = tile.width;
      auto vectorType = VectorType::get({width}, b.getF32Type());
      scf::ForOp::create(
          b, loc, task.begin, task.end, math.constant(rows), ValueRange{},
          [&](OpBuilder &b, Location loc, Value first, ValueRange) {
            IndexMath math(b, loc);
            // Rows past the chunk repeat its last position: they read inside
            // the input and store that position's values once more.
            Value last = math.add(task.end, -1);
            Value image = math.mul(task.image, paddedPositions);
            SmallVector<Value> rowInput;
            SmallVector<SmallVector<Value>> rowPositions;
            for (int64_t r = 0; r < rows; ++r) {
              Value j = math.min(math.add(first, r), last);
              rowPositions.push_back(positionOf(math, task, j));
              Value position = paddedPositionOf(math, task, rowPositions[r]);
              rowInput.push_back(
                  math.mul(math.add(image, position), inPerGroup));
            }
            Value zeroVector = arith::ConstantOp::create(
                b, loc, vectorType, b.getZeroAttr(vectorType));
            SmallVector<Value> init(rows * vectors, zeroVector);
            SmallVector<Value> acc = buildReduction(
                b, loc, task, init,
                // Per tap: the weight row, then each row's input.
                [&](OpBuilder &b, Location loc, Value back, Value k) {
                  IndexMath math(b, loc);
                  TapValues tap = {
                      math.add(math.mul(math.add(math.mul(task.g, taps), k),
                                        inPerGroup * paddedChannels),
                               block)};
                  Value inputBack = math.mul(back, inPerGroup);
                  for (int64_t r = 0; r < rows; ++r)
                    tap.push_back(math.sub(rowInput[r], inputBack));
                  return tap;
                },
                [&](OpBuilder &b, Location loc, ArrayRef<Value> tap, Value ci,
                    ValueRange acc) {
                  IndexMath math(b, loc);
                  SmallVector<Value> inputAt;
                  for (int64_t r = 0; r < rows; ++r)
                    inputAt.push_back(math.add(tap[1 + r], ci));
                  return accumulateTileStep(
                      b, loc, packed,
                      math.add(tap[0], math.mul(ci, paddedChannels)), width,
                      padded, inputAt, acc);
                });
            for (int64_t r = 0; r < rows; ++r)
              for (int64_t c = 0; c < vectors; ++c)
                vector::StoreOp::create(
                    b, loc, acc[r * vectors + c], scratch,
                    ValueRange{math.constant(r), math.constant(c * width)});

            // The tile's real channels to the output, each channel's rows
            // in turn, so consecutive stores stay on one output line. Rows
            // past the chunk store their last position's value once more.
            Value realChannels =
                math.min(math.constant(vectors * width),
                         math.sub(math.constant(outPerGroup), block));
            scf::ForOp::create(
                b, loc, math.constant(0), realChannels, math.constant(1),
                ValueRange{},
                [&](OpBuilder &b, Location loc, Value c, ValueRange) {
                  IndexMath math(b, loc);
                  Value co = math.add(block, c);
                  Value biasValue;
                  if (bias)
                    biasValue =
                        widen(b, loc,
                              memref::LoadOp::create(b, loc, bias,
                                                     ValueRange{task.g, co}));
                  for (int64_t r = 0; r < rows; ++r) {
                    Value value = memref::LoadOp::create(
                        b, loc, scratch, ValueRange{math.constant(r), c});
                    if (biasValue)
                      value = arith::AddFOp::create(b, loc, value, biasValue);
                    memref::StoreOp::create(
                        b, loc, narrow(b, loc, value), result,
                        outputIndex(math, task, co, rowPositions[r]));
                  }
                  scf::YieldOp::create(b, loc);
                });
            scf::YieldOp::create(b, loc);
          });
    }

    /// Position tiles, for fewer output channels than a vector holds:
    /// `positionVectors` vectors of consecutive positions on the last axis,
    /// whose inputs are consecutive too, times every channel of the group; one
    /// input vector and one broadcast weight per multiply-add. Lanes past
    /// the last position are masked off.
    void buildPositionTiles(OpBuilder &b, Location loc, const Task &task) {
      IndexMath math(b, loc);
      const int64_t numAxes = axes.size(), rows = positionVectors,
                    width = tile.width, span = getPositionSpan();
      auto vectorType = VectorType::get({width}, b.getF32Type());
      auto maskType = VectorType::get({width}, b.getI1Type());
      const int64_t lastAxis = numAxes - 1;
      const int64_t lastStride = axes[lastAxis].stride;
      Value lastPositions = task.positions[lastAxis];
      Value tilesPerLine = math.ceilDiv(lastPositions, span);
      // Strided outputs leave a vector through this buffer.
      Value scratch;
      if (lastStride != 1)
        scratch = memref::AllocOp::create(
            b, loc, MemRefType::get({width}, b.getF32Type()),
            b.getI64IntegerAttr(64));

      scf::ForOp::create(
          b, loc, task.begin, task.end, math.constant(1), ValueRange{},
          [&](OpBuilder &b, Location loc, Value unit, ValueRange) {
            IndexMath math(b, loc);
            Value line = math.div(unit, tilesPerLine);
            Value firstLast = math.mul(math.rem(unit, tilesPerLine), span);
            // q of the tile's first position: the line's outer axes, then
            // the first position on the last axis.
            SmallVector<Value> q(numAxes);
            q[lastAxis] = firstLast;
            for (int64_t a = lastAxis - 1; a >= 0; --a) {
              q[a] = a == 0 ? line : math.rem(line, task.positions[a]);
              line = a == 0 ? line : math.div(line, task.positions[a]);
            }
            Value position = paddedPositionOf(math, task, q);
            SmallVector<Value> masks, lanes;
            for (int64_t v = 0; v < rows; ++v) {
              Value left =
                  math.sub(lastPositions, math.add(firstLast, v * width));
              lanes.push_back(math.max(math.min(left, math.constant(width)),
                                       math.constant(0)));
              masks.push_back(vector::CreateMaskOp::create(
                  b, loc, maskType, ValueRange{lanes.back()}));
            }
            Value zeroVector = arith::ConstantOp::create(
                b, loc, vectorType, b.getZeroAttr(vectorType));
            SmallVector<Value> init(rows * outPerGroup, zeroVector);
            Value channelBase =
                math.mul(math.mul(task.image, inPerGroup), paddedPositions);
            SmallVector<Value> acc = buildReduction(
                b, loc, task, init,
                // Per tap: the input of the tile's first position, and the
                // weight row.
                [&](OpBuilder &b, Location loc, Value back, Value k) {
                  IndexMath math(b, loc);
                  return TapValues{
                      math.sub(math.add(channelBase, position), back),
                      math.mul(math.add(math.mul(task.g, taps), k),
                               inPerGroup * outPerGroup)};
                },
                [&](OpBuilder &b, Location loc, ArrayRef<Value> tap, Value ci,
                    ValueRange acc) {
                  IndexMath math(b, loc);
                  Value at = math.add(tap[0], math.mul(ci, paddedPositions));
                  SmallVector<Value> x;
                  for (int64_t v = 0; v < rows; ++v)
                    x.push_back(vector::MaskedLoadOp::create(
                        b, loc, vectorType, padded,
                        ValueRange{math.add(at, v * width)}, masks[v],
                        zeroVector));
                  Value weightAt = math.add(tap[1], math.mul(ci, outPerGroup));
                  SmallVector<Value> next(acc.begin(), acc.end());
                  for (int64_t co = 0; co < outPerGroup; ++co) {
                    Value w = vector::BroadcastOp::create(
                        b, loc, vectorType,
                        memref::LoadOp::create(
                            b, loc, packed,
                            ValueRange{math.add(weightAt, co)}));
                    for (int64_t v = 0; v < rows; ++v)
                      next[v * outPerGroup + co] = vector::FMAOp::create(
                          b, loc, x[v], w, acc[v * outPerGroup + co]);
                  }
                  return next;
                });

            // To the output: contiguous on a stride-1 last axis, else lane
            // by lane.
            for (int64_t co = 0; co < outPerGroup; ++co) {
              Value channel = math.constant(co);
              Value biasVector;
              if (bias)
                biasVector = vector::BroadcastOp::create(
                    b, loc, vectorType,
                    widen(b, loc,
                          memref::LoadOp::create(b, loc, bias,
                                                 ValueRange{task.g, channel})));
              for (int64_t v = 0; v < rows; ++v) {
                Value value = acc[v * outPerGroup + co];
                if (biasVector)
                  value = arith::AddFOp::create(b, loc, value, biasVector);
                SmallVector<Value> at(q);
                at[lastAxis] = math.add(firstLast, v * width);
                SmallVector<Value> index = outputIndex(math, task, channel, at);
                if (lastStride == 1) {
                  vector::MaskedStoreOp::create(b, loc, result, index, masks[v],
                                                narrow(b, loc, value));
                  continue;
                }
                vector::StoreOp::create(b, loc, value, scratch,
                                        ValueRange{math.constant(0)});
                scf::ForOp::create(
                    b, loc, math.constant(0), lanes[v], math.constant(1),
                    ValueRange{},
                    [&](OpBuilder &b, Location loc, Value lane, ValueRange) {
                      IndexMath math(b, loc);
                      SmallVector<Value> laneIndex(index);
                      laneIndex.back() =
                          math.add(index.back(), math.mul(lane, lastStride));
                      Value x = memref::LoadOp::create(b, loc, scratch, lane);
                      memref::StoreOp::create(b, loc, narrow(b, loc, x), result,
                                              laneIndex);
                      scf::YieldOp::create(b, loc);
                    });
              }
            }
            scf::YieldOp::create(b, loc);
          });
    }
  };

  TileShape tile;
  KernelForm form;
};

// --deconv-lower-to-vectors
struct DeconvToVectorsPass
    : impl::DeconvToVectorsPassBase<DeconvToVectorsPass> {
  using DeconvToVectorsPassBase::DeconvToVectorsPassBase;
  void runOnOperation() override {
    if (vectorWidth < 1 || tileRows < 1 || tileVectors < 1) {
      getOperation()->emitError()
          << "deconv-lower-to-vectors: vector-width, tile-rows and "
             "tile-vectors must be >= 1";
      return signalPassFailure();
    }
    std::optional<KernelForm> kernelForm =
        llvm::StringSwitch<std::optional<KernelForm>>(form)
            .Case("auto", KernelForm::Auto)
            .Case("phases", KernelForm::Phases)
            .Case("columns", KernelForm::Columns)
            .Default(std::nullopt);
    if (!kernelForm) {
      getOperation()->emitError()
          << "deconv-lower-to-vectors: form must be auto, phases or columns, "
             "not '"
          << form << "'";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<GroupedDeconvToVectors>(
        &getContext(), TileShape{vectorWidth, tileRows, tileVectors},
        *kernelForm);
    // The micro-kernels are f32: integer deconvolutions take the loop nest.
    populateDeconvToLoopsPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
} // namespace mlir::deconv
