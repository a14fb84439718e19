//===- OnnxImporter.cpp - ONNX graphs to deconv IR ------------------------===//
//
// One pass over the graph's nodes in ONNX's (topological) order, keeping a
// value per ONNX name. Constants (initializers, Constant nodes, frozen
// inputs, and Identity of any of them) are kept as tensors until an op needs
// them: quantization parameters become attributes, anything else an
// `arith.constant` of a `dense_resource` blob. Every attribute is checked
// here, with ONNX's names, before the shape helper (DeconvShape.h) derives
// the result types; the verifier runs last as a safety net.
//
//===----------------------------------------------------------------------===//

#include "deconv/Import/OnnxImporter.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/IR/DeconvShape.h"
#include "deconv/Target/RuntimeTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <deque>
#include <set>

using namespace mlir;
using namespace mlir::deconv;
using ::deconv::onnx_import::getDataTypeName;
using ::deconv::onnx_import::OnnxAttribute;
using ::deconv::onnx_import::OnnxDataType;
using ::deconv::onnx_import::OnnxGraph;
using ::deconv::onnx_import::OnnxNode;
using ::deconv::onnx_import::OnnxTensor;
using ::deconv::onnx_import::OnnxValueInfo;

void mlir::deconv::loadOnnxImportDialects(MLIRContext &context) {
  context.loadDialect<DeconvDialect, func::FuncDialect, arith::ArithDialect>();
}

namespace {

bool isUnsignedInteger(Type type) {
  auto integer = dyn_cast<IntegerType>(type);
  return integer && integer.isUnsigned();
}

/// The MLIR element type of an ONNX data type, or null for those deconv
/// does not compute in.
/// The MLIR element type of an ONNX data type code; null for the types
/// deconv does not take.
Type getElementType(MLIRContext *context, int32_t dataType) {
  std::optional<::deconv::ElementType> type =
      ::deconv::onnx_import::toElementType(dataType);
  return type ? fromRuntimeElementType(*type, context) : Type();
}

constexpr const char *kSupportedTypes =
    "deconv takes FLOAT, FLOAT16, BFLOAT16, INT8 and UINT8";

SmallVector<int64_t> toMlirShape(ArrayRef<int64_t> dims) {
  SmallVector<int64_t> shape;
  for (int64_t size : dims)
    shape.push_back(size < 0 ? ShapedType::kDynamic : size);
  return shape;
}

/// A resource name MLIR prints bare: the ONNX name with other characters
/// replaced, never starting with a digit.
std::string getBlobName(StringRef onnxName) {
  std::string name = onnxName.empty() ? "constant" : onnxName.str();
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  if (!llvm::isAlpha(name.front()) && name.front() != '_')
    name = "onnx_" + name;
  return name;
}

/// "ConvTranspose node 'up1'", or by its first output when unnamed.
std::string describe(const OnnxNode &node) {
  if (!node.name.empty())
    return node.opType + " node '" + node.name + "'";
  return node.opType + " node (output '" +
         (node.outputs.empty() ? std::string() : node.outputs.front()) + "')";
}

class GraphImporter {
public:
  GraphImporter(MLIRContext &context, const OnnxGraph &graph,
                const OnnxImportOptions &options)
      : context(context), builder(&context), graph(graph), options(options) {}

  FailureOr<OwningOpRef<ModuleOp>> run(std::string &error);

private:
  LogicalResult fail(const std::string &message) {
    if (errorMessage.empty())
      errorMessage = message;
    return failure();
  }
  LogicalResult failNode(const OnnxNode &node, const std::string &message) {
    return fail(describe(node) + ": " + message);
  }

  LogicalResult declareArguments(SmallVectorImpl<Type> &types,
                                 SmallVectorImpl<std::string> &names);
  LogicalResult importNode(const OnnxNode &node);
  LogicalResult importConvTranspose(const OnnxNode &node);
  void warnOnOutputShapeSplit(const OnnxNode &node, const DeconvSpec &spec,
                              const DeconvGeometry &geometry);
  void warnOnSameCap(const OnnxNode &node, const DeconvSpec &spec,
                     const DeconvGeometry &geometry);
  LogicalResult importQuantization(const OnnxNode &node, bool quantize);
  LogicalResult importConstant(const OnnxNode &node);
  LogicalResult checkOutput(const OnnxValueInfo &output, Value value);

