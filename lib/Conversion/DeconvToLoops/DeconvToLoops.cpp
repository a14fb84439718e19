//===- DeconvToLoops.cpp - grouped_deconv to gather-form loop nests -------===//
//
// The loop nest both targets start from: the gather form with stride-phase
// decomposition of DeconvPhases.h (which derives the formulas), so the outputs
// of a phase are an ordinary stride-1 stencil over the input, every tap that
// is visited contributes, and each output is written once.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/LoweringSupport.h"
#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"

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

using PhaseValues = Phase<Value>;

struct GroupedDeconvLowering : OpRewritePattern<GroupedDeconvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GroupedDeconvOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<PhaseAxis> axes = getPhaseAxes(op);
    if ((int64_t)axes.size() != op.getNumSpatialDims())
      return rewriter.notifyMatchFailure(op, "the op does not verify");

    Value input = getReadBuffer(rewriter, loc, op.getInput());
    Value weight = getReadBuffer(rewriter, loc, op.getWeight());
    Value bias = getReadBuffer(rewriter, loc, op.getBias());
    Value result = allocateResult(rewriter, loc, op, axes, input);
    buildLoopNest(rewriter, loc, axes, input, weight, bias, result);
    replaceWithResult(rewriter, op, result);
    return success();
  }

private:
  static void buildLoopNest(OpBuilder &builder, Location loc,
                            ArrayRef<PhaseAxis> axes, Value input, Value weight,
                            Value bias, Value result) {
    // scf.parallel over (n, g, co, phase of each axis), then over the
    // positions of the phase.
    buildPhaseParallelLoop(builder, loc, result, axes,
                           [&](OpBuilder &b, Location loc, Value n, Value g,
                               Value co, ArrayRef<PhaseValues> phases) {
                             IndexMath math(b, loc);
                             SmallVector<Value> positions;
                             for (const PhaseValues &phase : phases)
                               positions.push_back(phase.outputs);
                             buildParallelLoop(
                                 b, loc, positions,
                                 [&](OpBuilder &b, Location loc, ValueRange q) {
                                   buildOutput(b, loc, axes, phases, n, g, co,
                                               q, input, weight, bias, result);
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
                         ValueRange taps, SmallVectorImpl<Value> &inputIndex,
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
          SmallVector<Value> sum = buildNestedLoops(
              b, loc, lo, hi, acc,
              [&](OpBuilder &b, Location loc, ValueRange taps,
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
};

// --deconv-lower-to-loops
struct DeconvToLoopsPass : impl::DeconvToLoopsPassBase<DeconvToLoopsPass> {
  using DeconvToLoopsPassBase::DeconvToLoopsPassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateDeconvToLoopsPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void populateDeconvToLoopsPatterns(RewritePatternSet &patterns) {
  patterns.add<GroupedDeconvLowering>(patterns.getContext());
}

} // namespace mlir::deconv
