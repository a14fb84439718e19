//===- DeconvShape.cpp - the one deconvolution shape helper ---------------===//
//
// Implements the geometry rules of the IR contract (docs/IR.md, "Semantics"
// and "Verification"). Arithmetic is overflow-checked: sizes come straight
// from user input, and a wrapped size must be an error, not a wrong shape.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvShape.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace mlir::deconv;

namespace {

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string formatList(llvm::ArrayRef<int64_t> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(values, os);
  os << ']';
  return text;
}

/// Overflow-checked `a*b + c`; nullopt when any step overflows.
std::optional<int64_t> mulAdd(int64_t a, int64_t b, int64_t c) {
  if (std::optional<int64_t> product = llvm::checkedMul(a, b))
    return llvm::checkedAdd(*product, c);
  return std::nullopt;
}

llvm::Error overflow(unsigned axisIndex) {
  return fail(llvm::formatv("sizes on spatial axis {0} overflow 64-bit "
                            "integers",
                            axisIndex));
}

/// The crops (B, A) of the explicit rules, relative to the extended size E.
std::pair<int64_t, int64_t> explicitCrops(const AxisSpec &axis) {
  return {axis.prePadding.value_or(axis.padding),
          axis.postPadding.value_or(axis.padding)};
}

} // namespace

llvm::Expected<AxisGeometry> mlir::deconv::resolveAxis(const AxisSpec &axis,
                                                       unsigned axisIndex) {
  const int64_t i = axis.inputSize, k = axis.kernelSize, s = axis.stride,
                l = axis.dilation, op = axis.outputPadding;
  if (s < 1)
    return fail(llvm::formatv("'stride' must be >= 1, got {0} on spatial axis "
                              "{1}",
                              s, axisIndex));
  if (l < 1)
    return fail(llvm::formatv("'dilation' must be >= 1, got {0} on spatial "
                              "axis {1}",
                              l, axisIndex));
  if (k < 1)
    return fail(llvm::formatv("kernel size must be >= 1, got {0} on spatial "
                              "axis {1}",
                              k, axisIndex));
  if (!isDynamicSize(i) && i < 1)
    return fail(llvm::formatv("input size must be >= 1, got {0} on spatial "
                              "axis {1}",
                              i, axisIndex));
  if (op < 0 || (op >= s && op >= l))
    return fail(llvm::formatv(
        "'output_padding' must be >= 0 and below 'stride' ({0}) or "
        "'dilation' ({1}), got {2} on spatial axis {3}",
        s, l, op, axisIndex));
  if (axis.outputShape && *axis.outputShape < 1)
    return fail(llvm::formatv("'output_shape' must be >= 1, got {0} on "
                              "spatial axis {1}",
                              *axis.outputShape, axisIndex));
  // The crops a target shape implies depend on the input size; with a dynamic
  // one no canonical form exists at compile time.
  if (axis.outputShape && isDynamicSize(i))
    return fail(llvm::formatv("'output_shape' needs a static input size on "
                              "spatial axis {0}: the crops it implies depend "
                              "on it",
                              axisIndex));

  // DK = L*(K-1) + 1: the dilated kernel's extent.
  std::optional<int64_t> dilatedKernel = mulAdd(l, k - 1, 1);
  if (!dilatedKernel)
    return overflow(axisIndex);

  // F = (I-1)*S + DK and E = F + op, when I is known.
  int64_t full = kDynamicSize, extended = kDynamicSize;
  if (!isDynamicSize(i)) {
    std::optional<int64_t> f = mulAdd(i - 1, s, *dilatedKernel);
    std::optional<int64_t> e = f ? llvm::checkedAdd(*f, op) : std::nullopt;
    if (!e)
      return overflow(axisIndex);
    full = *f;
    extended = *e;
  }

  // Crops (B, A) relative to E, by the contract's priority rules.
  int64_t begin, end;
  if (axis.outputShape) {
    int64_t total = extended - *axis.outputShape; // Both >= 1: no overflow.
    if (total <= 0)
      begin = 0;
    else if (axis.paddingMode == PaddingMode::SameUpper)
      begin = total / 2;
    else
      begin = total - total / 2;
    end = total - begin;
  } else if (axis.paddingMode == PaddingMode::SameUpper ||
             axis.paddingMode == PaddingMode::SameLower) {
    // P = max(DK + op - S, 0).
    std::optional<int64_t> grown = llvm::checkedAdd(*dilatedKernel, op);
    if (!grown)
      return overflow(axisIndex);
    int64_t total = std::max<int64_t>(*grown - s, 0);
    int64_t half = total / 2;
    begin = axis.paddingMode == PaddingMode::SameUpper ? half : total - half;
    end = total - begin;
  } else if (axis.paddingMode == PaddingMode::Valid) {
    begin = end = 0;
  } else {
    std::tie(begin, end) = explicitCrops(axis);
  }

  AxisGeometry geometry;
  geometry.fullSize = full;
  geometry.preCrop = begin;
  std::optional<int64_t> post = llvm::checkedSub(end, op);
  if (!post)
    return overflow(axisIndex);
  geometry.postCrop = *post;
  // R = DK - B - (A - op): begin and the crops are bounded by DK, S and op.
  std::optional<int64_t> offset = llvm::checkedSub(*dilatedKernel, begin);
  offset = offset ? llvm::checkedSub(*offset, *post) : std::nullopt;
  if (!offset)
    return overflow(axisIndex);
  geometry.outputOffset = *offset;

  if (axis.outputShape) {
    geometry.outputSize = *axis.outputShape;
    return geometry;
  }
  geometry.outputSize = kDynamicSize;
  if (isDynamicSize(extended))
    return geometry;
  std::optional<int64_t> cropped = llvm::checkedSub(extended, begin);
  cropped = cropped ? llvm::checkedSub(*cropped, end) : std::nullopt;
  if (!cropped)
    return overflow(axisIndex);
  if (*cropped < 1)
    return fail(llvm::formatv(
        "output size on spatial axis {0} would be {1} (below 1): input {2}, "
        "kernel {3}, stride {4}, dilation {5}, output_padding {6}, crops {7} "
        "at the start and {8} at the end",
        axisIndex, *cropped, i, k, s, l, op, begin, end));
  geometry.outputSize = *cropped;
  return geometry;
}

