//===- Network.cpp - the network builder and its IR -----------------------===//
//
// The builder only records settings; buildNetworkModule turns them into
// `deconv.deconv`, `deconv.quantize` and `deconv.dequantize` ops and lets
// the verifier judge them, so the API and the
// textual IR share every rule and message. The output dimensions a layer
// reports come from the same shape helper the verifier calls.
//
//===----------------------------------------------------------------------===//

#include "NetworkBuilder.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/IR/DeconvShape.h"
#include "deconv/Support/FirstError.h"
#include "deconv/Target/RuntimeTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"

#include <map>

using namespace mlir;
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
using mlir::deconv::toPublicDims;

/// The network's tensors and layers, behind a pointer so that moving the
/// network leaves every Tensor and layer pointer valid.
struct Tensor::Owner {
  std::vector<std::unique_ptr<Tensor>> tensors;
  std::vector<std::unique_ptr<Layer>> layers;
  std::vector<Tensor *> inputs, outputs;
  /// Misuses in the order they happened; the first is reported.
  std::vector<std::string> misuses;
};

// The public enums mirror the dialect's, value for value.
static_assert(static_cast<int>(::deconv::PaddingMode::Valid) ==
              static_cast<int>(mlir::deconv::PaddingMode::Valid));
static_assert(static_cast<int>(::deconv::PaddingMode::SameLower) ==
              static_cast<int>(mlir::deconv::PaddingMode::SameLower));
static_assert(static_cast<int>(::deconv::DataFormat::ChannelsLast) ==
              static_cast<int>(mlir::deconv::DataFormat::ChannelsLast));
static_assert(static_cast<int>(::deconv::KernelFormat::CoutKCin) ==
              static_cast<int>(mlir::deconv::KernelFormat::CoutKCin));
static_assert(static_cast<int>(::deconv::KernelFormat::CinKCout) ==
              static_cast<int>(mlir::deconv::KernelFormat::CinKCout));

namespace deconv {

/// What the IR builder reads of the public classes' private state.
struct NetworkAccess {
  static Tensor::Owner &owner(const NetworkDefinition &network) {
    return *network.state;
  }
  static const Dims &declaredDims(const Tensor &tensor) { return tensor.dims; }

  /// The array settings a layer holds; unset ones keep the IR's defaults.
  struct ArraySettings {
    std::optional<Dims> stride, dilation, padding, prePadding, postPadding,
        outputPadding, outputShape;
  };
  static ArraySettings arrays(const DeconvolutionLayer &layer) {
    return {layer.stride,     layer.dilation,    layer.padding,
            layer.prePadding, layer.postPadding, layer.outputPadding,
            layer.outputShape};
  }
};

} // namespace deconv

//===----------------------------------------------------------------------===//
// The shape of a layer's weight and result
//===----------------------------------------------------------------------===//

namespace {

/// Public dims (-1 dynamic) as MLIR sizes; other negative sizes stay
/// negative and reach the verifier, which names them.
SmallVector<int64_t> toMlirShape(const Dims &dims) {
  SmallVector<int64_t> shape;
  for (int64_t size : dims)
    shape.push_back(size == -1 ? ShapedType::kDynamic : size);
  return shape;
}

/// Everything the IR op of a layer needs, read from the public settings.
struct LayerView {
  const DeconvolutionLayer &layer;
  Dims inputDims;

  mlir::deconv::DataFormat dataFormat() const {
    return static_cast<mlir::deconv::DataFormat>(layer.getDataFormat());
  }
  mlir::deconv::KernelFormat kernelFormat() const {
    return static_cast<mlir::deconv::KernelFormat>(layer.getKernelFormat());
  }

