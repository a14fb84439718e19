//===- Network.cpp - the network builder's object model -------------------===//
//
// The builder only records settings and misuses; NetworkBuilder.cpp turns
// them into IR and lets the verifier judge them, so the API and the textual
// IR share every rule and message. The output dimensions a layer reports come
// from the same shape helper the verifier calls (getDeconvolutionResultDims).
//
//===----------------------------------------------------------------------===//

#include "NetworkBuilder.h"
#include "NetworkState.h"

#include <map>

using ::deconv::DeconvolutionLayer;
using ::deconv::Dims;
using ::deconv::ElementType;
using ::deconv::HostTensor;
using ::deconv::Layer;
using ::deconv::LayerType;
using ::deconv::NetworkDefinition;
using ::deconv::QuantizationLayer;
using ::deconv::Status;
using ::deconv::StatusOr;
using ::deconv::Tensor;
using ::deconv::Weights;

//===----------------------------------------------------------------------===//
// Tensor and DeconvolutionLayer
//===----------------------------------------------------------------------===//

/// A tensor's dimensions, following producers at most `budget` layers deep:
/// a cycle made with setInput ends in no dimensions instead of recursing
/// forever (building the IR reports it).
static Dims getDimensionsWithin(const Tensor *tensor, size_t budget) {
  if (!tensor)
    return {};
  const Layer *layer = tensor->getProducer();
  if (!layer)
    return ::deconv::NetworkAccess::declaredDims(*tensor);
  if (budget == 0)
    return {};
  if (layer->getType() != LayerType::Deconvolution) // Element-wise.
    return getDimensionsWithin(layer->getInput(0), budget - 1);
  const auto *producer = static_cast<const DeconvolutionLayer *>(layer);
  Dims inputDims = getDimensionsWithin(producer->getInput(0), budget - 1);
  StatusOr<Dims> weightShape =
      producer->getInput(1)
          ? StatusOr<Dims>(
                getDimensionsWithin(producer->getInput(1), budget - 1))
          : mlir::deconv::getDeconvolutionWeightDims(*producer, inputDims);
  if (!weightShape)
    return {};
  StatusOr<Dims> result = mlir::deconv::getDeconvolutionResultDims(
      *producer, inputDims, *weightShape);
  return result ? *result : Dims();
}

Dims Tensor::getDimensions() const {
  return getDimensionsWithin(this, owner->layers.size());
}

Layer::~Layer() = default;

void Layer::fail(const std::string &message) {
  owner->misuses.push_back("layer '" + name + "': " + message);
}

bool Layer::belongsHere(const char *setter, const Tensor &tensor) {
  if (tensor.owner == owner)
    return true;
  fail(std::string(setter) + ": tensor '" + tensor.getName() +
       "' belongs to another network");
  return false;
}

size_t DeconvolutionLayer::getNumSpatialDims() const {
  size_t rank = data ? data->getDimensions().size() : 0;
  return rank > 2 ? rank - 2 : 0;
}

Dims DeconvolutionLayer::orDefault(const std::optional<Dims> &value,
                                   int64_t fill) const {
  return value ? *value : Dims(getNumSpatialDims(), fill);
}

bool DeconvolutionLayer::checkNonNegative(const char *setter,
                                          const Dims &values) {
  for (size_t axis = 0; axis < values.size(); ++axis)
    if (values[axis] < 0) {
      fail(std::string(setter) +
           ": padding must be >= 0 (as in TensorRT), "
           "got " +
           std::to_string(values[axis]) + " on axis " + std::to_string(axis));
      return false;
    }
  return true;
}

Dims DeconvolutionLayer::getStrideNd() const { return orDefault(stride, 1); }
Dims DeconvolutionLayer::getDilationNd() const {
  return orDefault(dilation, 1);
}

void DeconvolutionLayer::setPaddingNd(Dims values) {
  if (!checkNonNegative("setPaddingNd", values))
    return;
  padding = std::move(values);
  prePadding.reset();
  postPadding.reset();
}
Dims DeconvolutionLayer::getPaddingNd() const { return orDefault(padding, 0); }

void DeconvolutionLayer::setPrePadding(Dims values) {
  if (checkNonNegative("setPrePadding", values))
    prePadding = std::move(values);
}
Dims DeconvolutionLayer::getPrePadding() const {
  return prePadding ? *prePadding : getPaddingNd();
}