  /// The value of ONNX name `name` as node `node`'s operand `role`,
  /// materializing a constant on first use.
  FailureOr<Value> getOperand(const OnnxNode &node, const std::string &name,
                              StringRef role);
  /// The constant tensor named `name`, or a failure saying the operand must
  /// be one.
  FailureOr<const OnnxTensor *>
  getConstant(const OnnxNode &node, const std::string &name, StringRef role);
  /// An attribute of an expected kind, if present.
  FailureOr<const OnnxAttribute *>
  getAttribute(const OnnxNode &node, StringRef name, OnnxAttribute::Kind kind);
  LogicalResult checkAttributeNames(const OnnxNode &node,
                                    ArrayRef<StringRef> known);

  MLIRContext &context;
  OpBuilder builder;
  const OnnxGraph &graph;
  const OnnxImportOptions &options;
  std::string errorMessage;
  std::map<std::string, Value> values;
  /// describe() of each node by the name its ops' locations carry.
  std::map<std::string, std::string> nodeLabels;
  std::map<std::string, const OnnxTensor *> constants;
  /// The arith.constant made for each tensor, once.
  std::map<const OnnxTensor *, Value> materialized;
  /// Tensors of Constant nodes (a deque keeps the pointers valid).
  std::deque<OnnxTensor> ownedTensors;
};

LogicalResult
GraphImporter::declareArguments(SmallVectorImpl<Type> &types,
                                SmallVectorImpl<std::string> &names) {
  std::set<std::string> inputNames;
  for (const OnnxValueInfo &input : graph.inputs) {
    inputNames.insert(input.name);
    auto frozen = options.frozenInputs.find(input.name);
    if (frozen != options.frozenInputs.end()) {
      const OnnxTensor &tensor = frozen->second;
      if (tensor.dataType != input.dataType)
        return fail("frozen input '" + input.name + "' holds " +
                    getDataTypeName(tensor.dataType) +
                    " values but the graph declares " +
                    getDataTypeName(input.dataType));
      if (input.shape) {
        bool matches = input.shape->size() == tensor.dims.size();
        for (size_t i = 0; matches && i < tensor.dims.size(); ++i)
          matches =
              (*input.shape)[i] < 0 || (*input.shape)[i] == tensor.dims[i];
        if (!matches)
          return fail("frozen input '" + input.name + "' has shape " +
                      formatShape(tensor.dims) + " but the graph declares " +
                      formatShape(toMlirShape(*input.shape)));
      }
      constants[input.name] = &tensor;
      continue;
    }
    Type elementType = getElementType(&context, input.dataType);
    if (!elementType)
      return fail("graph input '" + input.name + "' has element type " +
                  getDataTypeName(input.dataType) + "; " + kSupportedTypes);
    if (!input.shape)
      return fail("graph input '" + input.name +
                  "' declares no shape; deconv needs at least its rank");
    types.push_back(
        RankedTensorType::get(toMlirShape(*input.shape), elementType));
    names.push_back(input.name);
  }
  for (const auto &[name, tensor] : options.frozenInputs)
    if (!inputNames.count(name))
      return fail("frozen input '" + name + "' is not an input of the graph");
  for (const OnnxTensor &initializer : graph.initializers)
    constants[initializer.name] = &initializer;
  return success();
}

FailureOr<const OnnxAttribute *>
GraphImporter::getAttribute(const OnnxNode &node, StringRef name,
                            OnnxAttribute::Kind kind) {
  auto found = node.attributes.find(name.str());
  if (found == node.attributes.end())
    return static_cast<const OnnxAttribute *>(nullptr);
  if (found->second.kind != kind) {
    static const char *kindNames[] = {
        "an int",   "a list of ints", "a float",       "a list of floats",
        "a string", "a tensor",       "something else"};
    return failNode(node, "attribute '" + name.str() + "' must be " +
                              kindNames[int(kind)]);
  }
  return &found->second;
}

LogicalResult GraphImporter::checkAttributeNames(const OnnxNode &node,
                                                 ArrayRef<StringRef> known) {
  for (const auto &[name, attribute] : node.attributes)
    if (!llvm::is_contained(known, name))
      return failNode(node, "attribute '" + name + "' is not one of " +
                                node.opType + "'s");
  return success();
}

FailureOr<const OnnxTensor *>
GraphImporter::getConstant(const OnnxNode &node, const std::string &name,
                           StringRef role) {
  auto found = constants.find(name);
  if (found != constants.end())
    return found->second;
  return failNode(
      node, role.str() + " '" + name +
                "' is not a constant (an initializer or a Constant node); "
                "deconv needs it at compile time (a graph input can be "
                "given a value with --freeze-input)");
}

FailureOr<Value> GraphImporter::getOperand(const OnnxNode &node,
                                           const std::string &name,
                                           StringRef role) {
  auto found = values.find(name);
  if (found != values.end())
    return found->second;
  auto constant = constants.find(name);
  if (constant == constants.end())
    return failNode(node, role.str() + " '" + name +
                              "' is produced by nothing before it");
  const OnnxTensor &tensor = *constant->second;
  // Names that alias one tensor (Identity) share one constant.
  if (auto done = materialized.find(&tensor); done != materialized.end())
    return values[name] = done->second;
  Type elementType = getElementType(&context, tensor.dataType);
  if (!elementType)
    return failNode(node, role.str() + " '" + name + "' is " +
                              getDataTypeName(tensor.dataType) + "; " +
                              kSupportedTypes);
  // Constants go at the top of the function, in order of first use.
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(&builder.getBlock()->front());
  while (isa<arith::ConstantOp>(*builder.getInsertionPoint()))
    builder.setInsertionPointAfter(&*builder.getInsertionPoint());
  auto type = RankedTensorType::get(toMlirShape(tensor.dims), elementType);
  size_t alignment = ::deconv::onnx_import::getDataTypeSize(tensor.dataType);
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(tensor.bytes.data(), tensor.bytes.size()), alignment);
  auto attribute =
      DenseResourceElementsAttr::get(type, getBlobName(name), std::move(blob));
  Value value =
      arith::ConstantOp::create(
          builder, NameLoc::get(builder.getStringAttr(name)), type, attribute)
          .getResult();
  values[name] = value;
  materialized[&tensor] = value;
  return value;
}

