//===- DeconvToLoops.cpp - grouped_deconv to gather-form loop nests -------===//
//
// The loop nest both targets start from: the gather form with stride-phase
// decomposition of DeconvPhases.h (which derives the formulas), so the outputs
// of a phase are an ordinary stride-1 stencil over the input, every tap that
// is visited contributes, and each output is written once. An integer
// deconvolution sums in i32 and requantizes each output as it stores it.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/LoweringSupport.h"
#include "deconv/Conversion/Passes.h"
#include "deconv/Conversion/QuantizationArithmetic.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_DECONVTOLOOPSPASS
#include "deconv/Conversion/Passes.h.inc"

namespace {

using PhaseValues = Phase<Value>;

/// How one output is summed and stored. Floats: an f32 sum from the bias,
/// rounded once to the element type. An integer deconvolution: an i32 sum of
/// (x - zx) * (w - zw[c]), then the requantization of its definition
/// (DeconvOps.td), with QuantizationArithmetic.h's rounding.
class OutputArithmetic {
public:
  /// What one output channel needs, read once per output.
  struct Channel {
    Value init, bias;
    Value weightZeroPoint, multiplier, outputScale, outputZeroPoint;
  };

  OutputArithmetic(OpBuilder &b, Location loc, GroupedDeconvOp op, Value bias)
      : element(op.getResult().getType().getElementType()), bias(bias),
        outPerGroup(op.getWeight().getType().getDimSize(2)),
        quantization(op.getQuantizationAttr()) {
    if (!quantization)
      return;
    inputZeroPoint = arith::ConstantOp::create(
        b, loc,
        b.getI32IntegerAttr(quantization.getInputZeroPoint().asArrayRef()[0]));
    SmallVector<int32_t> weightZeroPoints;
    for (int64_t zero : quantization.getWeightZeroPoint().asArrayRef())
      weightZeroPoints.push_back(static_cast<int32_t>(zero));
    weightZeroPoint = createTable(b, loc, ArrayRef<int32_t>(weightZeroPoints));
    Requantization tables = getRequantization(
        quantization, op.getWeight().getType().getDimSize(0) * outPerGroup);
    multiplier = createTable(b, loc, ArrayRef<float>(tables.multipliers));
    outputScale = createTable(b, loc, ArrayRef<float>(tables.outputScales));
    outputZeroPoint =
        createTable(b, loc, ArrayRef<float>(tables.outputZeroPoints));
  }

  Channel prepare(OpBuilder &b, Location loc, Value g, Value co) const {
    Channel channel;
    if (bias)
      channel.bias = widen(b, loc, memref::LoadOp::create(b, loc, bias,
                                                          ValueRange{g, co}));
    if (!quantization) {
      channel.init = channel.bias ? channel.bias
                                  : arith::ConstantOp::create(
                                        b, loc, b.getF32FloatAttr(0.0));
      return channel;
    }
    IndexMath math(b, loc);
    Value c = math.add(math.mul(g, outPerGroup), co);
    channel.init = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
    channel.weightZeroPoint = weightZeroPoint.read(b, loc, c);
    channel.multiplier = multiplier.read(b, loc, c);
    channel.outputScale = outputScale.read(b, loc, c);
    channel.outputZeroPoint = outputZeroPoint.read(b, loc, c);
    return channel;
  }

  Value multiplyAdd(OpBuilder &b, Location loc, const Channel &channel,
                    Value acc, Value x, Value w) const {
    if (!quantization) {
      Value product = arith::MulFOp::create(b, loc, widen(b, loc, x),
                                            widen(b, loc, w));
      return arith::AddFOp::create(b, loc, acc, product);
    }
    Value centeredInput = b.createOrFold<arith::SubIOp>(
        loc, widenToI32(b, loc, x), inputZeroPoint);
    Value centeredWeight = b.createOrFold<arith::SubIOp>(
        loc, widenToI32(b, loc, w), channel.weightZeroPoint);
    Value product = arith::MulIOp::create(b, loc, centeredInput, centeredWeight);
    return arith::AddIOp::create(b, loc, acc, product);
  }