  /// The weight shape the layer's settings give its own kernel weights.
  StatusOr<Dims> getWeightShape() const {
    const int64_t rank = inputDims.size();
    if (rank < 3)
      return Status::error("the input must have a batch, a channel and at "
                           "least one spatial axis, got rank " +
                           std::to_string(rank));
    int64_t channelDim = mlir::deconv::getChannelDim(dataFormat(), rank);
    int64_t cin = inputDims[channelDim];
    if (cin == -1)
      return Status::error("the input's channel count (dimension " +
                           std::to_string(channelDim) +
                           ") must be static, as in TensorRT");
    int64_t cout = layer.getNbOutputMaps();
    int64_t groups = layer.getNbGroups();
    if (groups < 1)
      return Status::error("groups must be >= 1, got " +
                           std::to_string(groups));
    if (cout < 1 || cout % groups != 0)
      return Status::error(std::to_string(cout) +
                           " output maps are not a positive multiple of " +
                           std::to_string(groups) + " groups");
    if (cin < 1 || cin % groups != 0)
      return Status::error("the input's " + std::to_string(cin) +
                           " channels are not a positive multiple of " +
                           std::to_string(groups) + " groups");
    const Dims &kernel = layer.getKernelSizeNd();
    switch (layer.getKernelFormat()) {
    case ::deconv::KernelFormat::CinCoutK: {
      Dims shape = {cin, cout / groups};
      shape.insert(shape.end(), kernel.begin(), kernel.end());
      return shape;
    }
    case ::deconv::KernelFormat::CinKCout: {
      Dims shape = {cin};
      shape.insert(shape.end(), kernel.begin(), kernel.end());
      shape.push_back(cout / groups);
      return shape;
    }
    case ::deconv::KernelFormat::CoutKCin: {
      Dims shape = {cout};
      shape.insert(shape.end(), kernel.begin(), kernel.end());
      shape.push_back(cin / groups);
      return shape;
    }
    }
    return Status::error("unknown kernel format");
  }

  /// The result shape by the shape helper, as the verifier computes it.
  StatusOr<Dims> getResultShape(const Dims &weightShape) const {
    SmallVector<int64_t> input = toMlirShape(inputDims);
    SmallVector<int64_t> weight = toMlirShape(weightShape);
    ::deconv::NetworkAccess::ArraySettings arrays =
        ::deconv::NetworkAccess::arrays(layer);
    mlir::deconv::DeconvSpec spec;
    spec.inputShape = input;
    spec.weightShape = weight;
    spec.dataFormat = dataFormat();
    spec.kernelFormat = kernelFormat();
    spec.groups = layer.getNbGroups();
    spec.numOutputMaps = layer.getNbOutputMaps();
    spec.kernelSize = ArrayRef<int64_t>(layer.getKernelSizeNd());
    std::pair<std::optional<ArrayRef<int64_t>> *, const std::optional<Dims> *>
        fields[] = {{&spec.stride, &arrays.stride},
                    {&spec.dilation, &arrays.dilation},
                    {&spec.padding, &arrays.padding},
                    {&spec.prePadding, &arrays.prePadding},
                    {&spec.postPadding, &arrays.postPadding},
                    {&spec.outputPadding, &arrays.outputPadding},
                    {&spec.outputShape, &arrays.outputShape}};
    for (auto [field, value] : fields)
      if (*value)
        *field = ArrayRef<int64_t>(**value);
    spec.paddingMode =
        static_cast<mlir::deconv::PaddingMode>(layer.getPaddingMode());
    llvm::Expected<mlir::deconv::DeconvGeometry> geometry =
        mlir::deconv::resolveDeconv(spec);
    if (!geometry)
      return Status::error(llvm::toString(geometry.takeError()));
    return toPublicDims(geometry->resultShape);
  }
};

} // namespace

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
  LayerView view{*producer,
                 getDimensionsWithin(producer->getInput(0), budget - 1)};
  StatusOr<Dims> weightShape = producer->getInput(1)
                                   ? StatusOr<Dims>(getDimensionsWithin(
                                         producer->getInput(1), budget - 1))
                                   : view.getWeightShape();
  if (!weightShape)
    return {};
  StatusOr<Dims> result = view.getResultShape(*weightShape);
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

//===----------------------------------------------------------------------===//
// The IR of a network
//===----------------------------------------------------------------------===//

