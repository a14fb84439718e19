//===- IntegerDeconvAsFloats.cpp - integer sums on the f32 micro-kernels --===//
//
// -deconv-integer-deconv-as-floats: the CPU's vector micro-kernels are f32,
// and an f32 sum of integers is exact while every partial sum stays within
// 2^24. So an integer deconvolution runs as float deconvolutions of the
// centered values (x - zx and w - zw[c], exact in f32) over slices of its
// input channels small enough for that bound; each slice's sum converts to
// i32 exactly and is added in i32 (the whole slices in a loop, so one float
// deconvolution is compiled however many there are), and one element-wise
// epilogue requantizes as the op defines (QuantizationArithmetic.h). A
// layer whose taps alone could pass the bound keeps its integer loop nest.
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CPU/Passes.h"

#include "deconv/Conversion/QuantizationArithmetic.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_INTEGERDECONVASFLOATSPASS
#include "deconv/Target/CPU/Passes.h.inc"

namespace {

/// The largest integer below which every f32 integer is exact.
constexpr int64_t kExactF32Integers = int64_t(1) << 24;

/// A fresh tensor shaped like `like` (its dynamic sizes read from it) with
/// `elementType`.
Value emptyLike(OpBuilder &b, Location loc, Value like, Type elementType) {
  auto type = cast<RankedTensorType>(like.getType());
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, like, d));
  return tensor::EmptyOp::create(b, loc, type.getShape(), elementType,
                                 dynamicSizes);
}

/// A per-output-channel parameter as the epilogue reads it: a scalar when
/// one value covers every channel, else a (G, Cout/G) constant read at
/// (g, co).
struct ChannelTable {
  Value scalar, tensor;
};

ChannelTable createTable(OpBuilder &b, Location loc, ArrayRef<float> values,
                         int64_t groups, int64_t outPerGroup) {
  if (llvm::all_equal(values))
    return {arith::ConstantOp::create(b, loc, b.getF32FloatAttr(values[0])),
            nullptr};
  auto type = RankedTensorType::get({groups, outPerGroup}, b.getF32Type());
  return {nullptr, arith::ConstantOp::create(
                       b, loc, DenseElementsAttr::get(type, values))};
}

/// An element-wise linalg.generic over `inputs` (identity maps, or the
/// (g, co) map for rank-2 inputs) into a fresh tensor like `like`.
Value buildElementwise(
    OpBuilder &b, Location loc, ArrayRef<Value> inputs, Value like,
    Type elementType,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  const int64_t rank = cast<RankedTensorType>(like.getType()).getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap channel = AffineMap::get(
      rank, 0, {b.getAffineDimExpr(1), b.getAffineDimExpr(2)}, b.getContext());
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(cast<RankedTensorType>(input.getType()).getRank() == rank
                       ? identity
                       : channel);
  maps.push_back(identity);
  Value init = emptyLike(b, loc, like, elementType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange arguments) {
        linalg::YieldOp::create(b, loc, body(b, loc, arguments));
      });
  return generic.getResult(0);
}

/// `values` - zero point as f32 (exact): one zero point, or one per (g, co)
/// of a (G, Cig, Cog, K...) weight.
Value centerAsFloats(OpBuilder &b, Location loc, Value values,
                     ArrayRef<int64_t> zeroPoints) {
  auto type = cast<RankedTensorType>(values.getType());
  SmallVector<Value> inputs = {values};
  if (!llvm::all_equal(zeroPoints)) {
    SmallVector<int32_t> entries(zeroPoints.begin(), zeroPoints.end());
    auto tableType = RankedTensorType::get(
        {type.getDimSize(0), type.getDimSize(2)}, b.getI32Type());
    Value table = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(tableType, ArrayRef(entries)));
    inputs.push_back(table);
  }
  // The weight's (g, co) are its dimensions 0 and 2.
  const int64_t rank = type.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps = {identity};
  if (inputs.size() > 1)
    maps.push_back(AffineMap::get(
        rank, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(2)},
        b.getContext()));
  maps.push_back(identity);
  Value init = emptyLike(b, loc, values, b.getF32Type());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange arguments) {
        Value zero =
            inputs.size() > 1
                ? arguments[1]
                : arith::ConstantOp::create(
                      b, loc, b.getI32IntegerAttr(
                                  static_cast<int32_t>(zeroPoints.front())));
        Value centered = arith::SubIOp::create(
            b, loc, widenToI32(b, loc, arguments[0]), zero);
        linalg::YieldOp::create(
            b, loc,
            ValueRange{arith::SIToFPOp::create(b, loc, b.getF32Type(),
                                               centered)});
      });
  return generic.getResult(0);
}