  Value finish(OpBuilder &b, Location loc, const Channel &channel,
               Value acc) const {
    if (!quantization)
      return element.isF32() ? acc
                             : arith::TruncFOp::create(b, loc, element, acc)
                                   .getResult();
    return requantize(b, loc, acc, channel.multiplier, channel.bias,
                      channel.outputScale, channel.outputZeroPoint,
                      cast<IntegerType>(element));
  }

private:
  /// A per-channel parameter: a constant when one value covers every
  /// channel, else a constant buffer read at the output channel.
  struct Table {
    Value scalar, buffer;
    Value read(OpBuilder &b, Location loc, Value channel) const {
      return scalar ? scalar
                    : memref::LoadOp::create(b, loc, buffer, channel)
                          .getResult();
    }
  };

  template <typename T>
  static Table createTable(OpBuilder &b, Location loc, ArrayRef<T> values) {
    Type type = std::is_same_v<T, float> ? Type(b.getF32Type())
                                         : Type(b.getI32Type());
    if (llvm::all_equal(values)) {
      TypedAttr value;
      if constexpr (std::is_same_v<T, float>)
        value = b.getF32FloatAttr(values.front());
      else
        value = b.getI32IntegerAttr(values.front());
      return {arith::ConstantOp::create(b, loc, value), nullptr};
    }
    auto tensorType =
        RankedTensorType::get({static_cast<int64_t>(values.size())}, type);
    Value constant = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(tensorType, values));
    return {nullptr, getReadBuffer(b, loc, constant)};
  }

  Value widen(OpBuilder &b, Location loc, Value value) const {
    Type f32 = b.getF32Type();
    return value.getType() == f32
               ? value
               : arith::ExtFOp::create(b, loc, f32, value).getResult();
  }

  Type element;
  Value bias;
  int64_t outPerGroup;
  QuantizationAttr quantization;
  Value inputZeroPoint;
  Table weightZeroPoint, multiplier, outputScale, outputZeroPoint;
};

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
    OutputArithmetic arithmetic(rewriter, loc, op, bias);
    buildLoopNest(rewriter, loc, axes, input, weight, arithmetic, result);
    replaceWithResult(rewriter, op, result);
    return success();
  }

private:
  static void buildLoopNest(OpBuilder &builder, Location loc,
                            ArrayRef<PhaseAxis> axes, Value input, Value weight,
                            const OutputArithmetic &arithmetic, Value result) {
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
                                               q, input, weight, arithmetic,
                                               result);
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

  /// One output element: the taps that reach it, summed as `arithmetic`
  /// says.
  static void buildOutput(OpBuilder &b, Location loc, ArrayRef<PhaseAxis> axes,
                          ArrayRef<PhaseValues> phases, Value n, Value g,
                          Value co, ValueRange q, Value input, Value weight,
                          const OutputArithmetic &arithmetic, Value result) {
    IndexMath math(b, loc);
    SmallVector<Value> base, lo, hi;
    computeTapRanges(math, axes, phases, q, input, base, lo, hi);

    OutputArithmetic::Channel channel = arithmetic.prepare(b, loc, g, co);
    Value inChannels = math.dim(input, 2);
    auto channelLoop = scf::ForOp::create(
        b, loc, math.constant(0), inChannels, math.constant(1),
        ValueRange{channel.init},
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
                Value x = memref::LoadOp::create(b, loc, input, inputIndex);
                Value w = memref::LoadOp::create(b, loc, weight, weightIndex);
                return {arithmetic.multiplyAdd(b, loc, channel, acc.front(),
                                               x, w)};
              });
          scf::YieldOp::create(b, loc, sum);
        });

    memref::StoreOp::create(
        b, loc, arithmetic.finish(b, loc, channel, channelLoop.getResult(0)),
        result, outputIndex(math, axes, phases, q, {n, g, co}));
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