LogicalResult GraphImporter::importConvTranspose(const OnnxNode &node) {
  if (failed(checkAttributeNames(node, {"auto_pad", "dilations", "group",
                                        "kernel_shape", "output_padding",
                                        "output_shape", "pads", "strides"})))
    return failure();
  if (node.inputs.size() < 2 || node.inputs.size() > 3 ||
      node.outputs.size() != 1)
    return failNode(node, "needs inputs X, W and an optional B, and one "
                          "output");
  FailureOr<Value> input = getOperand(node, node.inputs[0], "input X");
  if (failed(input))
    return failure();
  FailureOr<Value> weight = getOperand(node, node.inputs[1], "weight W");
  if (failed(weight))
    return failure();
  Value bias;
  if (node.inputs.size() == 3 && !node.inputs[2].empty()) {
    FailureOr<Value> value = getOperand(node, node.inputs[2], "bias B");
    if (failed(value))
      return failure();
    bias = *value;
  }
  auto inputType = cast<RankedTensorType>(input->getType());
  auto weightType = cast<RankedTensorType>(weight->getType());
  Type elementType = inputType.getElementType();
  if (!isa<FloatType>(elementType))
    return failNode(node, "X is an integer tensor; a quantized "
                          "ConvTranspose takes X and W through "
                          "DequantizeLinear");
  for (auto [value, name] : {std::pair{*weight, "W"}, std::pair{bias, "B"}}) {
    if (!value)
      continue;
    Type other = cast<RankedTensorType>(value.getType()).getElementType();
    if (other != elementType) {
      std::string expected, found;
      llvm::raw_string_ostream(expected) << elementType;
      llvm::raw_string_ostream(found) << other;
      return failNode(node, std::string(name) + " is " + found + " but X is " +
                                expected);
    }
  }
  int64_t rank = inputType.getRank();
  if (rank < 3)
    return failNode(node, "X has rank " + std::to_string(rank) +
                              "; ConvTranspose needs N, C and at least one "
                              "spatial axis");
  size_t numSpatial = rank - 2;

  // Every attribute with ONNX's name, its kind and its length.
  std::optional<std::pair<int64_t, int64_t>> wholeOutputShape;
  std::map<StringRef, std::optional<SmallVector<int64_t>>> arrays;
  for (StringRef name : {"dilations", "kernel_shape", "output_padding",
                         "output_shape", "pads", "strides"}) {
    FailureOr<const OnnxAttribute *> attribute =
        getAttribute(node, name, OnnxAttribute::Kind::Ints);
    if (failed(attribute))
      return failure();
    if (!*attribute)
      continue;
    SmallVector<int64_t> entries((*attribute)->intValues.begin(),
                                 (*attribute)->intValues.end());
    size_t expected = name == "pads" ? 2 * numSpatial : numSpatial;
    // output_shape may also be given whole (N, C, spatial...), as ONNX
    // Runtime accepts; only the spatial part is a target.
    if (name == "output_shape" && entries.size() == numSpatial + 2) {
      wholeOutputShape = {entries[0], entries[1]};
      entries.erase(entries.begin(), entries.begin() + 2);
    }
    if (entries.size() != expected)
      return failNode(
          node, "attribute '" + name.str() + "' has " +
                    std::to_string(entries.size()) + " entries; X has " +
                    std::to_string(numSpatial) + " spatial axes, so it needs " +
                    std::to_string(expected));
    arrays[name] = std::move(entries);
  }
  FailureOr<const OnnxAttribute *> group =
      getAttribute(node, "group", OnnxAttribute::Kind::Int);
  FailureOr<const OnnxAttribute *> autoPad =
      getAttribute(node, "auto_pad", OnnxAttribute::Kind::String);
  if (failed(group) || failed(autoPad))
    return failure();

  PaddingMode paddingMode = PaddingMode::ExplicitRoundDown;
  std::string autoPadValue = *autoPad ? (*autoPad)->stringValue : "NOTSET";
  if (autoPadValue == "SAME_UPPER")
    paddingMode = PaddingMode::SameUpper;
  else if (autoPadValue == "SAME_LOWER")
    paddingMode = PaddingMode::SameLower;
  else if (autoPadValue == "VALID")
    paddingMode = PaddingMode::Valid;
  else if (autoPadValue != "NOTSET")
    return failNode(node, "auto_pad '" + autoPadValue +
                              "' is not NOTSET, SAME_UPPER, SAME_LOWER or "
                              "VALID");
  // ONNX ignores pads when output_shape is given (the spec says so); with
  // auto_pad the spec is silent and runtimes differ, so that is refused.
  std::optional<SmallVector<int64_t>> prePadding, postPadding;
  if (arrays["pads"] && !arrays["output_shape"]) {
    if (paddingMode != PaddingMode::ExplicitRoundDown) {
      bool allZero =
          llvm::all_of(*arrays["pads"], [](int64_t pad) { return pad == 0; });
      if (!allZero)
        return failNode(node, "pads and auto_pad " + autoPadValue +
                                  " are both given; ONNX leaves open which "
                                  "one applies");
    } else {
      ArrayRef<int64_t> pads = *arrays["pads"];
      prePadding = SmallVector<int64_t>(pads.take_front(numSpatial));
      postPadding = SmallVector<int64_t>(pads.drop_front(numSpatial));
    }
  }

  DeconvSpec spec;
  SmallVector<int64_t> inputShape(inputType.getShape());
  SmallVector<int64_t> weightShape(weightType.getShape());
  spec.inputShape = inputShape;
  spec.weightShape = weightShape;
  spec.groups = *group ? (*group)->intValue : 1;
  spec.paddingMode = paddingMode;
  auto view = [&](StringRef name) -> std::optional<ArrayRef<int64_t>> {
    if (!arrays[name])
      return std::nullopt;
    return ArrayRef<int64_t>(*arrays[name]);
  };
  spec.kernelSize = view("kernel_shape");
  spec.stride = view("strides");
  spec.dilation = view("dilations");
  spec.outputPadding = view("output_padding");
  spec.outputShape = view("output_shape");
  if (prePadding) {
    spec.prePadding = ArrayRef<int64_t>(*prePadding);
    spec.postPadding = ArrayRef<int64_t>(*postPadding);
  }
  llvm::Expected<DeconvGeometry> geometry = resolveDeconv(spec);
  if (!geometry)
    return failNode(node, llvm::toString(geometry.takeError()));
  if (wholeOutputShape) {
    // The batch and channels of a whole output_shape must be the output's.
    auto [batch, channels] = *wholeOutputShape;
    ArrayRef<int64_t> result = geometry->resultShape;
    if ((!ShapedType::isDynamic(result[0]) && batch != result[0]) ||
        channels != result[1])
      return failNode(node, "attribute 'output_shape' gives batch " +
                                std::to_string(batch) + " and " +
                                std::to_string(channels) +
                                " channels, but the output has " +
                                formatShape(result.take_front(2)));
  }
  warnOnOutputShapeSplit(node, spec, *geometry);
  warnOnSameCap(node, spec, *geometry);

  // The attributes in the IR contract's spelling; defaults are left out.
  SmallVector<NamedAttribute> attributes;
  auto addArray = [&](StringRef name, std::optional<ArrayRef<int64_t>> value,
                      int64_t defaultEntry) {
    if (value && !llvm::all_of(*value, [&](int64_t entry) {
          return entry == defaultEntry;
        }))
      attributes.push_back(
          builder.getNamedAttr(name, builder.getDenseI64ArrayAttr(*value)));
  };
  addArray("stride", spec.stride, 1);
  addArray("dilation", spec.dilation, 1);
  addArray("pre_padding", spec.prePadding, 0);
  addArray("post_padding", spec.postPadding, 0);
  addArray("output_padding", spec.outputPadding, 0);
  if (spec.outputShape)
    attributes.push_back(builder.getNamedAttr(
        "output_shape", builder.getDenseI64ArrayAttr(*spec.outputShape)));
  if (spec.kernelSize)
    attributes.push_back(builder.getNamedAttr(
        "kernel_size", builder.getDenseI64ArrayAttr(*spec.kernelSize)));
  if (spec.groups != 1)
    attributes.push_back(
        builder.getNamedAttr("groups", builder.getI64IntegerAttr(spec.groups)));
  if (paddingMode != PaddingMode::ExplicitRoundDown)
    attributes.push_back(builder.getNamedAttr(
        "padding_mode", PaddingModeAttr::get(&context, paddingMode)));

  SmallVector<Value> operands = {*input, *weight};
  if (bias)
    operands.push_back(bias);
  auto resultType = RankedTensorType::get(geometry->resultShape, elementType);
  Location loc = NameLoc::get(builder.getStringAttr(
      node.name.empty() ? node.outputs.front() : node.name));
  auto op = DeconvOp::create(builder, loc, TypeRange{resultType}, operands,
                             attributes);
  values[node.outputs.front()] = op.getResult();
  return success();
}