/// A constant weight (G, Cig, Cog, K...) centered at compile time, input
/// channels [first, first + size), so the float lowering packs it then too;
/// nothing when the weight is not a constant.
Value centerConstantWeight(OpBuilder &b, Location loc, Value weight,
                           ArrayRef<int64_t> zeroPoints, int64_t first,
                           int64_t size) {
  std::optional<std::vector<int32_t>> values = getConstantIntegers(weight);
  if (!values)
    return nullptr;
  auto type = cast<RankedTensorType>(weight.getType());
  const int64_t groups = type.getDimSize(0), inPerGroup = type.getDimSize(1),
                outPerGroup = type.getDimSize(2);
  const int64_t taps =
      type.getNumElements() / (groups * inPerGroup * outPerGroup);
  std::vector<float> centered;
  centered.reserve(groups * size * outPerGroup * taps);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t ci = first; ci < first + size; ++ci)
      for (int64_t co = 0; co < outPerGroup; ++co) {
        const int64_t zero =
            zeroPoints.size() == 1 ? zeroPoints[0]
                                   : zeroPoints[g * outPerGroup + co];
        const int64_t at = ((g * inPerGroup + ci) * outPerGroup + co) * taps;
        for (int64_t tap = 0; tap < taps; ++tap)
          centered.push_back(static_cast<float>((*values)[at + tap] - zero));
      }
  SmallVector<int64_t> shape(type.getShape());
  shape[1] = size;
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()),
                             ArrayRef<float>(centered)));
}

/// `value`'s slice [offset, offset + size) along `dim`.
Value sliceAlong(OpBuilder &b, Location loc, Value value, int64_t dim,
                 OpFoldResult offset, int64_t size) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  offsets[dim] = offset;
  sizes[dim] = b.getIndexAttr(size);
  return tensor::ExtractSliceOp::create(b, loc, value, offsets, sizes,
                                        strides);
}