void DeconvolutionLayer::setPostPadding(Dims values) {
  if (checkNonNegative("setPostPadding", values))
    postPadding = std::move(values);
}
Dims DeconvolutionLayer::getPostPadding() const {
  return postPadding ? *postPadding : getPaddingNd();
}

void DeconvolutionLayer::setOutputPadding(Dims values) {
  if (checkNonNegative("setOutputPadding", values))
    outputPadding = std::move(values);
}
Dims DeconvolutionLayer::getOutputPadding() const {
  return orDefault(outputPadding, 0);
}

bool DeconvolutionLayer::storeWeights(const char *setter,
                                      const Weights &weights,
                                      std::optional<HostTensor> &stored) {
  if (weights.count < 0 || (weights.count > 0 && !weights.values)) {
    fail(std::string(setter) + ": weights of " + std::to_string(weights.count) +
         " values at " + (weights.values ? "an address" : "a null address"));
    return false;
  }
  if (weights.count > 0 &&
      (weights.type == ElementType::I8 || weights.type == ElementType::U8)) {
    fail(std::string(setter) + ": " +
         std::string(::deconv::getElementTypeName(weights.type)) +
         " weights need their scales: give them as an input through "
         "addDequantize and setInput, or give f32, f16 or bf16 weights");
    return false;
  }
  if (weights.count == 0) {
    stored.reset();
    return true;
  }
  stored.emplace(weights.type, std::vector<int64_t>{weights.count});
  std::memcpy(stored->data(), weights.values, stored->getSizeInBytes());
  return true;
}

void DeconvolutionLayer::setKernelWeights(Weights weights) {
  if (storeWeights("setKernelWeights", weights, kernelWeights))
    kernelTensor = nullptr;
}

void DeconvolutionLayer::setBiasWeights(Weights weights) {
  if (storeWeights("setBiasWeights", weights, biasWeights))
    biasTensor = nullptr;
}

static Weights viewOf(const std::optional<HostTensor> &stored) {
  if (!stored)
    return Weights{};
  return Weights{stored->getElementType(), stored->data(),
                 stored->getNumElements()};
}

Weights DeconvolutionLayer::getKernelWeights() const {
  return viewOf(kernelWeights);
}
Weights DeconvolutionLayer::getBiasWeights() const {
  return viewOf(biasWeights);
}

void DeconvolutionLayer::setInput(int index, Tensor &tensor) {
  if (index < 0 || index > 2) {
    fail("setInput: index " + std::to_string(index) +
         " is not 0 (data), 1 (kernel) or 2 (bias)");
    return;
  }
  if (!belongsHere("setInput", tensor))
    return;
  if (&tensor == output) {
    fail("setInput: the layer's own output cannot be its input");
    return;
  }
  if (index == 0) {
    data = &tensor;
  } else if (index == 1) {
    kernelTensor = &tensor;
    kernelWeights.reset();
  } else {
    biasTensor = &tensor;
    biasWeights.reset();
  }
}

Tensor *DeconvolutionLayer::getInput(int index) const {
  switch (index) {
  case 0:
    return data;
  case 1:
    return kernelTensor;
  case 2:
    return biasTensor;
  default:
    return nullptr;
  }
}

//===----------------------------------------------------------------------===//
// NetworkDefinition
//===----------------------------------------------------------------------===//

NetworkDefinition::NetworkDefinition() : state(new Tensor::Owner()) {}
NetworkDefinition::~NetworkDefinition() = default;
NetworkDefinition::NetworkDefinition(NetworkDefinition &&) noexcept = default;
NetworkDefinition &
NetworkDefinition::operator=(NetworkDefinition &&) noexcept = default;

Tensor *NetworkDefinition::addInput(std::string name, ElementType type,
                                    Dims dims) {
  for (size_t axis = 0; axis < dims.size(); ++axis)
    if (dims[axis] < -1 || dims[axis] == 0)
      state->misuses.push_back(
          "addInput: input '" + name + "' has size " +
          std::to_string(dims[axis]) + " on axis " + std::to_string(axis) +
          "; sizes are >= 1, or -1 for a size known at run time");
  for (const Tensor *input : state->inputs)
    if (input->getName() == name)
      state->misuses.push_back("addInput: two inputs are named '" + name + "'");
  state->tensors.push_back(std::unique_ptr<Tensor>(new Tensor(
      state.get(), std::move(name), type, std::move(dims), nullptr)));
  state->inputs.push_back(state->tensors.back().get());
  return state->inputs.back();
}

