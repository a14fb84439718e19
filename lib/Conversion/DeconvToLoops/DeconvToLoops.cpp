//===- DeconvToLoops.cpp - grouped_deconv to gather-form loop nests -------===//
//
// The loop nest both targets start from: the gather form with stride-phase
// decomposition of DeconvPhases.h (which derives the formulas), so the outputs
// of a phase are an ordinary stride-1 stencil over the input, every tap that
// is visited contributes, and each output is written once.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_DECONVTOLOOPSPASS
#include "deconv/Conversion/Passes.h.inc"

namespace {

/// Index arithmetic that folds constants, so static sizes stay constants.
class IndexMath {
public:
  using Value = mlir::Value;
  using Bool = mlir::Value;

  IndexMath(OpBuilder &builder, Location loc) : b(builder), loc(loc) {}

  Value constant(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value add(Value x, Value y) {
    return b.createOrFold<arith::AddIOp>(loc, x, y);
  }
  Value add(Value x, int64_t y) { return y == 0 ? x : add(x, constant(y)); }
  Value sub(Value x, Value y) {
    return b.createOrFold<arith::SubIOp>(loc, x, y);
  }
  Value mul(Value x, int64_t y) {
    return y == 1 ? x : b.createOrFold<arith::MulIOp>(loc, x, constant(y));
  }
  Value floorDiv(Value x, int64_t y) {
    return y == 1 ? x
                  : b.createOrFold<arith::FloorDivSIOp>(loc, x, constant(y));
  }
  Value ceilDiv(Value x, int64_t y) {
    return y == 1 ? x : b.createOrFold<arith::CeilDivSIOp>(loc, x, constant(y));
  }
  /// x mod y for x >= 0.
  Value rem(Value x, int64_t y) {
    return y == 1 ? constant(0)
                  : b.createOrFold<arith::RemUIOp>(loc, x, constant(y));
  }
  Value max(Value x, Value y) {
    return b.createOrFold<arith::MaxSIOp>(loc, x, y);
  }
  Value min(Value x, Value y) {
    return b.createOrFold<arith::MinSIOp>(loc, x, y);
  }
  Value lessThan(Value x, Value y) {
    return b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, y);
  }
  Value equal(Value x, Value y) {
    return b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, x, y);
  }
  Value both(Value x, Value y) {
    return b.createOrFold<arith::AndIOp>(loc, x, y);
  }
  Value select(Value condition, Value x, Value y) {
    return b.createOrFold<arith::SelectOp>(loc, condition, x, y);
  }

  /// The size of `memref`'s dimension `dim`, a constant when static.
  Value dim(Value memref, int64_t dim) {
    int64_t size = cast<MemRefType>(memref.getType()).getDimSize(dim);
    if (!ShapedType::isDynamic(size))
      return constant(size);
    return memref::DimOp::create(b, loc, memref, dim);
  }

private:
  OpBuilder &b;
  Location loc;
};

using PhaseValues = Phase<Value>;

/// Vector CPUs take the output channels innermost from this many on.
constexpr int64_t kMinChannelsInnermost = 8;

struct GroupedDeconvLowering : OpRewritePattern<GroupedDeconvOp> {
  GroupedDeconvLowering(MLIRContext *context, bool channelsInnermost)
      : OpRewritePattern(context), channelsInnermost(channelsInnermost) {}

