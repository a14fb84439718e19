//===- DeconvOps.cpp - deconv dialect operations ---------------------------===//
//
// The verifier of `deconv.deconv`. Every geometric rule is the shape helper's
// (DeconvShape.h); this file adds only what concerns types: element types,
// the bias operand, and the declared result against the computed shape.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::deconv;

#define GET_OP_CLASSES
#include "deconv/Dialect/Deconv/IR/DeconvOps.cpp.inc"

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
  Type elementType = getInput().getType().getElementType();
  auto checkElementType = [&](Value value, StringRef name) -> LogicalResult {
    Type type = cast<RankedTensorType>(value.getType()).getElementType();
    if (type == elementType)
      return success();
    return emitOpError() << "element types must match: input has "
                         << elementType << " but " << name << " has " << type;
  };
  if (failed(checkElementType(getWeight(), "weight")) ||
      (getBias() && failed(checkElementType(getBias(), "bias"))) ||
      failed(checkElementType(getResult(), "result")))
    return failure();

  llvm::Expected<DeconvGeometry> geometry = resolveGeometry();
  if (!geometry)
    return emitOpError() << llvm::toString(geometry.takeError());

  if (Value bias = getBias()) {
    ArrayRef<int64_t> shape = cast<RankedTensorType>(bias.getType()).getShape();
    if (shape.size() != 1 || shape.front() != geometry->outChannels)
      return emitOpError() << "bias must have shape (" << geometry->outChannels
                           << "), the output channel count, got "
                           << formatShape(shape);
  }

  ArrayRef<int64_t> computed = geometry->resultShape;
  ArrayRef<int64_t> declared = getResult().getType().getShape();
  if (declared.size() != computed.size())
    return emitOpError() << "result must have rank " << computed.size()
                         << " (the input's), got rank " << declared.size();
  int64_t channelDim = getChannelDim(
      getDataFormat().value_or(DataFormat::ChannelsFirst), computed.size());
  if (isDynamicSize(declared[channelDim]))
    return emitOpError() << "result channel count (dimension " << channelDim
                         << ") must be static, expected "
                         << geometry->outChannels;
  // A `?` in the result may stand for a size the op knows statically, but a
  // static result size must be one the op computes: it cannot promise a size
  // that depends on a dynamic input.
  for (auto [dim, sizes] : llvm::enumerate(llvm::zip(declared, computed))) {
    auto [declaredSize, computedSize] = sizes;
    if (isDynamicSize(declaredSize) || declaredSize == computedSize)
      continue;
    return emitOpError() << "result shape " << formatShape(declared)
                         << " does not match the computed shape "
                         << formatShape(computed) << " (dimension " << dim
                         << ")";
  }
  return success();
}