void GraphImporter::warnOnOutputShapeSplit(const OnnxNode &node,
                                           const DeconvSpec &spec,
                                           const DeconvGeometry &geometry) {
  if (!spec.outputShape || !options.warn)
    return;
  // A target T larger than the extended output (total padding P < 0): the
  // IR grows the output at the end; ONNX's reference splits P as it splits a
  // positive one (floor division), which can put zeros at the start.
  for (auto [axis, target] : llvm::enumerate(*spec.outputShape)) {
    int64_t fullSize = geometry.axes[axis].fullSize;
    if (isDynamicSize(fullSize))
      continue;
    int64_t outputPadding =
        spec.outputPadding ? (*spec.outputPadding)[axis] : 0;
    int64_t total = fullSize + outputPadding - target;
    int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
    int64_t onnxStart =
        spec.paddingMode == PaddingMode::SameUpper ? half : total - half;
    if (total >= 0 || onnxStart == 0)
      continue;
    options.warn(describe(node) + ": output_shape exceeds the full output by " +
                 std::to_string(-total) + " on axis " + std::to_string(axis) +
                 "; deconv adds the zeros at the end (IR.md), the ONNX "
                 "spec's formula (floor division) puts " +
                 std::to_string(-onnxStart) + " of them at the start");
    return;
  }
}

