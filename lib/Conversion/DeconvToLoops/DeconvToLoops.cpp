//===- DeconvToLoops.cpp - grouped_deconv to gather-form loop nests -------===//
//
// The loop nest both targets start from. For output position o on an axis
// with stride S, dilation L and start crop B, the taps that reach o satisfy
// k*L = o + B - i*S for some input i. Splitting the outputs into their S
// phases p = o mod S fixes the residue r = (p + B) mod S, and with it the taps:
// with g = gcd(S, L), S' = S/g and L' = L/g, taps exist only when g divides r,
// and then they are k = k0 + m*S' (m = 0, 1, ...) with k0 = (r/g) * inv(L')
// mod S', reading input i = q + c0 - m*L' for o = p + S*q. So per phase the
// taps are an arithmetic progression with a fixed count, and per output the
// range of m that stays inside the input is two divisions, hoisted out of
// every reduction loop.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <numeric>

namespace mlir::deconv {
#define GEN_PASS_DEF_DECONVTOLOOPSPASS
#include "deconv/Conversion/Passes.h.inc"

namespace {

/// Compile-time facts of one spatial axis.
struct AxisPlan {
  int64_t stride, dilation, kernel, preCrop, postCrop;
  int64_t gcd;         ///< g = gcd(S, L).
  int64_t phaseStride; ///< S' = S/g: step between the taps of one phase.
  int64_t inputStep;   ///< L' = L/g: input step between consecutive taps.
  int64_t inverse;     ///< inv(L') mod S' (0 when S' = 1).
};

/// The inverse of `a` modulo `m` (a and m coprime, m >= 1).
int64_t modularInverse(int64_t a, int64_t m) {
  if (m == 1)
    return 0;
  int64_t oldR = a % m, r = m, oldS = 1, s = 0;
  while (r != 0) {
    int64_t quotient = oldR / r;
    std::tie(oldR, r) = std::make_pair(r, oldR - quotient * r);
    std::tie(oldS, s) = std::make_pair(s, oldS - quotient * s);
  }
  return ((oldS % m) + m) % m;
}

AxisPlan planAxis(int64_t stride, int64_t dilation, int64_t kernel,
                  int64_t preCrop, int64_t postCrop) {
  AxisPlan plan{stride, dilation, kernel, preCrop, postCrop, 0, 0, 0, 0};
  plan.gcd = std::gcd(stride, dilation);
  plan.phaseStride = stride / plan.gcd;
  plan.inputStep = dilation / plan.gcd;
  plan.inverse = modularInverse(plan.inputStep, plan.phaseStride);
  return plan;
}

/// Index arithmetic that folds constants, so static sizes stay constants.
class IndexMath {
public:
  IndexMath(OpBuilder &builder, Location loc) : b(builder), loc(loc) {}

  Value constant(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value add(Value x, Value y) { return b.createOrFold<arith::AddIOp>(loc, x, y); }
  Value add(Value x, int64_t y) { return y == 0 ? x : add(x, constant(y)); }
  Value sub(Value x, Value y) { return b.createOrFold<arith::SubIOp>(loc, x, y); }
  Value mul(Value x, int64_t y) {
    return y == 1 ? x : b.createOrFold<arith::MulIOp>(loc, x, constant(y));
  }
  Value floorDiv(Value x, int64_t y) {
    return y == 1 ? x : b.createOrFold<arith::FloorDivSIOp>(loc, x, constant(y));
  }
  Value ceilDiv(Value x, int64_t y) {
    return y == 1 ? x : b.createOrFold<arith::CeilDivSIOp>(loc, x, constant(y));
  }
  /// x mod y for x >= 0.
  Value rem(Value x, int64_t y) {
    return y == 1 ? constant(0)
                  : b.createOrFold<arith::RemUIOp>(loc, x, constant(y));
  }
  Value max(Value x, Value y) { return b.createOrFold<arith::MaxSIOp>(loc, x, y); }
  Value min(Value x, Value y) { return b.createOrFold<arith::MinSIOp>(loc, x, y); }

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

/// Per-phase values of one axis, computed once per (n, g, co, phase).
struct PhaseValues {
  Value phase;      ///< p: outputs o = p + S*q.
  Value firstTap;   ///< k0.
  Value tapCount;   ///< M: taps of the phase (0 when none reach it).
  Value inputShift; ///< c0: input index of tap k0 at q = 0.
  Value outputs;    ///< Q: positions of the phase in the output.
};

PhaseValues computePhase(IndexMath &math, OpBuilder &b, Location loc,
                         const AxisPlan &axis, Value phase, Value outputSize) {
  PhaseValues values;
  values.phase = phase;
  // r = (p + B) mod S with a non-negative left side.
  int64_t preModStride =
      ((axis.preCrop % axis.stride) + axis.stride) % axis.stride;
  Value residue = math.rem(math.add(phase, preModStride), axis.stride);
  // k0 = (r/g * inv) mod S'; with g = 1 and inv = 1 that is r itself (< S).
  Value firstTap =
      axis.gcd == 1 && axis.inverse == 1
          ? residue
          : math.rem(math.mul(math.floorDiv(residue, axis.gcd), axis.inverse),
                     axis.phaseStride);
  // M = (K - 1 - k0) / S' + 1 when g divides r and k0 < K, else 0.
  Value count = math.add(
      math.floorDiv(math.sub(math.constant(axis.kernel - 1), firstTap),
                    axis.phaseStride),
      1);
  Value zero = math.constant(0);
  Value reachable = b.createOrFold<arith::CmpIOp>(
      loc, arith::CmpIPredicate::slt, firstTap, math.constant(axis.kernel));
  if (axis.gcd != 1)
    reachable = b.createOrFold<arith::AndIOp>(
        loc, reachable,
        b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::eq,
                                      math.rem(residue, axis.gcd), zero));
  values.tapCount =
      b.createOrFold<arith::SelectOp>(loc, reachable, count, zero);
  values.firstTap = firstTap;
  // c0 = (p + B - k0*L) / S, exact where taps exist.
  values.inputShift = math.floorDiv(
      math.sub(math.add(phase, axis.preCrop), math.mul(firstTap, axis.dilation)),
      axis.stride);
  values.outputs = math.ceilDiv(math.sub(outputSize, phase), axis.stride);
  return values;
}

struct GroupedDeconvLowering : OpRewritePattern<GroupedDeconvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GroupedDeconvOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getResult().getType();
    Type elementType = resultType.getElementType();
    const int64_t numSpatial = op.getNumSpatialDims();
    ArrayRef<int64_t> weightShape = op.getWeight().getType().getShape();