void expandIntegerDeconv(GroupedDeconvOp op) {
  QuantizationAttr quantization = op.getQuantizationAttr();
  ArrayRef<int64_t> weightShape = op.getWeight().getType().getShape();
  const int64_t groups = weightShape[0], inPerGroup = weightShape[1],
                outPerGroup = weightShape[2];
  int64_t taps = 1;
  for (int64_t size : weightShape.drop_front(3))
    taps *= size;
  const int64_t largest = getLargestIntegerProduct(
      quantization, op.getInput().getType().getElementType(),
      op.getWeight().getType().getElementType());
  // Input channels per slice: each f32 partial sum stays below 2^24.
  const int64_t sliceChannels =
      std::min(inPerGroup, kExactF32Integers / std::max<int64_t>(
                                                   taps * largest, 1));
  if (sliceChannels < 1)
    return; // The integer loop nest takes it.

  OpBuilder b(op);
  Location loc = op.getLoc();
  auto resultType = op.getResult().getType();
  auto floatResult = RankedTensorType::get(resultType.getShape(),
                                           b.getF32Type());
  ArrayRef<int64_t> inputZeroPoints =
      quantization.getInputZeroPoint().asArrayRef();
  ArrayRef<int64_t> weightZeroPoints =
      quantization.getWeightZeroPoint().asArrayRef();
  // The f32 sum over input channels [first, first + size): a float
  // deconvolution of the centered slices, each centered into a tensor of
  // its own (the float lowering reads contiguous operands). A constant
  // weight's slice at a known offset is centered at compile time.
  auto sliceSum = [&](OpBuilder &b, OpFoldResult first, int64_t size) {
    Value inputSlice = op.getInput(), weightSlice = op.getWeight();
    if (size != inPerGroup) {
      inputSlice = sliceAlong(b, loc, inputSlice, 2, first, size);
      weightSlice = sliceAlong(b, loc, weightSlice, 1, first, size);
    }
    inputSlice = centerAsFloats(b, loc, inputSlice, inputZeroPoints);
    std::optional<int64_t> staticFirst = getConstantIntValue(first);
    Value constant =
        staticFirst ? centerConstantWeight(b, loc, op.getWeight(),
                                           weightZeroPoints, *staticFirst, size)
                    : Value();
    if (constant) {
      if (weightSlice != op.getWeight())
        weightSlice.getDefiningOp()->erase();
      weightSlice = constant;
    } else {
      weightSlice = centerAsFloats(b, loc, weightSlice, weightZeroPoints);
    }
    return GroupedDeconvOp::create(b, loc, floatResult, inputSlice,
                                   weightSlice, Value(), op.getStride(),
                                   op.getDilation(), op.getPrePadding(),
                                   op.getPostPadding(), QuantizationAttr())
        .getResult();
  };
  // sum + (the exact integer in `slice`), in i32, in place of `sum` (so
  // the loop below updates one buffer), or the integers alone.
  auto accumulate = [&](OpBuilder &b, Value sum, Value slice) -> Value {
    auto toI32 = [](OpBuilder &b, Location loc, Value value) -> Value {
      return arith::FPToSIOp::create(b, loc, b.getI32Type(), value);
    };
    if (!sum)
      return buildElementwise(b, loc, {slice}, slice, b.getI32Type(),
                              [&](OpBuilder &b, Location loc,
                                  ValueRange arguments) -> Value {
                                return toI32(b, loc, arguments[0]);
                              });
    const int64_t rank = cast<RankedTensorType>(sum.getType()).getRank();
    AffineMap identity = b.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    return linalg::GenericOp::create(
               b, loc, sum.getType(), ValueRange{slice}, ValueRange{sum},
               ArrayRef<AffineMap>{identity, identity}, iterators,
               [&](OpBuilder &b, Location loc, ValueRange arguments) {
                 linalg::YieldOp::create(
                     b, loc,
                     ValueRange{arith::AddIOp::create(
                         b, loc, arguments[1], toI32(b, loc, arguments[0]))});
               })
        .getResult(0);
  };

  // The first slice, then the other whole slices in a loop (one float
  // deconvolution to compile, however many slices), then the rest.
  const int64_t wholeSlices = inPerGroup / sliceChannels,
                rest = inPerGroup % sliceChannels;
  Value sum =
      accumulate(b, Value(), sliceSum(b, b.getIndexAttr(0), sliceChannels));
  if (wholeSlices > 1) {
    auto index = [&](int64_t value) {
      return arith::ConstantIndexOp::create(b, loc, value).getResult();
    };
    auto loop = scf::ForOp::create(
        b, loc, index(1), index(wholeSlices), index(1), ValueRange{sum},
        [&](OpBuilder &b, Location loc, Value slice, ValueRange carried) {
          Value first = arith::MulIOp::create(
              b, loc, slice, arith::ConstantIndexOp::create(b, loc,
                                                            sliceChannels));
          scf::YieldOp::create(
              b, loc,
              accumulate(b, carried.front(),
                         sliceSum(b, first, sliceChannels)));
        });
    sum = loop.getResult(0);
  }
  if (rest > 0)
    sum = accumulate(
        b, sum,
        sliceSum(b, b.getIndexAttr(wholeSlices * sliceChannels), rest));

  // Per output channel: f32(sx * sw[c]), the output scale and zero point.
  Requantization tables = getRequantization(quantization, groups * outPerGroup);
  ChannelTable multiplier =
      createTable(b, loc, tables.multipliers, groups, outPerGroup);
  ChannelTable outputScale =
      createTable(b, loc, tables.outputScales, groups, outPerGroup);
  ChannelTable outputZeroPoint =
      createTable(b, loc, tables.outputZeroPoints, groups, outPerGroup);

  SmallVector<Value> inputs = {sum};
  auto addTable = [&](const ChannelTable &table) -> int {
    if (!table.tensor)
      return -1;
    inputs.push_back(table.tensor);
    return static_cast<int>(inputs.size()) - 1;
  };
  const int multiplierAt = addTable(multiplier),
            scaleAt = addTable(outputScale),
            zeroPointAt = addTable(outputZeroPoint);
  int biasAt = -1;
  if (Value bias = op.getBias()) {
    inputs.push_back(bias);
    biasAt = static_cast<int>(inputs.size()) - 1;
  }
  auto integerType = cast<IntegerType>(resultType.getElementType());
  Value result = buildElementwise(
      b, loc, inputs, sum, integerType,
      [&](OpBuilder &b, Location loc, ValueRange arguments) -> Value {
        auto read = [&](const ChannelTable &table, int at) {
          return at < 0 ? table.scalar : arguments[at];
        };
        return requantize(b, loc, arguments[0], read(multiplier, multiplierAt),
                          biasAt >= 0 ? arguments[biasAt] : Value(),
                          read(outputScale, scaleAt),
                          read(outputZeroPoint, zeroPointAt), integerType);
      });
  Value weight = op.getWeight();
  op.getResult().replaceAllUsesWith(result);
  op.erase();
  eraseIfDeadConstant(weight);
}

// --deconv-integer-deconv-as-floats
struct IntegerDeconvAsFloatsPass
    : impl::IntegerDeconvAsFloatsPassBase<IntegerDeconvAsFloatsPass> {
  void runOnOperation() override {
    SmallVector<GroupedDeconvOp> ops;
    getOperation()->walk([&](GroupedDeconvOp op) {
      if (op.isQuantized())
        ops.push_back(op);
    });
    for (GroupedDeconvOp op : ops)
      expandIntegerDeconv(op);
  }
};

} // namespace
} // namespace mlir::deconv