namespace {

/// Builds the ops of one layer; fails only on what the IR cannot express.
class LayerBuilder {
public:
  LayerBuilder(OpBuilder &builder, std::map<const Tensor *, Value> &values)
      : builder(builder), values(values) {}

  /// The quantize or dequantize op of `layer`.
  StatusOr<Value> build(const QuantizationLayer &layer) {
    StatusOr<Value> input = lookup(layer.getInput(0), "input");
    if (!input)
      return Status::error("layer '" + layer.getName() +
                           "': " + input.message());
    Location loc = NameLoc::get(builder.getStringAttr(layer.getName()));
    auto inputType = cast<RankedTensorType>(input->getType());
    auto resultType = RankedTensorType::get(
        inputType.getShape(),
        mlir::deconv::fromRuntimeElementType(layer.getOutput()->getType(),
                                             builder.getContext()));
    DenseF32ArrayAttr scales = builder.getDenseF32ArrayAttr(layer.getScales());
    DenseI64ArrayAttr zeroPoints =
        builder.getDenseI64ArrayAttr(layer.getZeroPoints());
    IntegerAttr axis = layer.getAxis() == -1
                           ? nullptr
                           : builder.getI64IntegerAttr(layer.getAxis());
    if (layer.getType() == LayerType::Quantize)
      return mlir::deconv::QuantizeOp::create(builder, loc, resultType, *input,
                                              scales, zeroPoints, axis)
          .getResult();
    return mlir::deconv::DequantizeOp::create(builder, loc, resultType, *input,
                                              scales, zeroPoints, axis)
        .getResult();
  }