    SmallVector<AxisPlan> axes;
    for (int64_t a = 0; a < numSpatial; ++a)
      axes.push_back(planAxis(op.getStride()[a], op.getDilation()[a],
                              weightShape[3 + a], op.getPrePadding()[a],
                              op.getPostPadding()[a]));

    auto bufferOf = [&](Value tensor) -> Value {
      if (!tensor)
        return nullptr;
      auto type = cast<RankedTensorType>(tensor.getType());
      return bufferization::ToBufferOp::create(
          rewriter, loc, MemRefType::get(type.getShape(), type.getElementType()),
          tensor, /*read_only=*/true);
    };
    Value input = bufferOf(op.getInput());
    Value weight = bufferOf(op.getWeight());
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
      const AxisPlan &axis = axes[d - 3];
      Value inputSize = math.dim(input, d);
      dynamicSizes.push_back(math.add(
          math.mul(math.add(inputSize, -1), axis.stride),
          axis.dilation * (axis.kernel - 1) + 1 - axis.preCrop - axis.postCrop));
    }
    auto resultBufferType =
        MemRefType::get(resultType.getShape(), elementType);
    Value result = memref::AllocOp::create(rewriter, loc, resultBufferType,
                                           dynamicSizes,
                                           rewriter.getI64IntegerAttr(64));

    buildLoopNest(rewriter, loc, axes, input, weight, bias, result);

    rewriter.replaceOp(op, bufferization::ToTensorOp::create(
                               rewriter, loc, resultType, result,
                               /*restrict=*/rewriter.getUnitAttr(),
                               /*writable=*/rewriter.getUnitAttr()));
    return success();
  }

private:
  static void buildLoopNest(OpBuilder &builder, Location loc,
                            ArrayRef<AxisPlan> axes, Value input, Value weight,
                            Value bias, Value result) {
    IndexMath math(builder, loc);
    const int64_t numSpatial = axes.size();
    Value zero = math.constant(0), one = math.constant(1);

    // scf.parallel over (n, g, co, phase of each axis).
    SmallVector<Value> upper = {math.dim(result, 0), math.dim(result, 1),
                                math.dim(result, 2)};
    for (const AxisPlan &axis : axes)
      upper.push_back(math.constant(axis.stride));
    SmallVector<Value> lower(upper.size(), zero), steps(upper.size(), one);
    scf::ParallelOp::create(
        builder, loc, lower, upper, steps,
        [&](OpBuilder &b, Location loc, ValueRange outer) {
          IndexMath math(b, loc);
          SmallVector<PhaseValues> phases;
          for (int64_t a = 0; a < numSpatial; ++a)
            phases.push_back(computePhase(math, b, loc, axes[a], outer[3 + a],
                                          math.dim(result, 3 + a)));
          SmallVector<Value> positions;
          for (const PhaseValues &phase : phases)
            positions.push_back(phase.outputs);
          SmallVector<Value> innerLower(numSpatial, math.constant(0)),
              innerSteps(numSpatial, math.constant(1));
          scf::ParallelOp::create(
              b, loc, innerLower, positions, innerSteps,
              [&](OpBuilder &b, Location loc, ValueRange q) {
                buildOutput(b, loc, axes, phases, outer[0], outer[1], outer[2],
                            q, input, weight, bias, result);
              });
        });
  }