  LogicalResult matchAndRewrite(GroupedDeconvOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getResult().getType();
    Type elementType = resultType.getElementType();
    const int64_t numSpatial = op.getNumSpatialDims();
    ArrayRef<int64_t> weightShape = op.getWeight().getType().getShape();

    SmallVector<PhaseAxis> axes = getPhaseAxes(op);
    if ((int64_t)axes.size() != numSpatial)
      return rewriter.notifyMatchFailure(op, "the op does not verify");

    // Channels innermost reads the weight as (G, Cin/G, K..., Cout/G), where
    // a row of output channels is contiguous.
    const bool rowOfChannels =
        channelsInnermost && weightShape[2] >= kMinChannelsInnermost;
    Value weightTensor = op.getWeight();
    if (rowOfChannels) {
      SmallVector<int64_t> permutation = {0, 1};
      for (int64_t a = 0; a < numSpatial; ++a)
        permutation.push_back(3 + a);
      permutation.push_back(2);
      weightTensor = transposeTensor(rewriter, loc, weightTensor, permutation);
    }

    auto bufferOf = [&](Value tensor) -> Value {
      if (!tensor)
        return nullptr;
      auto type = cast<RankedTensorType>(tensor.getType());
      return bufferization::ToBufferOp::create(
          rewriter, loc,
          MemRefType::get(type.getShape(), type.getElementType()), tensor,
          /*read_only=*/true);
    };
    Value input = bufferOf(op.getInput());
    Value weight = bufferOf(weightTensor);
    Value bias = bufferOf(op.getBias());

    // Dynamic result sizes: the batch, and O = (I-1)*S + L*(K-1)+1 - B - A.
    IndexMath math(rewriter, loc);
    SmallVector<Value> dynamicSizes;
    for (int64_t d = 0; d < resultType.getRank(); ++d) {
      if (!resultType.isDynamicDim(d))
        continue;
      if (d == 0) {
        dynamicSizes.push_back(math.dim(input, 0));
        continue;
      }
      dynamicSizes.push_back(
          computeOutputSize(math, axes[d - 3], math.dim(input, d)));
    }
    auto resultBufferType = MemRefType::get(resultType.getShape(), elementType);
    Value result =
        memref::AllocOp::create(rewriter, loc, resultBufferType, dynamicSizes,
                                rewriter.getI64IntegerAttr(64));

    buildLoopNest(rewriter, loc, axes, rowOfChannels, input, weight, bias,
                  result);

    rewriter.replaceOp(op, bufferization::ToTensorOp::create(
                               rewriter, loc, resultType, result,
                               /*restrict=*/rewriter.getUnitAttr(),
                               /*writable=*/rewriter.getUnitAttr()));
    return success();
  }

private:
  static void buildLoopNest(OpBuilder &builder, Location loc,
                            ArrayRef<PhaseAxis> axes, bool rowOfChannels,
                            Value input, Value weight, Value bias,
                            Value result) {
    IndexMath math(builder, loc);
    const int64_t numSpatial = axes.size();
    Value zero = math.constant(0), one = math.constant(1);

    // scf.parallel over (n, g, co, phase of each axis); the row variant
    // keeps the channels for its innermost loop.
    SmallVector<Value> upper = {math.dim(result, 0), math.dim(result, 1)};
    if (!rowOfChannels)
      upper.push_back(math.dim(result, 2));
    const int64_t firstPhase = upper.size();
    for (const PhaseAxis &axis : axes)
      upper.push_back(math.constant(axis.stride));
    SmallVector<Value> lower(upper.size(), zero), steps(upper.size(), one);
    scf::ParallelOp::create(
        builder, loc, lower, upper, steps,
        [&](OpBuilder &b, Location loc, ValueRange outer) {
          IndexMath math(b, loc);
          SmallVector<PhaseValues> phases;
          for (int64_t a = 0; a < numSpatial; ++a)
            phases.push_back(computePhase(math, axes[a], outer[firstPhase + a],
                                          math.dim(result, 3 + a)));
          SmallVector<Value> positions;
          for (const PhaseValues &phase : phases)
            positions.push_back(phase.outputs);
          SmallVector<Value> innerLower(numSpatial, math.constant(0)),
              innerSteps(numSpatial, math.constant(1));
          // One accumulator row per outer iteration, reused by every position
          // of the phase; heap memory, so each thread has its own and the
          // stack does not grow with the loop (deallocation frees it).
          Value row;
          if (rowOfChannels)
            row = memref::AllocOp::create(
                b, loc,
                MemRefType::get(
                    {cast<MemRefType>(result.getType()).getDimSize(2)},
                    b.getF32Type()),
                b.getI64IntegerAttr(64));
          scf::ParallelOp::create(
              b, loc, innerLower, positions, innerSteps,
              [&](OpBuilder &b, Location loc, ValueRange q) {
                if (rowOfChannels)
                  buildOutputRow(b, loc, axes, phases, outer[0], outer[1], q,
                                 input, weight, bias, row, result);
                else
                  buildOutput(b, loc, axes, phases, outer[0], outer[1],
                              outer[2], q, input, weight, bias, result);
              });
        });
  }

  /// Per axis, the start q + c0 and the taps m in [lo, hi) that keep
  /// 0 <= q + c0 - m*L' < I.
  static void computeTapRanges(IndexMath &math, ArrayRef<PhaseAxis> axes,
                               ArrayRef<PhaseValues> phases, ValueRange q,
                               Value input, SmallVectorImpl<Value> &base,
                               SmallVectorImpl<Value> &lo,
                               SmallVectorImpl<Value> &hi) {
    for (size_t a = 0; a < axes.size(); ++a) {
      TapRange<Value> range = computeTapRange(math, axes[a], phases[a], q[a],
                                              math.dim(input, 3 + a));
      base.push_back(range.start);
      lo.push_back(range.lo);
      hi.push_back(range.hi);
    }
  }

