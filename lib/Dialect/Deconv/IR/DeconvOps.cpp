//===- DeconvOps.cpp - deconv dialect operations
//---------------------------===//
//
// The verifier of `deconv.deconv`. Every geometric rule is the shape helper's
// (DeconvShape.h); this file adds only what concerns types: element types,
// the bias operand, and the declared result against the computed shape.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::deconv;

#include "deconv/Dialect/Deconv/IR/DeconvInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "deconv/Dialect/Deconv/IR/DeconvOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Result shapes from operand shapes (ShapeRefiningOpInterface)
//===----------------------------------------------------------------------===//

llvm::Error DeconvOp::refineResultTypes() {
  llvm::Expected<DeconvGeometry> geometry = resolveGeometry();
  if (!geometry)
    return geometry.takeError();
  getResult().setType(RankedTensorType::get(
      geometry->resultShape, getResult().getType().getElementType()));
  return llvm::Error::success();
}

/// Quantization is element-wise: the input's shape in the result's element
/// type.
static void refineElementwiseResult(Operation *op) {
  auto input = cast<RankedTensorType>(op->getOperand(0).getType());
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  op->getResult(0).setType(
      RankedTensorType::get(input.getShape(), result.getElementType()));
}

llvm::Error QuantizeOp::refineResultTypes() {
  refineElementwiseResult(*this);
  return llvm::Error::success();
}

llvm::Error DequantizeOp::refineResultTypes() {
  refineElementwiseResult(*this);
  return llvm::Error::success();
}

/// The range [low, high] of an 8-bit integer type (i8 or ui8).
static std::pair<int64_t, int64_t> getIntegerRange(Type type) {
  return type.isUnsignedInteger() ? std::pair<int64_t, int64_t>{0, 255}
                                  : std::pair<int64_t, int64_t>{-128, 127};
}