  StatusOr<Value> build(const DeconvolutionLayer &layer) {
    auto prefix = [&](const std::string &message) {
      return Status::error("layer '" + layer.getName() + "': " + message);
    };
    StatusOr<Value> input = lookup(layer.getInput(0), "data input");
    if (!input)
      return prefix(input.message());
    auto inputType = cast<RankedTensorType>(input->getType());
    Location loc = NameLoc::get(builder.getStringAttr(layer.getName()));
    LayerView view{layer, toPublicDims(inputType.getShape())};

    Value weight, bias;
    if (layer.getInput(1)) {
      StatusOr<Value> tensor = lookup(layer.getInput(1), "kernel input");
      if (!tensor)
        return prefix(tensor.message());
      weight = *tensor;
    } else {
      Weights weights = layer.getKernelWeights();
      if (weights.count == 0)
        return prefix("no kernel weights: give them to addDeconvolutionNd "
                      "or setKernelWeights, or connect a tensor with "
                      "setInput(1, tensor)");
      StatusOr<Dims> shape = view.getWeightShape();
      if (!shape)
        return prefix(shape.message());
      int64_t needed = 1;
      for (int64_t size : *shape)
        needed = size > 0 && needed <= INT64_MAX / size ? needed * size : -1;
      if (needed != weights.count)
        return prefix("kernel weights hold " + std::to_string(weights.count) +
                      " values but a kernel of shape " +
                      ::deconv::formatShape(*shape) + " needs " +
                      std::to_string(needed));
      weight = constant(weights, *shape, inputType.getElementType(), loc);
    }
    if (layer.getInput(2)) {
      StatusOr<Value> tensor = lookup(layer.getInput(2), "bias input");
      if (!tensor)
        return prefix(tensor.message());
      bias = *tensor;
    } else if (Weights weights = layer.getBiasWeights(); weights.count > 0) {
      bias =
          constant(weights, {weights.count}, inputType.getElementType(), loc);
    }

    // The result type by the shape helper; where the settings are invalid
    // the verifier names the problem, so any type will do until then.
    StatusOr<Dims> resultShape = view.getResultShape(
        toPublicDims(cast<RankedTensorType>(weight.getType()).getShape()));
    Type resultType = resultShape
                          ? RankedTensorType::get(toMlirShape(*resultShape),
                                                  inputType.getElementType())
                          : Type(inputType);

    SmallVector<NamedAttribute> attributes;
    auto array = [&](StringRef name, const Dims &values) {
      attributes.push_back(
          builder.getNamedAttr(name, builder.getDenseI64ArrayAttr(values)));
    };
    MLIRContext *context = builder.getContext();
    array("kernel_size", layer.getKernelSizeNd());
    attributes.push_back(builder.getNamedAttr(
        "num_output_maps", builder.getI64IntegerAttr(layer.getNbOutputMaps())));
    if (layer.getNbGroups() != 1)
      attributes.push_back(builder.getNamedAttr(
          "groups", builder.getI64IntegerAttr(layer.getNbGroups())));
    // Only what the user set becomes an attribute; the rest keeps the IR's
    // defaults.
    ::deconv::NetworkAccess::ArraySettings arrays =
        ::deconv::NetworkAccess::arrays(layer);
    std::pair<StringRef, const std::optional<Dims> *> named[] = {
        {"stride", &arrays.stride},
        {"dilation", &arrays.dilation},
        {"padding", &arrays.padding},
        {"pre_padding", &arrays.prePadding},
        {"post_padding", &arrays.postPadding},
        {"output_padding", &arrays.outputPadding},
        {"output_shape", &arrays.outputShape}};
    for (auto [attributeName, value] : named)
      if (*value)
        array(attributeName, **value);
    if (layer.getPaddingMode() != ::deconv::PaddingMode::ExplicitRoundDown)
      attributes.push_back(builder.getNamedAttr(
          "padding_mode", mlir::deconv::PaddingModeAttr::get(
                              context, static_cast<mlir::deconv::PaddingMode>(
                                           layer.getPaddingMode()))));
    if (layer.getDataFormat() != ::deconv::DataFormat::ChannelsFirst)
      attributes.push_back(builder.getNamedAttr(
          "data_format",
          mlir::deconv::DataFormatAttr::get(context, view.dataFormat())));
    if (layer.getKernelFormat() != ::deconv::KernelFormat::CinCoutK)
      attributes.push_back(builder.getNamedAttr(
          "kernel_format",
          mlir::deconv::KernelFormatAttr::get(context, view.kernelFormat())));

    SmallVector<Value> operands = {*input, weight};
    if (bias)
      operands.push_back(bias);
    auto op = mlir::deconv::DeconvOp::create(
        builder, loc, TypeRange{resultType}, operands, attributes);
    return op.getResult();
  }

private:
  StatusOr<Value> lookup(const Tensor *tensor, const char *what) {
    if (!tensor)
      return Status::error(std::string("its ") + what + " is unset");
    auto found = values.find(tensor);
    if (found == values.end())
      return Status::error(std::string("its ") + what + " '" +
                           tensor->getName() +
                           "' depends on the layer's own output (a cycle)");
    return found->second;
  }

  /// An arith.constant of `weights` in the input's element type.
  Value constant(const Weights &weights, const Dims &shape, Type elementType,
                 Location loc) {
    ElementType type = *mlir::deconv::toRuntimeElementType(elementType);
    HostTensor source(weights.type, {weights.count});
    std::memcpy(source.data(), weights.values, source.getSizeInBytes());
    HostTensor converted(type, {weights.count});
    for (int64_t i = 0; i < weights.count; ++i)
      converted.setFromDouble(i, source.getAsDouble(i));
    auto tensorType = RankedTensorType::get(toMlirShape(shape), elementType);
    auto attribute = DenseElementsAttr::getFromRawBuffer(
        tensorType,
        ArrayRef<char>(reinterpret_cast<const char *>(converted.data()),
                       converted.getSizeInBytes()));
    return arith::ConstantOp::create(builder, loc, tensorType,
                                     cast<TypedAttr>(attribute));
  }

  OpBuilder &builder;
  std::map<const Tensor *, Value> &values;
};

} // namespace

Dims mlir::deconv::toPublicDims(ArrayRef<int64_t> shape) {
  Dims dims;
  for (int64_t size : shape)
    dims.push_back(ShapedType::isDynamic(size) ? -1 : size);
  return dims;
}