void GraphImporter::warnOnSameCap(const OnnxNode &node, const DeconvSpec &spec,
                                  const DeconvGeometry &geometry) {
  if (!options.warn ||
      (spec.paddingMode != PaddingMode::SameUpper &&
       spec.paddingMode != PaddingMode::SameLower) ||
      spec.outputShape)
    return;
  // SAME pads by DK + op - S; when that is negative the IR (as TensorRT and
  // ONNX Runtime) pads nothing, so the output stays shorter than I * S, the
  // size the ONNX spec's text promises.
  for (auto [axis, shape] : llvm::enumerate(geometry.axes)) {
    int64_t dilatedKernel =
        geometry.dilations[axis] * (geometry.kernelSizes[axis] - 1) + 1;
    int64_t outputPadding =
        spec.outputPadding ? (*spec.outputPadding)[axis] : 0;
    if (dilatedKernel + outputPadding >= geometry.strides[axis])
      continue;
    options.warn(describe(node) + ": on axis " + std::to_string(axis) +
                 " the dilated kernel (" + std::to_string(dilatedKernel) +
                 ") plus output_padding is below the stride (" +
                 std::to_string(geometry.strides[axis]) +
                 "): the output is (I - 1) * S + " +
                 std::to_string(dilatedKernel + outputPadding) +
                 " as in ONNX Runtime and TensorRT, not the spec's I * S");
    return;
  }
}

