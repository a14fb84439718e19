//===- QuantizationArithmetic.cpp - Q/DQ element arithmetic ---------------===//
//
// ONNX's rounding in f32: divide (IEEE), round half to even, add the zero
// point, saturate, and send a NaN to the zero point.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/QuantizationArithmetic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

Value mlir::deconv::castBits(OpBuilder &builder, Location loc, Value value,
                             Type to) {
  if (value.getType() == to)
    return value;
  return UnrealizedConversionCastOp::create(builder, loc, to, value)
      .getResult(0);
}

Value mlir::deconv::widenToI32(OpBuilder &builder, Location loc,
                               Value element) {
  Type i32 = builder.getI32Type();
  const bool isUnsigned = element.getType().isUnsignedInteger();
  Value bits = castBits(builder, loc, element, builder.getI8Type());
  if (isUnsigned)
    return arith::ExtUIOp::create(builder, loc, i32, bits);
  return arith::ExtSIOp::create(builder, loc, i32, bits);
}

Value mlir::deconv::quantizeToInteger(OpBuilder &builder, Location loc,
                                      Value value, Value scale,
                                      Value zeroPoint,
                                      IntegerType integerType) {
  const bool isUnsigned = integerType.isUnsigned();
  Value scaled = arith::DivFOp::create(builder, loc, value, scale);
  Value rounded = math::RoundEvenOp::create(builder, loc, scaled);
  Value shifted = arith::AddFOp::create(builder, loc, rounded, zeroPoint);
  auto bound = [&](float limit) {
    return arith::ConstantOp::create(builder, loc,
                                     builder.getF32FloatAttr(limit));
  };
  Value low = bound(isUnsigned ? 0.0f : -128.0f),
        high = bound(isUnsigned ? 255.0f : 127.0f);
  Value saturated = arith::MinimumFOp::create(
      builder, loc, arith::MaximumFOp::create(builder, loc, shifted, low),
      high);
  Value isNan = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::UNO,
                                      scaled, scaled);
  saturated =
      arith::SelectOp::create(builder, loc, isNan, zeroPoint, saturated);
  Value wide =
      arith::FPToSIOp::create(builder, loc, builder.getI32Type(), saturated);
  Value narrow =
      arith::TruncIOp::create(builder, loc, builder.getI8Type(), wide);
  return castBits(builder, loc, narrow, integerType);
}

Value mlir::deconv::requantize(OpBuilder &builder, Location loc, Value acc,
                               Value multiplier, Value bias, Value scale,
                               Value zeroPoint, IntegerType integerType) {
  Value value = arith::MulFOp::create(
      builder, loc,
      arith::SIToFPOp::create(builder, loc, builder.getF32Type(), acc),
      multiplier);
  if (bias)
    value = arith::AddFOp::create(builder, loc, value, bias);
  return quantizeToInteger(builder, loc, value, scale, zeroPoint, integerType);
}