int64_t mlir::deconv::countUsefulMacs(const DeconvGeometry &geometry) {
  // Per axis, the (input, tap) pairs whose output o = i*S + k*L - B lies in
  // [0, O): for each tap, the inputs from ceil((B - kL)/S) to
  // floor((O - 1 + B - kL)/S), clipped to [0, I) (or per input the taps, when
  // there are fewer inputs than taps). 128-bit arithmetic and a product that
  // saturates keep absurd sizes from overflowing.
  using Wide = __int128;
  auto floorDiv = [](Wide x, Wide y) {
    return x / y - ((x % y != 0) && ((x < 0) != (y < 0)));
  };
  auto ceilDiv = [&](Wide x, Wide y) { return -floorDiv(-x, y); };
  const Wide limit = std::numeric_limits<int64_t>::max();
  Wide macs = Wide(geometry.batchSize) * geometry.outChannels *
              (geometry.inChannels / geometry.groups);
  for (auto [axis, input] : llvm::enumerate(geometry.inputSizes)) {
    const AxisGeometry &crop = geometry.axes[axis];
    // For each of `outer` taps (or inputs) j, the inputs (or taps) p in
    // [0, partners) with 0 <= p * partnerStep - (B - j * outerStep) < O.
    auto countPairs = [&](int64_t outer, Wide outerStep, int64_t partners,
                          Wide partnerStep) {
      Wide pairs = 0;
      for (int64_t j = 0; j < outer; ++j) {
        Wide shift = Wide(crop.preCrop) - Wide(j) * outerStep;
        Wide first = std::max<Wide>(0, ceilDiv(shift, partnerStep));
        Wide last = std::min<Wide>(
            partners - 1, floorDiv(crop.outputSize - 1 + shift, partnerStep));
        pairs += std::max<Wide>(0, last - first + 1);
      }
      return pairs;
    };
    const Wide stride = geometry.strides[axis];
    const Wide dilation = geometry.dilations[axis];
    const int64_t kernel = geometry.kernelSizes[axis];
    Wide pairs = macs == 0 ? 0
                 : kernel <= input
                     ? countPairs(kernel, dilation, input, stride)
                     : countPairs(input, stride, kernel, dilation);
    macs = macs == 0 || pairs == 0
               ? 0
               : std::min(macs * std::min(pairs, limit), limit);
  }
  return static_cast<int64_t>(std::min(macs, limit));
}