StatusOr<OwningOpRef<ModuleOp>>
mlir::deconv::buildNetworkModule(const NetworkDefinition &network,
                                 MLIRContext &context) {
  auto &state = ::deconv::NetworkAccess::owner(network);
  if (!state.misuses.empty())
    return Status::error(state.misuses.front());
  if (state.outputs.empty())
    return Status::error("the network has no outputs: mark one with "
                         "markOutput");

  OpBuilder builder(&context);
  Location unknown = builder.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(unknown);
  builder.setInsertionPointToEnd(module->getBody());

  SmallVector<Type> argumentTypes;
  for (const Tensor *input : state.inputs)
    argumentTypes.push_back(RankedTensorType::get(
        toMlirShape(::deconv::NetworkAccess::declaredDims(*input)),
        fromRuntimeElementType(input->getType(), &context)));
  auto function =
      func::FuncOp::create(builder, unknown, kNetworkFunctionName,
                           builder.getFunctionType(argumentTypes, {}));
  Block *body = function.addEntryBlock();
  builder.setInsertionPointToEnd(body);

  std::map<const Tensor *, Value> values;
  for (auto [index, input] : llvm::enumerate(state.inputs)) {
    values[input] = body->getArgument(index);
    function.setArgAttr(index, "deconv.name",
                        builder.getStringAttr(input->getName()));
  }
  FirstError error(&context);
  LayerBuilder layers(builder, values);
  // Layers in the order they were added, except that a layer waits for the
  // layers computing its inputs (a kernel's quantize/dequantize added after
  // the deconvolution it feeds). What never becomes ready is a cycle; its
  // first layer reports it.
  std::vector<const Layer *> pending;
  for (const auto &layer : state.layers)
    pending.push_back(layer.get());
  auto isReady = [&](const Layer *layer) {
    for (int index = 0; index < 3; ++index)
      if (const Tensor *input = layer->getInput(index);
          input && !values.count(input))
        return false;
    return true;
  };
  while (!pending.empty()) {
    auto next = llvm::find_if(pending, isReady);
    const Layer *layer = next == pending.end() ? pending.front() : *next;
    StatusOr<Value> result =
        layer->getType() == LayerType::Deconvolution
            ? layers.build(static_cast<const DeconvolutionLayer &>(*layer))
            : layers.build(static_cast<const QuantizationLayer &>(*layer));
    if (!result)
      return result.status();
    values[layer->getOutput()] = *result;
    pending.erase(llvm::find(pending, layer));
  }
  SmallVector<Value> results;
  for (const Tensor *output : state.outputs)
    results.push_back(values.at(output));
  func::ReturnOp::create(builder, unknown, results);
  function.setFunctionType(
      builder.getFunctionType(argumentTypes, ValueRange(results).getTypes()));
  for (auto [index, output] : llvm::enumerate(state.outputs))
    function.setResultAttr(index, "deconv.name",
                           builder.getStringAttr(output->getName()));

  if (failed(verify(*module)))
    return Status::error(error.take("the network does not verify"));
  return module;
}

Status NetworkDefinition::validate() const {
  MLIRContext context;
  context.loadDialect<mlir::deconv::DeconvDialect, arith::ArithDialect,
                      func::FuncDialect>();
  StatusOr<OwningOpRef<ModuleOp>> module =
      mlir::deconv::buildNetworkModule(*this, context);
  return module ? Status::ok() : module.status();
}

StatusOr<std::string> NetworkDefinition::toIR() const {
  MLIRContext context;
  context.loadDialect<mlir::deconv::DeconvDialect, arith::ArithDialect,
                      func::FuncDialect>();
  StatusOr<OwningOpRef<ModuleOp>> module =
      mlir::deconv::buildNetworkModule(*this, context);
  if (!module)
    return module.status();
  std::string text;
  llvm::raw_string_ostream os(text);
  (*module)->print(os);
  return text;
}