LogicalResult GraphImporter::importQuantization(const OnnxNode &node,
                                                bool quantize) {
  if (failed(checkAttributeNames(node, {"axis"})))
    return failure();
  if (node.inputs.size() < 2 || node.inputs.size() > 3 ||
      node.outputs.size() != 1)
    return failNode(node, "needs inputs x, scale and an optional zero "
                          "point, and one output");
  FailureOr<Value> input = getOperand(node, node.inputs[0], "input x");
  if (failed(input))
    return failure();
  StringRef scaleRole = quantize ? "y_scale" : "x_scale";
  StringRef zeroPointRole = quantize ? "y_zero_point" : "x_zero_point";
  FailureOr<const OnnxTensor *> scale =
      getConstant(node, node.inputs[1], scaleRole);
  if (failed(scale))
    return failure();
  const OnnxTensor *zeroPoint = nullptr;
  if (node.inputs.size() == 3 && !node.inputs[2].empty()) {
    FailureOr<const OnnxTensor *> tensor =
        getConstant(node, node.inputs[2], zeroPointRole);
    if (failed(tensor))
      return failure();
    zeroPoint = *tensor;
  }

  auto inputType = cast<RankedTensorType>(input->getType());
  if ((*scale)->dataType != int32_t(OnnxDataType::Float))
    return failNode(node, scaleRole.str() + " is " +
                              getDataTypeName((*scale)->dataType) +
                              "; it must be FLOAT");
  // Without a zero point the zero point is 0: QuantizeLinear then produces
  // UINT8, DequantizeLinear takes x's own type.
  int32_t integerType = int32_t(OnnxDataType::Uint8);
  if (zeroPoint)
    integerType = zeroPoint->dataType;
  else if (!quantize)
    integerType = isUnsignedInteger(inputType.getElementType())
                      ? int32_t(OnnxDataType::Uint8)
                      : int32_t(OnnxDataType::Int8);
  if (integerType != int32_t(OnnxDataType::Int8) &&
      integerType != int32_t(OnnxDataType::Uint8))
    return failNode(node, zeroPointRole.str() + " is " +
                              getDataTypeName(integerType) +
                              "; deconv quantizes to INT8 and UINT8");
  Type integerElementType = getElementType(&context, integerType);
  Type inputElementType = inputType.getElementType();
  if (quantize && !isa<FloatType>(inputElementType))
    return failNode(node, "x must be a float tensor");
  if (!quantize && !isa<IntegerType>(inputElementType))
    return failNode(node, "x must be an INT8 or UINT8 tensor");
  if (!quantize && inputElementType != integerElementType)
    return failNode(node, "x and " + zeroPointRole.str() +
                              " have different element types");

  int64_t count = (*scale)->getNumElements();
  if ((*scale)->dims.size() > 1)
    return failNode(node, scaleRole.str() + " has rank " +
                              std::to_string((*scale)->dims.size()) +
                              "; it must be a scalar or 1-D");
  if (zeroPoint && zeroPoint->getNumElements() != count)
    return failNode(node, zeroPointRole.str() + " holds " +
                              std::to_string(zeroPoint->getNumElements()) +
                              " values but " + scaleRole.str() + " holds " +
                              std::to_string(count));
  SmallVector<float> scales;
  SmallVector<int64_t> zeroPoints;
  for (int64_t i = 0; i < count; ++i) {
    scales.push_back(static_cast<float>((*scale)->getAsDouble(i)));
    zeroPoints.push_back(
        zeroPoint ? static_cast<int64_t>(zeroPoint->getAsDouble(i)) : 0);
  }
  // The axis is checked whenever given; it matters with several scales.
  IntegerAttr axisAttribute;
  FailureOr<const OnnxAttribute *> axis =
      getAttribute(node, "axis", OnnxAttribute::Kind::Int);
  if (failed(axis))
    return failure();
  int64_t rank = inputType.getRank();
  int64_t axisValue = *axis ? (*axis)->intValue : 1;
  if ((*axis || count != 1) && (axisValue < -rank || axisValue >= rank))
    return failNode(node, "axis " + std::to_string(axisValue) +
                              " is out of range for rank " +
                              std::to_string(rank));
  if (count != 1)
    axisAttribute =
        builder.getI64IntegerAttr(axisValue < 0 ? axisValue + rank : axisValue);

  Location loc = NameLoc::get(builder.getStringAttr(
      node.name.empty() ? node.outputs.front() : node.name));
  Type resultElementType =
      quantize ? integerElementType : Float32Type::get(&context);
  auto resultType =
      RankedTensorType::get(inputType.getShape(), resultElementType);
  DenseF32ArrayAttr scaleAttribute = builder.getDenseF32ArrayAttr(scales);
  DenseI64ArrayAttr zeroPointAttribute =
      builder.getDenseI64ArrayAttr(zeroPoints);
  Value result =
      quantize
          ? QuantizeOp::create(builder, loc, resultType, *input, scaleAttribute,
                               zeroPointAttribute, axisAttribute)
                .getResult()
          : DequantizeOp::create(builder, loc, resultType, *input,
                                 scaleAttribute, zeroPointAttribute,
                                 axisAttribute)
                .getResult();
  values[node.outputs.front()] = result;
  return success();
}

