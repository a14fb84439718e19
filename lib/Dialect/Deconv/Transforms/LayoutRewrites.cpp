//===- LayoutRewrites.cpp - transposes and reshapes of tensors ------------===//
//
// Constant folding works on the raw bytes of the values, so it costs one pass
// over the weight whatever its element type, and a dense_resource weight stays
// a resource (large weights never turn into text). The dequantization of a
// constant (a quantized model's int8 weights) folds the same way.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;
using namespace mlir::deconv;

namespace {

/// A constant's values as raw row-major bytes, when they can be read.
struct ConstantBytes {
  ElementsAttr attr;
  ArrayRef<char> bytes; ///< Empty for a splat.
  bool isSplat = false;
  size_t alignment = 1; ///< A resource blob's; kept by blobs made from it.
};

std::optional<ConstantBytes> getConstantBytes(Value value) {
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat())
      return ConstantBytes{attr, {}, true};
    return ConstantBytes{attr, dense.getRawData(), false};
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    // A resource declared without its blob cannot be read; it stays a
    // runtime operand.
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return ConstantBytes{attr, blob->getData(), false,
                           blob->getDataAlignment()};
  }
  return std::nullopt;
}

/// A constant of `type` holding `bytes` (or the splat of `source`), kept in
/// the form `source` had: dense stays dense, a resource becomes a resource.
Value createConstant(OpBuilder &builder, Location loc,
                     const ConstantBytes &source, RankedTensorType type,
                     ArrayRef<char> bytes) {
  TypedAttr attr;
  if (source.isSplat)
    attr = cast<DenseElementsAttr>(source.attr).reshape(type);
  else if (auto resource = dyn_cast<DenseResourceElementsAttr>(source.attr))
    attr = DenseResourceElementsAttr::get(
        type, resource.getRawHandle().getKey(),
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, source.alignment));
  else
    attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
  return arith::ConstantOp::create(builder, loc, attr);
}

/// A reshape keeps the bytes: only the type changes.
Value createReshapedConstant(OpBuilder &builder, Location loc,
                             const ConstantBytes &source,
                             RankedTensorType type) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(source.attr))
    return arith::ConstantOp::create(
        builder, loc,
        DenseResourceElementsAttr::get(type, resource.getRawHandle()));
  return createConstant(builder, loc, source, type, source.bytes);
}

} // namespace

