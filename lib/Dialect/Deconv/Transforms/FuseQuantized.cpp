//===- FuseQuantized.cpp - dequantize -> deconv -> quantize as integers ---===//
//
// -deconv-fuse-quantized: the graph that TensorRT's explicit quantization
// and ONNX's QDQ format build around a deconvolution,
//   quantize(deconv(dequantize(xq), dequantize(wq), bias)),
// becomes one integer deconvolution over xq and wq (a `deconv.deconv` with
// a `quantization` attribute): products summed exactly in i32, then one
// requantization, instead of float tensors four times the size.
//
// It fuses only where the integer form computes what the graph defines:
// f32 between the ops (an f16 or bf16 graph rounds where the fused form does
// not), the input quantized per tensor and the weight and the output per
// tensor or per output channel (a scale per input channel or per tap cannot
// leave the sum, unless a group has one input channel), no other use of the
// float result, and an accumulator that
// cannot overflow. Everything else stays as written, and runs unfused.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_FUSEQUANTIZEDPASS
#include "deconv/Dialect/Deconv/Transforms/Passes.h.inc"

namespace {

/// Scales and zero points, one entry or one per output channel.
struct ChannelQuantization {
  SmallVector<float> scales;
  SmallVector<int64_t> zeroPoints;
};

/// The weight's quantization per output channel c = g * Cout/G + j, when
/// its scales are per tensor or along the axis that holds output channels:
/// j in (Cin, Cout/G, K...) and (Cin, K..., Cout/G), c in (Cout, K..., Cin/G).
/// With one input channel per group (depthwise) a scale per input channel
/// serves too: output channel c sums over input channel g alone.
std::optional<ChannelQuantization>
getWeightQuantization(DequantizeOp weight, KernelFormat format,
                      const DeconvGeometry &geometry) {
  ArrayRef<float> scales = weight.getScale();
  ArrayRef<int64_t> zeroPoints = weight.getZeroPoint();
  if (weight.isPerTensor())
    return ChannelQuantization{{scales.front()}, {zeroPoints.front()}};
  const int64_t rank = weight.getInput().getType().getRank();
  const bool outputsFirst = format == KernelFormat::CoutKCin;
  const int64_t outputAxis = format == KernelFormat::CinCoutK   ? 1
                             : format == KernelFormat::CinKCout ? rank - 1
                                                                : 0;
  const int64_t inputAxis = outputsFirst ? rank - 1 : 0;
  const int64_t axis = static_cast<int64_t>(*weight.getAxis());
  const bool perInputOfGroup =
      axis == inputAxis && geometry.inChannels == geometry.groups;
  if (axis != outputAxis && !perInputOfGroup)
    return std::nullopt;
  const int64_t perGroup = geometry.outChannels / geometry.groups;
  ChannelQuantization result;
  for (int64_t c = 0; c < geometry.outChannels; ++c) {
    // The entry of c's own index along the axis: Cout, Cout/G, Cin or
    // Cin/G (whose one index is 0).
    const int64_t index = perInputOfGroup ? (outputsFirst ? 0 : c / perGroup)
                          : outputsFirst  ? c
                                          : c % perGroup;
    result.scales.push_back(scales[index]);
    result.zeroPoints.push_back(zeroPoints[index]);
  }
  return result;
}

/// The result's quantization when it is per tensor or along the channels.
std::optional<ChannelQuantization> getOutputQuantization(QuantizeOp output,
                                                         DataFormat format) {
  if (!output.isPerTensor()) {
    const int64_t rank = output.getInput().getType().getRank();
    if (static_cast<int64_t>(*output.getAxis()) != getChannelDim(format, rank))
      return std::nullopt;
  }
  return ChannelQuantization{SmallVector<float>(output.getScale()),
                             SmallVector<int64_t>(output.getZeroPoint())};
}

/// Fuses `output` with the deconvolution and the dequantizations before it;
/// leaves the graph as it is where they do not fit.
void fuse(QuantizeOp output, bool symmetricWeightsOnly) {
  auto deconv = output.getInput().getDefiningOp<DeconvOp>();
  if (!deconv || deconv.isQuantized() || !deconv->hasOneUse() ||
      !deconv.getResult().getType().getElementType().isF32())
    return;
  auto input = deconv.getInput().getDefiningOp<DequantizeOp>();
  auto weight = deconv.getWeight().getDefiningOp<DequantizeOp>();
  if (!input || !weight || input == weight || !input.isPerTensor())
    return;
  llvm::Expected<DeconvGeometry> geometry = deconv.resolveGeometry();
  if (!geometry) {
    llvm::consumeError(geometry.takeError()); // The verifier reports it.
    return;
  }
  std::optional<ChannelQuantization> weightQuantization = getWeightQuantization(
      weight, deconv.getKernelFormat().value_or(KernelFormat::CinCoutK),
      *geometry);
  std::optional<ChannelQuantization> outputQuantization = getOutputQuantization(
      output, deconv.getDataFormat().value_or(DataFormat::ChannelsFirst));
  if (!weightQuantization || !outputQuantization)
    return;

  MLIRContext *context = output.getContext();
  auto quantization = QuantizationAttr::get(
      context, DenseF32ArrayAttr::get(context, input.getScale()),
      DenseI64ArrayAttr::get(context, input.getZeroPoint()),
      DenseF32ArrayAttr::get(context, weightQuantization->scales),
      DenseI64ArrayAttr::get(context, weightQuantization->zeroPoints),
      DenseF32ArrayAttr::get(context, outputQuantization->scales),
      DenseI64ArrayAttr::get(context, outputQuantization->zeroPoints));
  int64_t products = geometry->inChannels / geometry->groups;
  for (int64_t size : geometry->kernelSizes)
    products *= size;
  TypedValue<RankedTensorType> quantizedInput = input.getInput(),
                               quantizedWeight = weight.getInput();
  if (!fitsInt32Accumulator(
          quantization, quantizedInput.getType().getElementType(),
          quantizedWeight.getType().getElementType(), products) ||
      (symmetricWeightsOnly &&
       !centersIntoInt8(quantizedWeight.getType().getElementType(),
                        weightQuantization->zeroPoints)))
    return;

  // The fused op keeps the float op's shapes (the quantization ops may
  // have written `?` where it knows a size, or the reverse): casts bridge
  // the integer values' own types.
  OpBuilder builder(output);
  Location loc = deconv.getLoc();
  auto withIntegers = [](Value floats, Value integers) {
    return RankedTensorType::get(
        cast<RankedTensorType>(floats.getType()).getShape(),
        cast<RankedTensorType>(integers.getType()).getElementType());
  };
  auto castTo = [&](Value value, Type type) -> Value {
    if (value.getType() == type)
      return value;
    return tensor::CastOp::create(builder, loc, type, value);
  };
  Value fusedInput = castTo(quantizedInput,
                            withIntegers(deconv.getInput(), quantizedInput));
  Value fusedWeight = castTo(
      quantizedWeight, withIntegers(deconv.getWeight(), quantizedWeight));
  auto fused = cast<DeconvOp>(builder.clone(*deconv));
  fused.getInputMutable().assign(fusedInput);
  fused.getWeightMutable().assign(fusedWeight);
  fused.getResult().setType(
      withIntegers(deconv.getResult(), output.getResult()));
  fused.setQuantizationAttr(quantization);
  output.getResult().replaceAllUsesWith(
      castTo(fused.getResult(), output.getResult().getType()));
  output.erase();
  deconv.erase();
  for (DequantizeOp dequantize : {input, weight})
    if (dequantize->use_empty())
      dequantize.erase();
}

// --deconv-fuse-quantized
struct FuseQuantizedPass : impl::FuseQuantizedPassBase<FuseQuantizedPass> {
  using FuseQuantizedPassBase::FuseQuantizedPassBase;
  void runOnOperation() override {
    SmallVector<QuantizeOp> outputs;
    getOperation()->walk([&](QuantizeOp op) { outputs.push_back(op); });
    for (QuantizeOp output : outputs)
      fuse(output, symmetricWeightsOnly);
  }
};

} // namespace
} // namespace mlir::deconv