  /// Input and weight indices of the taps `taps` (weight spatial axes start
  /// at `weightSpatial`).
  static void tapIndices(IndexMath &math, ArrayRef<PhaseAxis> axes,
                         ArrayRef<PhaseValues> phases, ArrayRef<Value> base,
                         ArrayRef<Value> taps,
                         SmallVectorImpl<Value> &inputIndex,
                         SmallVectorImpl<Value> &weightIndex) {
    for (size_t a = 0; a < axes.size(); ++a) {
      auto [inputAt, weightAt] =
          computeTapIndices(math, axes[a], phases[a], base[a], taps[a]);
      inputIndex.push_back(inputAt);
      weightIndex.push_back(weightAt);
    }
  }

  /// Output position (p + S*q per axis) after `prefix`.
  static SmallVector<Value> outputIndex(IndexMath &math,
                                        ArrayRef<PhaseAxis> axes,
                                        ArrayRef<PhaseValues> phases,
                                        ValueRange q, ValueRange prefix) {
    SmallVector<Value> index(prefix.begin(), prefix.end());
    for (size_t a = 0; a < axes.size(); ++a)
      index.push_back(
          math.add(phases[a].phase, math.mul(q[a], axes[a].stride)));
    return index;
  }

  /// One output element: bias plus the taps that reach it.
  static void buildOutput(OpBuilder &b, Location loc, ArrayRef<PhaseAxis> axes,
                          ArrayRef<PhaseValues> phases, Value n, Value g,
                          Value co, ValueRange q, Value input, Value weight,
                          Value bias, Value result) {
    IndexMath math(b, loc);
    Type elementType = cast<MemRefType>(result.getType()).getElementType();
    Type accType = b.getF32Type();
    auto widen = [&](Value value) -> Value {
      return elementType == accType
                 ? value
                 : arith::ExtFOp::create(b, loc, accType, value).getResult();
    };

    SmallVector<Value> base, lo, hi;
    computeTapRanges(math, axes, phases, q, input, base, lo, hi);

    Value init =
        bias ? widen(memref::LoadOp::create(b, loc, bias, ValueRange{g, co}))
             : arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0))
                   .getResult();
    Value inChannels = math.dim(input, 2);
    auto channelLoop = scf::ForOp::create(
        b, loc, math.constant(0), inChannels, math.constant(1),
        ValueRange{init},
        [&](OpBuilder &b, Location loc, Value ci, ValueRange acc) {
          SmallVector<Value> taps;
          ValueRange sum = buildTapLoops(
              b, loc, base.size(), lo, hi, taps, acc,
              [&](OpBuilder &b, Location loc,
                  ValueRange acc) -> SmallVector<Value> {
                IndexMath math(b, loc);
                SmallVector<Value> inputIndex = {n, g, ci};
                SmallVector<Value> weightIndex = {g, ci, co};
                tapIndices(math, axes, phases, base, taps, inputIndex,
                           weightIndex);
                Value x =
                    widen(memref::LoadOp::create(b, loc, input, inputIndex));
                Value w =
                    widen(memref::LoadOp::create(b, loc, weight, weightIndex));
                Value product = arith::MulFOp::create(b, loc, x, w);
                return {arith::AddFOp::create(b, loc, acc.front(), product)};
              });
          scf::YieldOp::create(b, loc, sum);
        });

    Value value = channelLoop.getResult(0);
    if (elementType != accType)
      value = arith::TruncFOp::create(b, loc, elementType, value);
    memref::StoreOp::create(b, loc, value, result,
                            outputIndex(math, axes, phases, q, {n, g, co}));
  }

  /// All output channels of one position: the row of Cout/G accumulators
  /// gets each input value times a contiguous weight row.
  static void buildOutputRow(OpBuilder &b, Location loc,
                             ArrayRef<PhaseAxis> axes,
                             ArrayRef<PhaseValues> phases, Value n, Value g,
                             ValueRange q, Value input, Value weight,
                             Value bias, Value row, Value result) {
    auto resultType = cast<MemRefType>(result.getType());
    Type elementType = resultType.getElementType();
    Type accType = b.getF32Type();
    const int64_t outPerGroup = resultType.getDimSize(2);
    auto widen = [&](OpBuilder &b, Location loc, Value value) -> Value {
      return elementType == accType
                 ? value
                 : arith::ExtFOp::create(b, loc, accType, value).getResult();
    };

    OpBuilder &inner = b;
    IndexMath math(inner, loc);
    Value zero = math.constant(0), one = math.constant(1);
    Value channels = math.constant(outPerGroup);
    auto forEachChannel =
        [&](OpBuilder &b,
            llvm::function_ref<void(OpBuilder &, Location, Value)> body) {
          scf::ForOp::create(
              b, loc, zero, channels, one, ValueRange{},
              [&](OpBuilder &b, Location loc, Value co, ValueRange) {
                body(b, loc, co);
                scf::YieldOp::create(b, loc);
              });
        };

    forEachChannel(inner, [&](OpBuilder &b, Location loc, Value co) {
      Value init =
          bias ? widen(b, loc,
                       memref::LoadOp::create(b, loc, bias, ValueRange{g, co}))
               : arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0))
                     .getResult();
      memref::StoreOp::create(b, loc, init, row, co);
    });

    SmallVector<Value> base, lo, hi;
    computeTapRanges(math, axes, phases, q, input, base, lo, hi);
    scf::ForOp::create(
        inner, loc, zero, math.dim(input, 2), one, ValueRange{},
        [&](OpBuilder &b, Location loc, Value ci, ValueRange) {
          SmallVector<Value> taps;
          buildTapLoops(
              b, loc, base.size(), lo, hi, taps, ValueRange{},
              [&](OpBuilder &b, Location loc,
                  ValueRange) -> SmallVector<Value> {
                IndexMath math(b, loc);
                SmallVector<Value> inputIndex = {n, g, ci};
                SmallVector<Value> weightIndex = {g, ci};
                tapIndices(math, axes, phases, base, taps, inputIndex,
                           weightIndex);
                Value x = widen(
                    b, loc, memref::LoadOp::create(b, loc, input, inputIndex));
                forEachChannel(b, [&](OpBuilder &b, Location loc, Value co) {
                  SmallVector<Value> rowIndex(weightIndex);
                  rowIndex.push_back(co);
                  Value w = widen(
                      b, loc, memref::LoadOp::create(b, loc, weight, rowIndex));
                  Value acc = memref::LoadOp::create(b, loc, row, co);
                  Value product = arith::MulFOp::create(b, loc, x, w);
                  memref::StoreOp::create(
                      b, loc, arith::AddFOp::create(b, loc, acc, product), row,
                      co);
                });
                return {};
              });
          scf::YieldOp::create(b, loc);
        });

    forEachChannel(inner, [&](OpBuilder &b, Location loc, Value co) {
      IndexMath math(b, loc);
      Value value = memref::LoadOp::create(b, loc, row, co);
      if (elementType != accType)
        value = arith::TruncFOp::create(b, loc, elementType, value);
      memref::StoreOp::create(b, loc, value, result,
                              outputIndex(math, axes, phases, q, {n, g, co}));
    });
  }

  /// Nested tap loops m in [lo, hi), one per axis, carrying `carried`;
  /// `taps` holds the induction variables when `body` runs. Returns the
  /// carried values after the loops.
  static SmallVector<Value> buildTapLoops(
      OpBuilder &b, Location loc, size_t numAxes, ArrayRef<Value> lo,
      ArrayRef<Value> hi, SmallVectorImpl<Value> &taps, ValueRange carried,
      llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>
          body) {
    const size_t axis = taps.size();
    if (axis == numAxes)
      return body(b, loc, carried);
    IndexMath math(b, loc);
    auto loop = scf::ForOp::create(
        b, loc, lo[axis], hi[axis], math.constant(1), carried,
        [&](OpBuilder &b, Location loc, Value m, ValueRange values) {
          taps.push_back(m);
          SmallVector<Value> next =
              buildTapLoops(b, loc, numAxes, lo, hi, taps, values, body);
          taps.pop_back();
          scf::YieldOp::create(b, loc, next);
        });
    return SmallVector<Value>(loop.getResults());
  }

  bool channelsInnermost;
};

// --deconv-lower-to-loops
struct DeconvToLoopsPass : impl::DeconvToLoopsPassBase<DeconvToLoopsPass> {
  using DeconvToLoopsPassBase::DeconvToLoopsPassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateDeconvToLoopsPatterns(patterns, channelsInnermost);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void populateDeconvToLoopsPatterns(RewritePatternSet &patterns,
                                   bool channelsInnermost) {
  patterns.add<GroupedDeconvLowering>(patterns.getContext(), channelsInnermost);
}

} // namespace mlir::deconv
