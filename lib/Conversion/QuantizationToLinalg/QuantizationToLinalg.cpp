//===- QuantizationToLinalg.cpp - Q/DQ as element-wise linalg ------------===//
//
// `deconv.quantize` and `deconv.dequantize` as one `linalg.generic` each,
// with ONNX's arithmetic in f32 (IR.md, "Quantization"). Scales and zero
// points enter the body as constants (per tensor) or as constant vectors
// read at the `axis` index (per channel); the element arithmetic is
// QuantizationArithmetic.h's.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/Passes.h"
#include "deconv/Conversion/QuantizationArithmetic.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h" // The pass's dependent dialect.
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_QUANTIZATIONTOLINALGPASS
#include "deconv/Conversion/Passes.h.inc"
} // namespace mlir::deconv

using namespace mlir;
using namespace mlir::deconv;

namespace {

/// What both lowerings share: the identity-mapped generic over `input`
/// into a fresh tensor of `resultType`, with the scale and zero point as
/// values in the body (`zeroPointType`: f32 for quantize, i32 for
/// dequantize).
template <typename OpType>
LogicalResult
lowerElementwise(OpType op, PatternRewriter &rewriter, Type zeroPointType,
                 function_ref<Value(OpBuilder &, Location, Value element,
                                    Value scale, Value zeroPoint)>
                     compute) {
  Location loc = op.getLoc();
  Value input = op.getInput();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  const int64_t rank = inputType.getRank();
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < rank; ++d)
    if (inputType.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, input, d));
  Value init =
      tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                              resultType.getElementType(), dynamicSizes);

  ArrayRef<float> scales = op.getScale();
  ArrayRef<int64_t> zeroPoints = op.getZeroPoint();
  auto zeroPointAttr = [&](int64_t value) -> TypedAttr {
    if (isa<FloatType>(zeroPointType))
      return rewriter.getF32FloatAttr(static_cast<float>(value));
    return rewriter.getI32IntegerAttr(static_cast<int32_t>(value));
  };
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {identity};
  if (!op.isPerTensor()) {
    // Constant vectors indexed by the axis.
    const int64_t channels = static_cast<int64_t>(scales.size());
    auto scaleType = RankedTensorType::get({channels}, rewriter.getF32Type());
    auto zeroType = RankedTensorType::get({channels}, zeroPointType);
    SmallVector<Attribute> zeros;
    for (int64_t value : zeroPoints)
      zeros.push_back(zeroPointAttr(value));
    inputs.push_back(arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(scaleType, scales)));
    inputs.push_back(arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(zeroType, zeros)));
    AffineMap channel = AffineMap::get(
        rank, 0,
        rewriter.getAffineDimExpr(static_cast<unsigned>(*op.getAxis())));
    maps.push_back(channel);
    maps.push_back(channel);
  }
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, resultType, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &builder, Location loc, ValueRange arguments) {
        Value scale, zeroPoint;
        if (op.isPerTensor()) {
          scale = arith::ConstantOp::create(
              builder, loc, builder.getF32FloatAttr(scales.front()));
          zeroPoint = arith::ConstantOp::create(
              builder, loc, zeroPointAttr(zeroPoints.front()));
        } else {
          scale = arguments[1];
          zeroPoint = arguments[2];
        }
        linalg::YieldOp::create(
            builder, loc,
            compute(builder, loc, arguments[0], scale, zeroPoint));
      });
  rewriter.replaceOp(op, generic->getResults());
  return success();
}

struct LowerQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto integerType =
        cast<IntegerType>(op.getResult().getType().getElementType());
    return lowerElementwise(
        op, rewriter, rewriter.getF32Type(),
        [&](OpBuilder &builder, Location loc, Value element, Value scale,
            Value zeroPoint) {
          Type f32 = builder.getF32Type();
          if (element.getType() != f32)
            element = arith::ExtFOp::create(builder, loc, f32, element);
          return quantizeToInteger(builder, loc, element, scale, zeroPoint,
                                   integerType);
        });
  }
};

struct LowerDequantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    Type floatType = op.getResult().getType().getElementType();
    return lowerElementwise(
        op, rewriter, rewriter.getI32Type(),
        [&](OpBuilder &builder, Location loc, Value element, Value scale,
            Value zeroPoint) -> Value {
          Type f32 = builder.getF32Type();
          Value wide = widenToI32(builder, loc, element);
          Value centered = arith::SubIOp::create(builder, loc, wide, zeroPoint);
          Value value = arith::MulFOp::create(
              builder, loc,
              arith::SIToFPOp::create(builder, loc, f32, centered), scale);
          if (floatType != f32)
            value = arith::TruncFOp::create(builder, loc, floatType, value);
          return value;
        });
  }
};

struct QuantizationToLinalgPass
    : mlir::deconv::impl::QuantizationToLinalgPassBase<
          QuantizationToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerQuantize, LowerDequantize>(&getContext());
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