int64_t mlir::deconv::getChannelDim(DataFormat format, int64_t rank) {
  return format == DataFormat::ChannelsFirst ? 1 : rank - 1;
}

int64_t mlir::deconv::getSpatialDim(DataFormat format, int64_t axis) {
  return format == DataFormat::ChannelsFirst ? 2 + axis : 1 + axis;
}

std::string mlir::deconv::formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t size) {
        if (isDynamicSize(size))
          os << '?';
        else
          os << size;
      },
      "x");
  return text;
}

llvm::Error
mlir::deconv::checkAxisArrayLengths(int64_t numSpatialDims,
                                    llvm::ArrayRef<NamedAxisArray> arrays) {
  for (const auto &[name, array] : arrays)
    if (array && (int64_t)array->size() != numSpatialDims)
      return fail(llvm::formatv("'{0}' must have {1} entries (one per spatial "
                                "axis), got {2}",
                                name, numSpatialDims, array->size()));
  return llvm::Error::success();
}

llvm::Expected<DeconvGeometry>
mlir::deconv::resolveDeconv(const DeconvSpec &spec) {
  const int64_t rank = spec.inputShape.size();
  if (rank < 3)
    return fail(llvm::formatv("input must have rank >= 3 (batch, channel and "
                              "at least one spatial axis), got rank {0}",
                              rank));
  const int64_t numSpatial = rank - 2;
  if ((int64_t)spec.weightShape.size() != rank)
    return fail(llvm::formatv("weight must have rank {0} (the input's), got "
                              "rank {1}",
                              rank, spec.weightShape.size()));

  if (llvm::Error error = checkAxisArrayLengths(
          numSpatial, {{"stride", spec.stride},
                       {"dilation", spec.dilation},
                       {"padding", spec.padding},
                       {"pre_padding", spec.prePadding},
                       {"post_padding", spec.postPadding},
                       {"output_padding", spec.outputPadding},
                       {"output_shape", spec.outputShape},
                       {"kernel_size", spec.kernelSize}}))
    return std::move(error);

  if (spec.groups < 1)
    return fail(llvm::formatv("'groups' must be >= 1, got {0}", spec.groups));

  const int64_t channelDim = getChannelDim(spec.dataFormat, rank);
  const int64_t inChannels = spec.inputShape[channelDim];
  if (isDynamicSize(inChannels))
    return fail(llvm::formatv("input channel count (dimension {0}) must be "
                              "static",
                              channelDim));
  if (inChannels < 1)
    return fail(
        llvm::formatv("input channel count must be >= 1, got {0}", inChannels));
  if (inChannels % spec.groups != 0)
    return fail(llvm::formatv("input channel count {0} is not divisible by "
                              "'groups' = {1}",
                              inChannels, spec.groups));

  for (auto [dim, size] : llvm::enumerate(spec.weightShape)) {
    if (isDynamicSize(size))
      return fail(llvm::formatv("weight shape must be static, dimension {0} "
                                "is dynamic",
                                dim));
    if (size < 1)
      return fail(llvm::formatv("weight dimension {0} must be >= 1, got {1}",
                                dim, size));
  }

  // Channel bookkeeping of the three kernel formats.
  llvm::ArrayRef<int64_t> weight = spec.weightShape;
  llvm::StringRef formatName = stringifyKernelFormat(spec.kernelFormat);
  int64_t outChannels;
  llvm::ArrayRef<int64_t> kernelSizes;
  if (spec.kernelFormat == KernelFormat::CoutKCin) {
    outChannels = weight.front();
    kernelSizes = weight.slice(1, numSpatial);
    if (outChannels % spec.groups != 0)
      return fail(llvm::formatv("output channel count {0} (weight dimension "
                                "0) is not divisible by 'groups' = {1}",
                                outChannels, spec.groups));
    int64_t inPerGroup = inChannels / spec.groups;
    if (weight.back() != inPerGroup)
      return fail(llvm::formatv(
          "weight dimension {0} must be the input channels per group ({1} / "
          "'groups' {2} = {3}) for kernel_format {4}, got {5}",
          rank - 1, inChannels, spec.groups, inPerGroup, formatName,
          weight.back()));
  } else {
    if (weight.front() != inChannels)
      return fail(llvm::formatv("weight dimension 0 must be the input channel "
                                "count {0} for kernel_format {1}, got {2}",
                                inChannels, formatName, weight.front()));
    bool outLast = spec.kernelFormat == KernelFormat::CinKCout;
    int64_t outPerGroup = outLast ? weight.back() : weight[1];
    kernelSizes = weight.slice(outLast ? 1 : 2, numSpatial);
    std::optional<int64_t> total = llvm::checkedMul(outPerGroup, spec.groups);
    if (!total)
      return fail("output channel count overflows 64-bit integers");
    outChannels = *total;
  }

  if (spec.numOutputMaps && *spec.numOutputMaps != outChannels)
    return fail(llvm::formatv("'num_output_maps' = {0} disagrees with the "
                              "weight, which gives {1} output channels",
                              *spec.numOutputMaps, outChannels));
  if (spec.kernelSize && *spec.kernelSize != kernelSizes)
    return fail(llvm::formatv("'kernel_size' = {0} disagrees with the "
                              "weight's spatial sizes {1}",
                              formatList(*spec.kernelSize),
                              formatList(kernelSizes)));

  DeconvGeometry geometry;
  geometry.batchSize = spec.inputShape.front();
  geometry.inChannels = inChannels;
  geometry.outChannels = outChannels;
  geometry.groups = spec.groups;
  geometry.kernelSizes.assign(kernelSizes.begin(), kernelSizes.end());
  geometry.resultShape.assign(rank, 0);
  geometry.resultShape[0] = geometry.batchSize;
  geometry.resultShape[channelDim] = outChannels;
  auto entry = [](const std::optional<llvm::ArrayRef<int64_t>> &array,
                  int64_t axis) -> std::optional<int64_t> {
    if (!array)
      return std::nullopt;
    return (*array)[axis];
  };
  for (int64_t axis = 0; axis < numSpatial; ++axis) {
    AxisSpec axisSpec;
    axisSpec.inputSize = spec.inputShape[getSpatialDim(spec.dataFormat, axis)];
    axisSpec.kernelSize = kernelSizes[axis];
    axisSpec.stride = entry(spec.stride, axis).value_or(1);
    axisSpec.dilation = entry(spec.dilation, axis).value_or(1);
    axisSpec.padding = entry(spec.padding, axis).value_or(0);
    axisSpec.prePadding = entry(spec.prePadding, axis);
    axisSpec.postPadding = entry(spec.postPadding, axis);
    axisSpec.outputPadding = entry(spec.outputPadding, axis).value_or(0);
    axisSpec.outputShape = entry(spec.outputShape, axis);
    axisSpec.paddingMode = spec.paddingMode;
    llvm::Expected<AxisGeometry> axisGeometry = resolveAxis(axisSpec, axis);
    if (!axisGeometry)
      return axisGeometry.takeError();
    geometry.inputSizes.push_back(axisSpec.inputSize);
    geometry.strides.push_back(axisSpec.stride);
    geometry.dilations.push_back(axisSpec.dilation);
    geometry.axes.push_back(*axisGeometry);
    geometry.resultShape[getSpatialDim(spec.dataFormat, axis)] =
        axisGeometry->outputSize;
  }
  // Each size may be legal and their product still overflow: every tensor's
  // bytes (8 per element at most) must fit int64 wherever sizes are known.
  auto checkBytes = [&](llvm::StringRef what,
                        llvm::ArrayRef<int64_t> shape) -> llvm::Error {
    int64_t bytes = 8;
    for (int64_t size : shape)
      if (!isDynamicSize(size) && __builtin_mul_overflow(bytes, size, &bytes))
        return fail(llvm::formatv("{0} {1} has more elements than int64 "
                                  "byte offsets reach",
                                  what, formatShape(shape)));
    return llvm::Error::success();
  };
  if (llvm::Error error = checkBytes("input", spec.inputShape))
    return std::move(error);
  if (llvm::Error error = checkBytes("weight", spec.weightShape))
    return std::move(error);
  if (llvm::Error error = checkBytes("result", geometry.resultShape))
    return std::move(error);
  return geometry;
}