Value mlir::deconv::transposeTensor(OpBuilder &builder, Location loc,
                                    Value value,
                                    ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape = applyPermutation(type.getShape(), permutation);
  auto resultType = RankedTensorType::get(shape, type.getElementType());

  if (std::optional<ConstantBytes> constant = getConstantBytes(value)) {
    if (constant->isSplat)
      return createConstant(builder, loc, *constant, resultType, {});
    // Walk the result in row-major order; each element comes from the source
    // position whose dimension permutation[i] is the result's index i.
    const size_t elementBytes =
        constant->bytes.size() / std::max<int64_t>(type.getNumElements(), 1);
    SmallVector<int64_t> sourceStrides = computeStrides(type.getShape());
    SmallVector<int64_t> strides = applyPermutation(sourceStrides, permutation);
    std::vector<char> bytes(constant->bytes.size());
    SmallVector<int64_t> index(shape.size(), 0);
    for (int64_t linear = 0, e = type.getNumElements(); linear < e; ++linear) {
      int64_t offset = 0;
      for (size_t d = 0; d < shape.size(); ++d)
        offset += index[d] * strides[d];
      std::memcpy(&bytes[linear * elementBytes],
                  &constant->bytes[offset * elementBytes], elementBytes);
      for (int64_t d = shape.size() - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    return createConstant(builder, loc, *constant, resultType, bytes);
  }

  SmallVector<OpFoldResult> sizes =
      applyPermutation(tensor::getMixedSizes(builder, loc, value), permutation);
  Value init =
      tensor::EmptyOp::create(builder, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(builder, loc, value, init, permutation)
      ->getResult(0);
}

Value mlir::deconv::expandTensor(OpBuilder &builder, Location loc, Value value,
                                 ArrayRef<int64_t> resultShape,
                                 ArrayRef<ReassociationIndices> reassociation) {
  auto type = cast<RankedTensorType>(value.getType());
  auto resultType = RankedTensorType::get(resultShape, type.getElementType());
  if (std::optional<ConstantBytes> constant = getConstantBytes(value))
    return createReshapedConstant(builder, loc, *constant, resultType);
  // Spell the output shape out where a dynamic size is alone in its group
  // (it is then the source's size); the builder's own inference, needed when
  // a dynamic size is split, leaves unused index constants behind.
  SmallVector<OpFoldResult> outputShape;
  for (auto [sourceDim, group] : llvm::enumerate(reassociation)) {
    for (int64_t dim : group) {
      if (!ShapedType::isDynamic(resultShape[dim]))
        outputShape.push_back(builder.getIndexAttr(resultShape[dim]));
      else if (group.size() == 1)
        outputShape.push_back(
            tensor::getMixedSize(builder, loc, value, sourceDim));
      else
        return tensor::ExpandShapeOp::create(builder, loc, resultType, value,
                                             reassociation);
    }
  }
  return tensor::ExpandShapeOp::create(builder, loc, resultType, value,
                                       reassociation, outputShape);
}

Value mlir::deconv::collapseTensor(
    OpBuilder &builder, Location loc, Value value,
    ArrayRef<ReassociationIndices> reassociation) {
  if (std::optional<ConstantBytes> constant = getConstantBytes(value)) {
    auto type = cast<RankedTensorType>(value.getType());
    RankedTensorType resultType =
        tensor::CollapseShapeOp::inferCollapsedType(type, reassociation);
    return createReshapedConstant(builder, loc, *constant, resultType);
  }
  return tensor::CollapseShapeOp::create(builder, loc, value, reassociation);
}

SmallVector<ReassociationIndices> mlir::deconv::splitDimension(int64_t rank,
                                                               int64_t split) {
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t dim = 0, next = 0; dim < rank; ++dim) {
    if (dim == split) {
      reassociation.push_back({next, next + 1});
      next += 2;
    } else {
      reassociation.push_back({next++});
    }
  }
  return reassociation;
}

SmallVector<int64_t> mlir::deconv::lastToSecondPermutation(int64_t rank) {
  SmallVector<int64_t> permutation = {0, rank - 1};
  for (int64_t dim = 1; dim < rank - 1; ++dim)
    permutation.push_back(dim);
  return permutation;
}

SmallVector<int64_t> mlir::deconv::secondToLastPermutation(int64_t rank) {
  SmallVector<int64_t> permutation = {0};
  for (int64_t dim = 2; dim < rank; ++dim)
    permutation.push_back(dim);
  permutation.push_back(1);
  return permutation;
}

std::optional<std::vector<float>> mlir::deconv::getConstantFloats(Value value) {
  std::optional<ConstantBytes> constant = getConstantBytes(value);
  auto type = cast<RankedTensorType>(value.getType());
  auto element = dyn_cast<FloatType>(type.getElementType());
  if (!constant || !element ||
      !(element.isF32() || element.isF16() || element.isBF16()))
    return std::nullopt;
  auto toFloat = [&](APFloat x) {
    bool lost = false;
    x.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    return x.convertToFloat();
  };
  const int64_t count = type.getNumElements();
  if (constant->isSplat)
    return std::vector<float>(
        count,
        toFloat(
            cast<DenseElementsAttr>(constant->attr).getSplatValue<APFloat>()));
  const unsigned width = element.getWidth();
  if ((int64_t)constant->bytes.size() != count * (width / 8))
    return std::nullopt;
  std::vector<float> values(count);
  const char *data = constant->bytes.data();
  if (element.isF32()) {
    std::memcpy(values.data(), data, count * sizeof(float));
    return values;
  }
  for (int64_t i = 0; i < count; ++i) {
    uint16_t bits;
    std::memcpy(&bits, data + i * sizeof(bits), sizeof(bits));
    if (element.isBF16()) {
      // bf16 is the high half of an f32.
      uint32_t wide = uint32_t(bits) << 16;
      std::memcpy(&values[i], &wide, sizeof(float));
    } else {
      values[i] =
          toFloat(APFloat(element.getFloatSemantics(), APInt(16, bits)));
    }
  }
  return values;
}

std::optional<std::vector<int32_t>>
mlir::deconv::getConstantIntegers(Value value) {
  std::optional<ConstantBytes> constant = getConstantBytes(value);
  auto type = cast<RankedTensorType>(value.getType());
  auto element = dyn_cast<IntegerType>(type.getElementType());
  if (!constant || !element || element.getWidth() != 8)
    return std::nullopt;
  const bool isUnsigned = element.isUnsigned();
  auto widen = [&](const APInt &bits) {
    return isUnsigned ? int32_t(bits.getZExtValue())
                      : int32_t(bits.getSExtValue());
  };
  const int64_t count = type.getNumElements();
  if (constant->isSplat)
    return std::vector<int32_t>(
        count,
        widen(cast<DenseElementsAttr>(constant->attr).getSplatValue<APInt>()));
  if ((int64_t)constant->bytes.size() != count)
    return std::nullopt;
  std::vector<int32_t> values(count);
  for (int64_t i = 0; i < count; ++i) {
    char byte = constant->bytes[i];
    values[i] = isUnsigned ? int32_t(uint8_t(byte)) : int32_t(int8_t(byte));
  }
  return values;
}

LogicalResult mlir::deconv::checkResourceBlob(Operation *op) {
  auto constant = dyn_cast<arith::ConstantOp>(op);
  auto resource = constant
                      ? dyn_cast<DenseResourceElementsAttr>(constant.getValue())
                      : DenseResourceElementsAttr();
  if (!resource)
    return success();
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return constant.emitOpError("is a dense_resource without data");
  ShapedType type = resource.getType();
  unsigned bits = type.getElementType().getIntOrFloatBitWidth();
  const uint64_t wanted = uint64_t(type.getNumElements()) * ((bits + 7) / 8);
  if (blob->getData().size() != wanted)
    return constant.emitOpError()
           << "is a dense_resource of " << blob->getData().size()
           << " bytes for " << type.getNumElements() << " "
           << type.getElementType() << " elements (" << wanted << " bytes)";
  return success();
}

void mlir::deconv::eraseIfDeadConstant(Value value) {
  if (!value)
    return;
  if (auto constant = value.getDefiningOp<arith::ConstantOp>())
    if (constant->use_empty())
      constant->erase();
}

Value mlir::deconv::foldDequantizeOfConstant(OpBuilder &builder,
                                             DequantizeOp op) {
  std::optional<ConstantBytes> constant = getConstantBytes(op.getInput());
  RankedTensorType resultType = op.getResult().getType();
  if (!constant || !resultType.hasStaticShape())
    return nullptr;
  const int64_t count = resultType.getNumElements();
  if (!constant->isSplat && (int64_t)constant->bytes.size() != count)
    return nullptr; // A blob of the wrong size stays for the run to report.
  const bool isUnsigned =
      op.getInput().getType().getElementType().isUnsignedInteger();
  int32_t splat = 0;
  if (constant->isSplat) {
    APInt value =
        cast<DenseElementsAttr>(constant->attr).getSplatValue<APInt>();
    splat = isUnsigned ? int32_t(value.getZExtValue())
                       : int32_t(value.getSExtValue());
  }
  auto quantizedAt = [&](int64_t index) -> int32_t {
    if (constant->isSplat)
      return splat;
    char byte = constant->bytes[index];
    return isUnsigned ? int32_t(uint8_t(byte)) : int32_t(int8_t(byte));
  };
  // Per channel: element i is in channel (i / inner) % channels. One scale
  // covers the tensor even when an axis is named, as in the lowering.
  int64_t channels = 1, inner = 1;
  std::optional<uint64_t> axis = op.getAxis();
  if (axis && !op.isPerTensor()) {
    ArrayRef<int64_t> shape = resultType.getShape();
    channels = shape[*axis];
    for (size_t d = *axis + 1; d < shape.size(); ++d)
      inner *= shape[d];
  }
  ArrayRef<float> scales = op.getScale();
  ArrayRef<int64_t> zeroPoints = op.getZeroPoint();
  auto element = cast<FloatType>(resultType.getElementType());
  const size_t width = element.getWidth() / 8;
  std::vector<char> bytes(count * width);
  for (int64_t i = 0; i < count; ++i) {
    int64_t channel = channels == 1 ? 0 : (i / inner) % channels;
    int32_t quantized = quantizedAt(i);
    // As the lowering computes it: the centered integer in f32 times the
    // scale, one f32 rounding, then to the result type to nearest even.
    float value =
        float(quantized - int32_t(zeroPoints[channel])) * scales[channel];
    if (element.isF32()) {
      std::memcpy(&bytes[i * width], &value, width);
      continue;
    }
    APFloat converted(value);
    bool lost = false;
    converted.convert(element.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                      &lost);
    uint16_t bits = converted.bitcastToAPInt().getZExtValue();
    std::memcpy(&bytes[i * width], &bits, width);
  }
  ConstantBytes form = *constant;
  form.isSplat = false;
  form.alignment = width;
  return createConstant(builder, op.getLoc(), form, resultType, bytes);
}