LogicalResult GraphImporter::importConstant(const OnnxNode &node) {
  if (node.outputs.size() != 1 || node.attributes.size() != 1)
    return failNode(node, "needs one output and exactly one value attribute");
  const auto &[name, attribute] = *node.attributes.begin();
  OnnxTensor tensor;
  tensor.name = node.outputs.front();
  auto store = [&](auto value, OnnxDataType type) {
    tensor.dataType = int32_t(type);
    size_t offset = tensor.bytes.size();
    tensor.bytes.resize(offset + sizeof(value));
    std::memcpy(tensor.bytes.data() + offset, &value, sizeof(value));
  };
  if (name == "value" && attribute.kind == OnnxAttribute::Kind::Tensor) {
    tensor = *attribute.tensorValue;
    tensor.name = node.outputs.front();
  } else if (name == "value_float" &&
             attribute.kind == OnnxAttribute::Kind::Float) {
    store(attribute.floatValue, OnnxDataType::Float);
  } else if (name == "value_floats" &&
             attribute.kind == OnnxAttribute::Kind::Floats) {
    tensor.dataType = int32_t(OnnxDataType::Float);
    for (float value : attribute.floatValues)
      store(value, OnnxDataType::Float);
    tensor.dims = {int64_t(attribute.floatValues.size())};
  } else if (name == "value_int" &&
             attribute.kind == OnnxAttribute::Kind::Int) {
    store(attribute.intValue, OnnxDataType::Int64);
  } else if (name == "value_ints" &&
             attribute.kind == OnnxAttribute::Kind::Ints) {
    tensor.dataType = int32_t(OnnxDataType::Int64);
    for (int64_t value : attribute.intValues)
      store(value, OnnxDataType::Int64);
    tensor.dims = {int64_t(attribute.intValues.size())};
  } else {
    return failNode(node, "attribute '" + name +
                              "' is not supported (deconv takes value, "
                              "value_float(s) and value_int(s))");
  }
  ownedTensors.push_back(std::move(tensor));
  constants[node.outputs.front()] = &ownedTensors.back();
  return success();
}

LogicalResult GraphImporter::importNode(const OnnxNode &node) {
  if (!node.domain.empty() && node.domain != "ai.onnx")
    return failNode(node,
                    "ops of domain '" + node.domain + "' are not supported");
  if (node.opType == "ConvTranspose")
    return importConvTranspose(node);
  if (node.opType == "QuantizeLinear")
    return importQuantization(node, /*quantize=*/true);
  if (node.opType == "DequantizeLinear")
    return importQuantization(node, /*quantize=*/false);
  if (node.opType == "Constant")
    return importConstant(node);
  if (node.opType == "Identity") {
    if (node.inputs.size() != 1 || node.outputs.size() != 1)
      return failNode(node, "needs one input and one output");
    auto constant = constants.find(node.inputs[0]);
    if (constant != constants.end()) {
      constants[node.outputs[0]] = constant->second;
      return success();
    }
    FailureOr<Value> value = getOperand(node, node.inputs[0], "input");
    if (failed(value))
      return failure();
    values[node.outputs[0]] = *value;
    return success();
  }
  return failNode(node, "op type '" + node.opType +
                            "' is not supported (deconv imports "
                            "ConvTranspose, QuantizeLinear, "
                            "DequantizeLinear, Identity and Constant)");
}

LogicalResult GraphImporter::checkOutput(const OnnxValueInfo &output,
                                         Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  std::string computed;
  llvm::raw_string_ostream(computed) << type;
  Type declaredElement = getElementType(&context, output.dataType);
  if (output.dataType != 0 && declaredElement != type.getElementType())
    return fail("graph output '" + output.name + "' is declared " +
                getDataTypeName(output.dataType) + " but the graph computes " +
                computed);
  if (!output.shape)
    return success();
  bool matches = output.shape->size() == size_t(type.getRank());
  for (size_t i = 0; matches && i < output.shape->size(); ++i)
    matches = (*output.shape)[i] < 0 || type.isDynamicDim(i) ||
              (*output.shape)[i] == type.getDimSize(i);
  if (!matches)
    return fail("graph output '" + output.name + "' is declared " +
                formatShape(toMlirShape(*output.shape)) +
                " but the graph computes " + computed);
  return success();
}

