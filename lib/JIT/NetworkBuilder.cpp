//===- NetworkBuilder.cpp - a NetworkDefinition as deconv IR --------------===//
//
// Turns the recorded settings into `deconv.deconv`, `deconv.quantize` and
// `deconv.dequantize` ops in dependency order and runs the verifier, whose
// first message (prefixed with the layer's name) is the network's error.
//
//===----------------------------------------------------------------------===//

#include "NetworkBuilder.h"
#include "NetworkState.h"

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

::deconv::StatusOr<Dims>
mlir::deconv::getDeconvolutionWeightDims(const DeconvolutionLayer &layer,
                                         const Dims &inputDims) {
  return LayerView{layer, inputDims}.getWeightShape();
}

::deconv::StatusOr<Dims>
mlir::deconv::getDeconvolutionResultDims(const DeconvolutionLayer &layer,
                                         const Dims &inputDims,
                                         const Dims &weightDims) {
  return LayerView{layer, inputDims}.getResultShape(weightDims);
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