  /// One output element: bias plus the taps that reach it.
  static void buildOutput(OpBuilder &b, Location loc, ArrayRef<AxisPlan> axes,
                          ArrayRef<PhaseValues> phases, Value n, Value g,
                          Value co, ValueRange q, Value input, Value weight,
                          Value bias, Value result) {
    IndexMath math(b, loc);
    const int64_t numSpatial = axes.size();
    Type elementType = cast<MemRefType>(result.getType()).getElementType();
    Type accType = b.getF32Type();
    auto widen = [&](Value value) -> Value {
      return elementType == accType
                 ? value
                 : arith::ExtFOp::create(b, loc, accType, value).getResult();
    };

    // The taps m in [lo, hi) keep 0 <= q + c0 - m*L' < I.
    SmallVector<Value> base, lo, hi;
    for (int64_t a = 0; a < numSpatial; ++a) {
      const AxisPlan &axis = axes[a];
      Value inputSize = math.dim(input, 3 + a);
      Value start = math.add(q[a], phases[a].inputShift);
      base.push_back(start);
      lo.push_back(math.max(
          math.constant(0),
          math.ceilDiv(math.add(math.sub(start, inputSize), 1),
                       axis.inputStep)));
      hi.push_back(math.min(phases[a].tapCount,
                            math.add(math.floorDiv(start, axis.inputStep), 1)));
    }

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
          Value sum = buildTapLoops(b, loc, axes, phases, base, lo, hi, taps,
                                    acc.front(), [&](OpBuilder &b,
                                                     Location loc, Value acc) {
                                      IndexMath math(b, loc);
                                      SmallVector<Value> inputIndex = {n, g, ci};
                                      SmallVector<Value> weightIndex = {g, ci, co};
                                      for (int64_t a = 0; a < numSpatial; ++a) {
                                        inputIndex.push_back(math.sub(
                                            base[a],
                                            math.mul(taps[a], axes[a].inputStep)));
                                        weightIndex.push_back(math.add(
                                            phases[a].firstTap,
                                            math.mul(taps[a], axes[a].phaseStride)));
                                      }
                                      Value x = widen(memref::LoadOp::create(
                                          b, loc, input, inputIndex));
                                      Value w = widen(memref::LoadOp::create(
                                          b, loc, weight, weightIndex));
                                      Value product =
                                          arith::MulFOp::create(b, loc, x, w);
                                      return arith::AddFOp::create(b, loc, acc,
                                                                   product)
                                          .getResult();
                                    });
          scf::YieldOp::create(b, loc, sum);
        });

    Value value = channelLoop.getResult(0);
    if (elementType != accType)
      value = arith::TruncFOp::create(b, loc, elementType, value);
    SmallVector<Value> outputIndex = {n, g, co};
    for (int64_t a = 0; a < numSpatial; ++a)
      outputIndex.push_back(
          math.add(phases[a].phase, math.mul(q[a], axes[a].stride)));
    memref::StoreOp::create(b, loc, value, result, outputIndex);
  }

  /// Nested tap loops, one per axis, carrying the accumulator; `taps` holds
  /// the induction variables when `body` runs.
  static Value buildTapLoops(
      OpBuilder &b, Location loc, ArrayRef<AxisPlan> axes,
      ArrayRef<PhaseValues> phases, ArrayRef<Value> base, ArrayRef<Value> lo,
      ArrayRef<Value> hi, SmallVectorImpl<Value> &taps, Value acc,
      llvm::function_ref<Value(OpBuilder &, Location, Value)> body) {
    const size_t axis = taps.size();
    if (axis == axes.size())
      return body(b, loc, acc);
    IndexMath math(b, loc);
    auto loop = scf::ForOp::create(
        b, loc, lo[axis], hi[axis], math.constant(1), ValueRange{acc},
        [&](OpBuilder &b, Location loc, Value m, ValueRange carried) {
          taps.push_back(m);
          Value next = buildTapLoops(b, loc, axes, phases, base, lo, hi, taps,
                                     carried.front(), body);
          taps.pop_back();
          scf::YieldOp::create(b, loc, next);
        });
    return loop.getResult(0);
  }
};

// --deconv-lower-to-loops
struct DeconvToLoopsPass : impl::DeconvToLoopsPassBase<DeconvToLoopsPass> {
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