FailureOr<OwningOpRef<ModuleOp>> GraphImporter::run(std::string &error) {
  auto finish = [&]() -> FailureOr<OwningOpRef<ModuleOp>> {
    error = errorMessage;
    return failure();
  };
  if (graph.opsetVersion < 1) {
    (void)fail("the model imports no opset of the default ONNX domain");
    return finish();
  }
  // ONNX's checker lets a newer opset through when the ops it uses did not
  // change; their meaning in it is still unknown to this library.
  int64_t newest = ::deconv::onnx_import::getNewestOpsetVersion();
  if (graph.opsetVersion > newest) {
    (void)fail("the model imports opset " + std::to_string(graph.opsetVersion) +
               " of the default ONNX domain; the ONNX library deconv is "
               "built with knows opsets 1 to " +
               std::to_string(newest));
    return finish();
  }

  Location unknown = builder.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(unknown);
  SmallVector<Type> argumentTypes;
  SmallVector<std::string> argumentNames;
  if (failed(declareArguments(argumentTypes, argumentNames)))
    return finish();

  builder.setInsertionPointToEnd(module->getBody());
  auto function =
      func::FuncOp::create(builder, unknown, options.functionName,
                           builder.getFunctionType(argumentTypes, {}));
  Block *body = function.addEntryBlock();
  // ONNX's names stay visible: as locations, and as the `deconv.name` the
  // C++ API reports for inputs and outputs (Executable::getInputs).
  for (auto [index, name] : llvm::enumerate(argumentNames)) {
    BlockArgument argument = body->getArgument(index);
    argument.setLoc(NameLoc::get(builder.getStringAttr(name)));
    function.setArgAttr(index, "deconv.name", builder.getStringAttr(name));
    values[name] = argument;
  }
  builder.setInsertionPointToEnd(body);
  // A placeholder so that constants always have an op to go before.
  auto returnOp = func::ReturnOp::create(builder, unknown);
  builder.setInsertionPoint(returnOp);

  for (const OnnxNode &node : graph.nodes) {
    nodeLabels[node.name.empty() && !node.outputs.empty() ? node.outputs.front()
                                                          : node.name] =
        describe(node);
    if (failed(importNode(node)))
      return finish();
  }

  SmallVector<Value> results;
  for (const OnnxValueInfo &output : graph.outputs) {
    OnnxNode graphOutput;
    graphOutput.opType = "graph output";
    graphOutput.name = output.name;
    FailureOr<Value> value = getOperand(graphOutput, output.name, "value");
    if (failed(value) || failed(checkOutput(output, *value)))
      return finish();
    results.push_back(*value);
  }
  builder.setInsertionPoint(returnOp);
  func::ReturnOp::create(builder, unknown, results);
  returnOp.erase();
  function.setFunctionType(
      builder.getFunctionType(argumentTypes, ValueRange(results).getTypes()));
  for (auto [index, output] : llvm::enumerate(graph.outputs))
    function.setResultAttr(index, "deconv.name",
                           builder.getStringAttr(output.name));

  // Everything above was checked with ONNX's names; the verifier is the
  // safety net for what only the op knows.
  std::string verifierMessage;
  {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
      if (diagnostic.getSeverity() == DiagnosticSeverity::Error &&
          verifierMessage.empty()) {
        llvm::raw_string_ostream os(verifierMessage);
        if (auto name = dyn_cast<NameLoc>(diagnostic.getLocation())) {
          auto label = nodeLabels.find(name.getName().str());
          os << (label != nodeLabels.end() ? label->second
                                           : "'" + name.getName().str() + "'")
             << ": ";
        }
        os << diagnostic.str();
      }
      return success();
    });
    if (failed(verify(*module))) {
      (void)fail(verifierMessage);
      return finish();
    }
  }
  return module;
}

} // namespace

FailureOr<OwningOpRef<ModuleOp>>
mlir::deconv::importOnnxGraph(MLIRContext &context, const OnnxGraph &graph,
                              const OnnxImportOptions &options,
                              std::string &error) {
  loadOnnxImportDialects(context);
  return GraphImporter(context, graph, options).run(error);
}