DeconvolutionLayer *NetworkDefinition::addDeconvolutionNd(Tensor &input,
                                                          int64_t numOutputMaps,
                                                          Dims kernelSize,
                                                          Weights kernelWeights,
                                                          Weights biasWeights) {
  std::string name = "deconvolution_" + std::to_string(state->layers.size());
  auto *layer = new DeconvolutionLayer(state.get(), name, input, numOutputMaps,
                                       std::move(kernelSize));
  state->layers.push_back(std::unique_ptr<Layer>(layer));
  if (!layer->belongsHere("addDeconvolutionNd", input))
    layer->data = nullptr;
  layer->storeWeights("addDeconvolutionNd", kernelWeights,
                      layer->kernelWeights);
  layer->storeWeights("addDeconvolutionNd", biasWeights, layer->biasWeights);
  state->tensors.push_back(std::unique_ptr<Tensor>(
      new Tensor(state.get(), name + "_output", input.getType(), {}, layer)));
  layer->output = state->tensors.back().get();
  return layer;
}

void QuantizationLayer::setScales(std::vector<float> newScales,
                                  std::vector<int64_t> newZeroPoints) {
  if (newZeroPoints.empty())
    newZeroPoints.assign(newScales.size(), 0);
  scales = std::move(newScales);
  zeroPoints = std::move(newZeroPoints);
}

Layer *NetworkDefinition::addQuantization(LayerType type, const char *adder,
                                          Tensor &input, ElementType resultType,
                                          std::vector<float> scales,
                                          std::vector<int64_t> zeroPoints,
                                          int64_t axis) {
  const bool quantize = type == LayerType::Quantize;
  std::string name = (quantize ? "quantize_" : "dequantize_") +
                     std::to_string(state->layers.size());
  auto *layer = new QuantizationLayer(type, state.get(), name, input);
  state->layers.push_back(std::unique_ptr<Layer>(layer));
  layer->setScales(std::move(scales), std::move(zeroPoints));
  layer->setAxis(axis);
  if (!layer->belongsHere(adder, input))
    layer->input = nullptr;
  auto isInteger = [](ElementType t) {
    return t == ElementType::I8 || t == ElementType::U8;
  };
  if (quantize ? !isInteger(resultType) : isInteger(resultType))
    layer->fail(std::string(adder) + ": the result type must be " +
                (quantize ? "i8 or ui8" : "f32, f16 or bf16") + ", not " +
                std::string(::deconv::getElementTypeName(resultType)));
  state->tensors.push_back(std::unique_ptr<Tensor>(
      new Tensor(state.get(), name + "_output", resultType, {}, layer)));
  layer->output = state->tensors.back().get();
  return layer;
}

QuantizationLayer *
NetworkDefinition::addQuantize(Tensor &input, ElementType integerType,
                               std::vector<float> scales,
                               std::vector<int64_t> zeroPoints, int64_t axis) {
  return static_cast<QuantizationLayer *>(
      addQuantization(LayerType::Quantize, "addQuantize", input, integerType,
                      std::move(scales), std::move(zeroPoints), axis));
}

QuantizationLayer *NetworkDefinition::addDequantize(
    Tensor &input, ElementType floatType, std::vector<float> scales,
    std::vector<int64_t> zeroPoints, int64_t axis) {
  return static_cast<QuantizationLayer *>(
      addQuantization(LayerType::Dequantize, "addDequantize", input, floatType,
                      std::move(scales), std::move(zeroPoints), axis));
}

void NetworkDefinition::markOutput(Tensor &tensor) {
  if (tensor.owner != state.get()) {
    state->misuses.push_back("markOutput: tensor '" + tensor.getName() +
                             "' belongs to another network");
    return;
  }
  state->outputs.push_back(&tensor);
}

int NetworkDefinition::getNbInputs() const { return state->inputs.size(); }
int NetworkDefinition::getNbOutputs() const { return state->outputs.size(); }
int NetworkDefinition::getNbLayers() const { return state->layers.size(); }

Tensor *NetworkDefinition::getInput(int index) const {
  return index >= 0 && index < getNbInputs() ? state->inputs[index] : nullptr;
}
Tensor *NetworkDefinition::getOutput(int index) const {
  return index >= 0 && index < getNbOutputs() ? state->outputs[index] : nullptr;
}
Layer *NetworkDefinition::getLayer(int index) const {
  return index >= 0 && index < getNbLayers() ? state->layers[index].get()
                                             : nullptr;
}