static Type getElementType(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// Float form: input, weight, the bias if present, and the result share one
/// element type. Integer form (a `quantization` attribute): 8-bit input,
/// weight and result, and an f32 bias.
static LogicalResult verifyElementTypes(Operation *op, Value input,
                                        Value weight, Value bias, Value result,
                                        QuantizationAttr quantization) {
  Type elementType = getElementType(input);
  std::pair<Value, StringRef> others[] = {
      {weight, "weight"}, {bias, "bias"}, {result, "result"}};
  if (!quantization) {
    if (isa<IntegerType>(elementType))
      return op->emitOpError()
             << "takes " << elementType
             << " input only as an integer deconvolution, which needs a "
                "quantization attribute";
    for (auto [value, name] : others) {
      if (!value)
        continue;
      Type type = getElementType(value);
      if (type != elementType)
        return op->emitOpError()
               << "element types must match: input has " << elementType
               << " but " << name << " has " << type;
    }
    return success();
  }
  for (auto [value, name] : {std::pair<Value, StringRef>{input, "input"},
                             {weight, "weight"},
                             {result, "result"}})
    if (!isa<IntegerType>(getElementType(value)))
      return op->emitOpError()
             << "is an integer deconvolution (it has a quantization "
                "attribute), so its "
             << name << " must be i8 or ui8, got " << getElementType(value);
  if (bias && !getElementType(bias).isF32())
    return op->emitOpError()
           << "is an integer deconvolution, so its bias must be f32, got "
           << getElementType(bias);
  return success();
}

/// Zero points in the range of `type`, the element type of the values they
/// belong to (`what`).
static LogicalResult verifyZeroPoints(Operation *op, StringRef what,
                                      ArrayRef<int64_t> zeroPoints, Type type) {
  auto [low, high] = getIntegerRange(type);
  for (auto [index, value] : llvm::enumerate(zeroPoints))
    if (value < low || value > high)
      return op->emitOpError()
             << what << " zero point " << index << " is " << value
             << ", outside the " << type << " range [" << low << ", " << high
             << "]";
  return success();
}

int64_t mlir::deconv::getLargestIntegerProduct(QuantizationAttr quantization,
                                               Type inputType,
                                               Type weightType) {
  // The largest |q - zero point| of a type's values.
  auto largestCentered = [](Type type, ArrayRef<int64_t> zeroPoints) {
    auto [low, high] = getIntegerRange(type);
    int64_t largest = 0;
    for (int64_t zero : zeroPoints)
      largest = std::max({largest, zero - low, high - zero});
    return largest;
  };
  return largestCentered(inputType,
                         quantization.getInputZeroPoint().asArrayRef()) *
         largestCentered(weightType,
                         quantization.getWeightZeroPoint().asArrayRef());
}

bool mlir::deconv::fitsInt32Accumulator(QuantizationAttr quantization,
                                        Type inputType, Type weightType,
                                        int64_t productsPerOutput) {
  const int64_t largest =
      getLargestIntegerProduct(quantization, inputType, weightType);
  return largest == 0 ||
         productsPerOutput <= std::numeric_limits<int32_t>::max() / largest;
}

Requantization mlir::deconv::getRequantization(QuantizationAttr quantization,
                                               int64_t channels) {
  // One entry (per tensor) or one per output channel.
  auto entry = [](auto values, int64_t c) {
    return values[values.size() == 1 ? 0 : c];
  };
  const float inputScale = quantization.getInputScale()[0];
  Requantization result;
  for (int64_t c = 0; c < channels; ++c) {
    result.multipliers.push_back(
        inputScale * entry(quantization.getWeightScale().asArrayRef(), c));
    result.outputScales.push_back(
        entry(quantization.getOutputScale().asArrayRef(), c));
    result.outputZeroPoints.push_back(static_cast<float>(
        entry(quantization.getOutputZeroPoint().asArrayRef(), c)));
  }
  return result;
}

bool mlir::deconv::centersIntoInt8(Type type, ArrayRef<int64_t> zeroPoints) {
  const int64_t centered = type.isUnsignedInteger(8) ? 128 : 0;
  return llvm::all_of(zeroPoints,
                      [&](int64_t zero) { return zero == centered; });
}

/// The integer deconvolution's rules beyond the attribute's own: one entry or
/// one per output channel, zero points in their types' ranges, and an i32
/// accumulator that cannot overflow over `productsPerOutput` products.
static LogicalResult verifyIntegerDeconv(Operation *op,
                                         QuantizationAttr quantization,
                                         Value input, Value weight,
                                         Value result, int64_t outChannels,
                                         int64_t productsPerOutput) {
  std::pair<StringRef, int64_t> counts[] = {
      {"weight", quantization.getWeightScale().size()},
      {"output", quantization.getOutputScale().size()}};
  for (auto [what, count] : counts)
    if (count != 1 && count != outChannels)
      return op->emitOpError()
             << "has " << count << " " << what
             << " scales: one (per tensor) or one per output channel ("
             << outChannels << ")";
  if (failed(verifyZeroPoints(op, "input",
                              quantization.getInputZeroPoint().asArrayRef(),
                              getElementType(input))) ||
      failed(verifyZeroPoints(op, "weight",
                              quantization.getWeightZeroPoint().asArrayRef(),
                              getElementType(weight))) ||
      failed(verifyZeroPoints(op, "output",
                              quantization.getOutputZeroPoint().asArrayRef(),
                              getElementType(result))))
    return failure();
  if (!fitsInt32Accumulator(quantization, getElementType(input),
                            getElementType(weight), productsPerOutput))
    return op->emitOpError()
           << "could overflow its i32 accumulator: " << productsPerOutput
           << " products (input channels per group x kernel taps) of up to "
           << getLargestIntegerProduct(quantization, getElementType(input),
                                       getElementType(weight))
           << " each";
  return success();
}

/// The declared result against the computed shape. A `?` in the result may
/// stand for a size the op knows statically, but a static result size must be
/// one the op computes: it cannot promise a size that depends on a dynamic
/// input. The named `countDims` (channels, groups) may not be `?`.
static LogicalResult
verifyResultShape(Operation *op, ArrayRef<int64_t> declared,
                  ArrayRef<int64_t> computed,
                  ArrayRef<std::pair<int64_t, StringRef>> countDims) {
  if (declared.size() != computed.size())
    return op->emitOpError() << "result must have rank " << computed.size()
                             << " (the input's), got rank " << declared.size();
  for (auto [dim, name] : countDims)
    if (isDynamicSize(declared[dim]))
      return op->emitOpError()
             << "result " << name << " count (dimension " << dim
             << ") must be static, expected " << computed[dim];
  for (auto [dim, sizes] : llvm::enumerate(llvm::zip(declared, computed))) {
    auto [declaredSize, computedSize] = sizes;
    if (isDynamicSize(declaredSize) || declaredSize == computedSize)
      continue;
    return op->emitOpError()
           << "result shape " << formatShape(declared)
           << " does not match the computed shape " << formatShape(computed)
           << " (dimension " << dim << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// DeconvOp
//===----------------------------------------------------------------------===//

DeconvSpec DeconvOp::getSpec() {
  DeconvSpec spec;
  spec.inputShape = getInput().getType().getShape();
  spec.weightShape = getWeight().getType().getShape();
  spec.dataFormat = getDataFormat().value_or(DataFormat::ChannelsFirst);
  spec.kernelFormat = getKernelFormat().value_or(KernelFormat::CinCoutK);
  // Read the integers signed: a negative count must reach the range checks.
  if (IntegerAttr groups = getGroupsAttr())
    spec.groups = groups.getInt();
  if (IntegerAttr maps = getNumOutputMapsAttr())
    spec.numOutputMaps = maps.getInt();
  spec.kernelSize = getKernelSize();
  spec.stride = getStride();
  spec.dilation = getDilation();
  spec.padding = getPadding();
  spec.prePadding = getPrePadding();
  spec.postPadding = getPostPadding();
  spec.outputPadding = getOutputPadding();
  spec.outputShape = getOutputShape();
  spec.paddingMode = getPaddingMode().value_or(PaddingMode::ExplicitRoundDown);
  return spec;
}

LogicalResult DeconvOp::verify() {
  if (failed(verifyElementTypes(*this, getInput(), getWeight(), getBias(),
                                getResult(), getQuantizationAttr())))
    return failure();

  llvm::Expected<DeconvGeometry> geometry = resolveGeometry();
  if (!geometry)
    return emitOpError() << llvm::toString(geometry.takeError());
  if (QuantizationAttr quantization = getQuantizationAttr()) {
    int64_t products = geometry->inChannels / geometry->groups;
    for (int64_t size : geometry->kernelSizes)
      products *= size;
    if (failed(verifyIntegerDeconv(*this, quantization, getInput(),
                                   getWeight(), getResult(),
                                   geometry->outChannels, products)))
      return failure();
  }

  if (Value bias = getBias()) {
    ArrayRef<int64_t> shape = cast<RankedTensorType>(bias.getType()).getShape();
    if (shape.size() != 1 || shape.front() != geometry->outChannels)
      return emitOpError() << "bias must have shape (" << geometry->outChannels
                           << "), the output channel count, got "
                           << formatShape(shape);
  }

  ArrayRef<int64_t> computed = geometry->resultShape;
  int64_t channelDim = getChannelDim(
      getDataFormat().value_or(DataFormat::ChannelsFirst), computed.size());
  return verifyResultShape(*this, getResult().getType().getShape(), computed,
                           {{channelDim, "channel"}});
}

//===----------------------------------------------------------------------===//
// GroupedDeconvOp
//===----------------------------------------------------------------------===//

static llvm::Error groupedError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<SmallVector<AxisGeometry>> GroupedDeconvOp::resolveAxes() {
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> weight = getWeight().getType().getShape();
  const int64_t rank = input.size();
  if (rank < 4)
    return groupedError("input must have rank >= 4 (batch, group, channel and "
                        "at least one spatial axis), got rank " +
                        llvm::Twine(rank));
  if ((int64_t)weight.size() != rank)
    return groupedError("weight must have rank " + llvm::Twine(rank) +
                        " (the input's), got rank " +
                        llvm::Twine(weight.size()));
  const int64_t numSpatial = rank - 3;
  if (llvm::Error error = checkAxisArrayLengths(
          numSpatial, {{"stride", getStride()},
                       {"dilation", getDilation()},
                       {"pre_padding", getPrePadding()},
                       {"post_padding", getPostPadding()}}))
    return std::move(error);
  SmallVector<AxisGeometry> axes;
  for (int64_t axis = 0; axis < numSpatial; ++axis) {
    AxisSpec spec;
    spec.inputSize = input[3 + axis];
    spec.kernelSize = weight[3 + axis];
    spec.stride = getStride()[axis];
    spec.dilation = getDilation()[axis];
    spec.prePadding = getPrePadding()[axis];
    spec.postPadding = getPostPadding()[axis];
    llvm::Expected<AxisGeometry> geometry = resolveAxis(spec, axis);
    if (!geometry)
      return geometry.takeError();
    axes.push_back(*geometry);
  }
  return axes;
}

LogicalResult GroupedDeconvOp::verify() {
  if (failed(verifyElementTypes(*this, getInput(), getWeight(), getBias(),
                                getResult(), getQuantizationAttr())))
    return failure();
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> weight = getWeight().getType().getShape();
  // Check the weight before the axes: kernel sizes feed the geometry.
  if (weight.size() == input.size())
    for (auto [dim, size] : llvm::enumerate(weight))
      if (isDynamicSize(size) || size < 1)
        return emitOpError() << "weight shape must be static with sizes >= 1, "
                             << "got " << formatShape(weight);
  llvm::Expected<SmallVector<AxisGeometry>> axes = resolveAxes();
  if (!axes)
    return emitOpError() << llvm::toString(axes.takeError());

  const int64_t groups = input[1], inPerGroup = input[2];
  if (isDynamicSize(groups) || isDynamicSize(inPerGroup) || groups < 1 ||
      inPerGroup < 1)
    return emitOpError() << "input group and channel counts (dimensions 1 and "
                         << "2) must be static and >= 1, got "
                         << formatShape(input);
  if (weight[0] != groups || weight[1] != inPerGroup)
    return emitOpError() << "weight must start with the input's groups and "
                         << "channels per group (" << groups << ", "
                         << inPerGroup << "), got " << formatShape(weight);
  const int64_t outPerGroup = weight[2];
  if (Value bias = getBias()) {
    ArrayRef<int64_t> shape = cast<RankedTensorType>(bias.getType()).getShape();
    if (shape != ArrayRef<int64_t>{groups, outPerGroup})
      return emitOpError() << "bias must have shape (" << groups << ", "
                           << outPerGroup << "), got " << formatShape(shape);
  }

  if (QuantizationAttr quantization = getQuantizationAttr()) {
    int64_t products = inPerGroup;
    for (int64_t size : weight.drop_front(3))
      products *= size;
    if (failed(verifyIntegerDeconv(*this, quantization, getInput(),
                                   getWeight(), getResult(),
                                   groups * outPerGroup, products)))
      return failure();
  }

  SmallVector<int64_t> computed = {input[0], groups, outPerGroup};
  for (const AxisGeometry &axis : *axes)
    computed.push_back(axis.outputSize);
  return verifyResultShape(*this, getResult().getType().getShape(), computed,
                           {{1, "group"}, {2, "channel"}});
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

/// The rules `deconv.quantize` and `deconv.dequantize` share: scales and
/// zero points per tensor or per index of a static `axis`, scales positive
/// and finite, zero points in the integer type's range.
static LogicalResult verifyQuantization(Operation *op, ArrayRef<float> scale,
                                        ArrayRef<int64_t> zeroPoint,
                                        std::optional<int64_t> axis,
                                        RankedTensorType floats,
                                        RankedTensorType integers) {
  if (scale.empty())
    return op->emitOpError("needs at least one scale");
  if (zeroPoint.size() != scale.size())
    return op->emitOpError() << "has " << scale.size() << " scales but "
                             << zeroPoint.size() << " zero points";
  if (axis && (*axis < 0 || *axis >= floats.getRank()))
    return op->emitOpError()
           << "axis " << *axis << " is outside [0, " << floats.getRank() << ")";
  if (scale.size() > 1) {
    if (!axis)
      return op->emitOpError()
             << "has " << scale.size()
             << " scales (per channel) but no axis to apply them along";
    int64_t size = floats.getDimSize(*axis);
    if (ShapedType::isDynamic(size))
      return op->emitOpError() << "takes scales per index of axis " << *axis
                               << ", which must then be static";
    if (size != static_cast<int64_t>(scale.size()))
      return op->emitOpError()
             << "has " << scale.size() << " scales but dimension " << *axis
             << " has size " << size;
  }
  for (auto [index, value] : llvm::enumerate(scale))
    if (!(value > 0.0f) || !std::isfinite(value))
      return op->emitOpError() << "scale " << index << " is " << value
                               << ": scales must be positive and finite";
  auto [low, high] = getIntegerRange(integers.getElementType());
  for (auto [index, value] : llvm::enumerate(zeroPoint))
    if (value < low || value > high)
      return op->emitOpError() << "zero point " << index << " is " << value
                               << ", outside the " << integers.getElementType()
                               << " range [" << low << ", " << high << "]";
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantization(*this, getScale(), getZeroPoint(), getAxis(),
                            getInput().getType(), getResult().getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantization(*this, getScale(), getZeroPoint(), getAxis(),
                            getResult().getType(), getInput().getType());
}

//===----------------------------------------------------------------------===//
// QuantizationAttr
//===----------------------------------------------------------------------===//

LogicalResult
QuantizationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         DenseF32ArrayAttr inputScale,
                         DenseI64ArrayAttr inputZeroPoint,
                         DenseF32ArrayAttr weightScale,
                         DenseI64ArrayAttr weightZeroPoint,
                         DenseF32ArrayAttr outputScale,
                         DenseI64ArrayAttr outputZeroPoint) {
  std::tuple<StringRef, DenseF32ArrayAttr, DenseI64ArrayAttr> pairs[] = {
      {"input", inputScale, inputZeroPoint},
      {"weight", weightScale, weightZeroPoint},
      {"output", outputScale, outputZeroPoint}};
  for (auto [what, scales, zeroPoints] : pairs) {
    if (scales.empty())
      return emitError() << "quantization needs at least one " << what
                         << " scale";
    if (scales.size() != zeroPoints.size())
      return emitError() << "quantization has " << scales.size() << " "
                         << what << " scales but " << zeroPoints.size()
                         << " zero points";
    for (auto [index, value] : llvm::enumerate(scales.asArrayRef()))
      if (!(value > 0.0f) || !std::isfinite(value))
        return emitError() << "quantization's " << what << " scale " << index
                           << " is " << value
                           << ": scales must be positive and finite";
  }
  if (inputScale.size() != 1)
    return emitError() << "quantization has " << inputScale.size()
                       << " input scales: the input is quantized per tensor";
  return success();
}
