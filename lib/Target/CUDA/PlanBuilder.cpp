//===- PlanBuilder.cpp - compiled plans from deconv IR --------------------===//
//
// Sizes are carried as strings in the size-expression grammar: a literal
// when the size is static, an expression over IN<i>_D<d> otherwise. Reshapes
// only ever split or merge static sizes around a dynamic one, so aliasing the
// source buffer is exact (the data is contiguous).
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CUDA/PlanBuilder.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"
#include "deconv/Runtime/Nvrtc.h"
#include "deconv/Runtime/SizeExpression.h"
#include "deconv/Target/CUDA/Autotuner.h"
#include "deconv/Target/CUDA/KernelStrategy.h"
#include "deconv/Target/CUDA/QuantizationKernel.h"
#include "deconv/Target/CUDA/TransposeKernel.h"
#include "deconv/Target/RuntimeTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cstring>
#include <map>
#include <tuple>

using namespace mlir;
using namespace mlir::deconv;
using ::deconv::ElementType;
using ::deconv::Plan;
using ::deconv::PlanBuffer;
using ::deconv::PlanKernel;

namespace {

using Shape = std::vector<std::string>;

std::optional<int64_t> literal(const std::string &size) {
  if (size.empty() ||
      size.find_first_not_of("0123456789") != std::string::npos ||
      size.size() > 18)
    return std::nullopt;
  return std::stoll(size);
}

/// `size` as a factor: parenthesized unless it is a number or a name.
std::string factor(const std::string &size) {
  bool atomic = size.find_first_not_of(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
                    "0123456789") == std::string::npos;
  return atomic ? size : "(" + size + ")";
}

std::string multiply(const std::string &a, const std::string &b) {
  std::optional<int64_t> x = literal(a), y = literal(b);
  if (x && y)
    return std::to_string(*x * *y);
  if (x == 1)
    return b;
  if (y == 1)
    return a;
  return factor(a) + " * " + factor(b);
}

/// computeOutputSize and friends over size expressions, folding literals.
struct SizeExpressionMath {
  using Value = std::string;
  static std::string add(const std::string &a, int64_t b) {
    if (std::optional<int64_t> x = literal(a))
      return std::to_string(*x + b);
    if (b == 0)
      return a;
    return a + (b < 0 ? " - " : " + ") + std::to_string(std::abs(b));
  }
  static std::string mul(const std::string &a, int64_t b) {
    return multiply(a, std::to_string(b));
  }
};

/// The bytes of constant `buffer`, read as `shape` (a reshape of its own),
/// rearranged by `permutation`.
std::string transposeConstant(const PlanBuffer &buffer, const Shape &shape,
                              ArrayRef<int64_t> permutation) {
  std::vector<int64_t> dims;
  for (const std::string &size : shape)
    dims.push_back(*literal(size));
  const size_t rank = dims.size(),
               element = ::deconv::getElementSize(buffer.type);
  std::vector<int64_t> strides(rank, 1);
  for (size_t d = rank; d-- > 1;)
    strides[d - 1] = strides[d] * dims[d];
  std::string data(buffer.data.size(), '\0');
  std::vector<int64_t> index(rank, 0); // Position in the result.
  for (size_t out = 0; out * element < data.size(); ++out) {
    int64_t from = 0;
    for (size_t k = 0; k < rank; ++k)
      from += index[k] * strides[permutation[k]];
    std::memcpy(&data[out * element], &buffer.data[from * element], element);
    for (size_t k = rank; k-- > 0;) {
      if (++index[k] < dims[permutation[k]])
        break;
      index[k] = 0;
    }
  }
  return data;
}

/// `packing` of constant `weight`, done here instead of by its kernel.
PlanBuffer packConstant(const PlanBuffer &weight,
                        const WeightPacking &packing) {
  const size_t element = ::deconv::getElementSize(weight.type);
  PlanBuffer buffer;
  buffer.kind = PlanBuffer::Kind::Constant;
  buffer.type = weight.type;
  buffer.shape = {std::to_string(packing.elements)};
  buffer.data.assign(packing.elements * element, '\0');
  for (int64_t i = 0; i < packing.elements; ++i)
    if (int64_t from = packing.sourceOf(i); from >= 0) {
      // A splat holds its one value.
      size_t at = weight.kind == PlanBuffer::Kind::Splat ? 0 : from * element;
      std::memcpy(&buffer.data[i * element], &weight.data[at], element);
    }
  return buffer;
}

/// Drops the constants no step or output reads (a weight the planner packed
/// or transposed for every op that uses it), renumbering the rest.
void dropUnreadConstants(Plan &plan) {
  std::vector<bool> read(plan.buffers.size(), false);
  for (const ::deconv::PlanStep &step : plan.steps)
    for (uint32_t buffer : step.buffers)
      read[buffer] = true;
  for (const ::deconv::PlanOutput &output : plan.outputs)
    read[output.buffer] = true;
  std::vector<uint32_t> renumbered(plan.buffers.size());
  std::vector<PlanBuffer> kept;
  for (auto [index, buffer] : llvm::enumerate(plan.buffers)) {
    bool constant = buffer.kind == PlanBuffer::Kind::Constant ||
                    buffer.kind == PlanBuffer::Kind::Splat;
    if (constant && !read[index])
      continue;
    renumbered[index] = kept.size();
    kept.push_back(std::move(buffer));
  }
  plan.buffers = std::move(kept);
  for (::deconv::PlanStep &step : plan.steps)
    for (uint32_t &buffer : step.buffers)
      buffer = renumbered[buffer];
  for (::deconv::PlanOutput &output : plan.outputs)
    output.buffer = renumbered[output.buffer];
}

class Planner {
public:
  Planner(func::FuncOp function, const CudaTargetOptions &options)
      : function(function), options(options) {}

  FailureOr<Plan> run();

private:
  uint32_t addBuffer(PlanBuffer buffer) {
    plan.buffers.push_back(std::move(buffer));
    return plan.buffers.size() - 1;
  }
  FailureOr<uint32_t> bufferOf(Operation *user, Value value) {
    auto found = buffers.find(value);
    if (found == buffers.end())
      return user->emitOpError("uses a value the CUDA target cannot plan");
    return found->second;
  }
  LogicalResult findFusions();
  LogicalResult planOp(Operation *op);
  LogicalResult addKernel(Operation *op, PlanKernel kernel,
                          std::vector<uint32_t> stepBuffers);

  func::FuncOp function;
  const CudaTargetOptions &options;
  Plan plan;
  /// Transposes already planned, by (source buffer, its shape as read,
  /// permutation): a tensor two ops read in the same layout is transposed
  /// once. The shape belongs to the key because reshapes alias their source's
  /// buffer: one buffer read as 2x2x2 and as 4x2 transposes differently.
  std::map<std::tuple<uint32_t, Shape, std::vector<int64_t>>, uint32_t>
      transposes;
  llvm::DenseMap<Value, uint32_t> buffers;
  llvm::DenseMap<Value, Shape> shapes;
  /// Each canonical op's strategy, chosen before planning, and the layout
  /// of its operands: a channels-last input that reaches the op only
  /// through a transpose and a group split of its own is read where it
  /// lies, and a result that leaves only through a group merge and a
  /// transpose to channels-last is written there, when the strategy takes
  /// channels-last operands. Those reshapes and transposes are not planned.
  struct OpPlacement {
    KernelChoice choice;
    OperandLayout layout;
    Value input, result; ///< The channels-last tensors, where fused.
  };
  llvm::DenseMap<Operation *, OpPlacement> placements;
  llvm::DenseSet<Operation *> fusedAway;
};

LogicalResult Planner::addKernel(Operation *op, PlanKernel kernel,
                                 std::vector<uint32_t> stepBuffers) {
  // Launch sizes without dynamic ones become plain numbers.
  for (std::string *size :
       {&kernel.grid[0], &kernel.grid[1], &kernel.grid[2], &kernel.sharedBytes})
    if (::deconv::StatusOr<int64_t> value =
            ::deconv::evaluateSizeExpression(*size, {}))
      *size = std::to_string(*value);
  if (kernel.macros.empty())
    for (const std::string &arch : options.archs) {
      ::deconv::StatusOr<std::string> cubin =
          ::deconv::compileToCubin(kernel.source, kernel.name, arch, {});
      if (!cubin)
        return op->emitOpError() << cubin.message();
      kernel.cubins.emplace_back(arch, std::move(*cubin));
    }
  plan.kernels.push_back(std::move(kernel));
  plan.steps.push_back(
      {static_cast<uint32_t>(plan.kernels.size() - 1), std::move(stepBuffers)});
  return success();
}

LogicalResult Planner::findFusions() {
  for (auto deconv : function.getBody().front().getOps<GroupedDeconvOp>()) {
    FailureOr<KernelChoice> choice = chooseKernel(deconv, options);
    if (failed(choice))
      return failure();
    OpPlacement placement{*choice, {}, {}, {}};
    if (choice->strategy->takesChannelsLast()) {
      // The data's rank: (N, C, I...) split to (N, G, C/G, I...) for the op.
      const int64_t rank = deconv.getInput().getType().getRank() - 1;
      const SmallVector<ReassociationIndices> groupSplit =
          splitDimension(rank, 1);
      auto expand = deconv.getInput().getDefiningOp<tensor::ExpandShapeOp>();
      auto into = expand && expand->hasOneUse() &&
                          expand.getReassociationIndices() == groupSplit
                      ? expand.getSrc().getDefiningOp<linalg::TransposeOp>()
                      : nullptr;
      if (into && into->getResult(0).hasOneUse() &&
          into.getPermutation() ==
              ArrayRef<int64_t>(lastToSecondPermutation(rank))) {
        placement.layout.inputChannelsLast = true;
        placement.input = into.getInput();
        fusedAway.insert(expand);
        fusedAway.insert(into);
      }
      auto collapse =
          deconv->hasOneUse()
              ? dyn_cast<tensor::CollapseShapeOp>(*deconv->user_begin())
              : nullptr;
      auto out = collapse && collapse->hasOneUse() &&
                         collapse.getReassociationIndices() == groupSplit
                     ? dyn_cast<linalg::TransposeOp>(*collapse->user_begin())
                     : nullptr;
      if (out && out.getPermutation() ==
                     ArrayRef<int64_t>(secondToLastPermutation(rank))) {
        placement.layout.resultChannelsLast = true;
        placement.result = out->getResult(0);
        fusedAway.insert(collapse);
        fusedAway.insert(out);
      }
    }
    placements[deconv] = placement;
  }
  return success();
}

LogicalResult Planner::planOp(Operation *op) {
  if (fusedAway.contains(op))
    return success(); // Read or written in place by its deconvolution.
  auto computed = [&](Value value, ElementType type, Shape shape) {
    PlanBuffer buffer;
    buffer.kind = PlanBuffer::Kind::Intermediate;
    buffer.type = type;
    buffer.shape = shape;
    buffers[value] = addBuffer(std::move(buffer));
    shapes[value] = std::move(shape);
  };
  auto alias = [&](Value result, Value source, Shape shape) -> LogicalResult {
    FailureOr<uint32_t> buffer = bufferOf(op, source);
    if (failed(buffer))
      return failure();
    buffers[result] = *buffer;
    shapes[result] = std::move(shape);
    return success();
  };
  std::string kernelName =
      "deconv_kernel_" + std::to_string(plan.kernels.size());

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](arith::ConstantOp constant) -> LogicalResult {
        auto type = dyn_cast<RankedTensorType>(constant.getType());
        if (!type)
          return success(); // Index constants feed only sizes we recompute.
        std::optional<ElementType> element =
            toRuntimeElementType(type.getElementType());
        if (!element)
          return constant.emitOpError("has an element type the CUDA target "
                                      "cannot plan");
        PlanBuffer buffer;
        buffer.kind = PlanBuffer::Kind::Constant;
        buffer.type = *element;
        for (int64_t size : type.getShape())
          buffer.shape.push_back(std::to_string(size));
        Attribute value = constant.getValue();
        if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
          // A splat stays one value, however large its tensor.
          ArrayRef<char> raw = dense.getRawData();
          if (dense.isSplat())
            buffer.kind = PlanBuffer::Kind::Splat;
          buffer.data.assign(raw.data(), raw.size());
        } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
          if (failed(checkResourceBlob(constant)))
            return failure();
          AsmResourceBlob *blob = resource.getRawHandle().getBlob();
          buffer.data.assign(blob->getData().data(), blob->getData().size());
        } else {
          return constant.emitOpError("has a value the CUDA target cannot "
                                      "plan");
        }
        shapes[constant] = buffer.shape;
        buffers[constant] = addBuffer(std::move(buffer));
        return success();
      })
      .Case<tensor::EmptyOp, tensor::DimOp>(
          [](Operation *) { return success(); }) // Transpose inits, sizes.
      .Case([&](tensor::ExpandShapeOp expand) -> LogicalResult {
        const Shape &source = shapes[expand.getSrc()];
        Shape shape;
        for (auto [sourceDim, group] :
             llvm::enumerate(expand.getReassociationIndices()))
          for (int64_t dim : group) {
            int64_t size = expand.getResultType().getDimSize(dim);
            if (!ShapedType::isDynamic(size))
              shape.push_back(std::to_string(size));
            else if (group.size() == 1)
              shape.push_back(source[sourceDim]);
            else
              return expand.emitOpError("splits a dynamic size");
          }
        return alias(expand.getResult(), expand.getSrc(), shape);
      })
      .Case([&](tensor::CollapseShapeOp collapse) -> LogicalResult {
        const Shape &source = shapes[collapse.getSrc()];
        Shape shape;
        for (const ReassociationIndices &group :
             collapse.getReassociationIndices()) {
          std::string size = "1";
          for (int64_t dim : group)
            size = multiply(size, source[dim]);
          shape.push_back(size);
        }
        return alias(collapse.getResult(), collapse.getSrc(), shape);
      })
      .Case([&](tensor::CastOp cast) -> LogicalResult {
        return alias(cast.getResult(), cast.getSource(),
                     shapes[cast.getSource()]);
      })
      .Case([&](linalg::TransposeOp transpose) -> LogicalResult {
        Value input = transpose.getInput();
        FailureOr<uint32_t> source = bufferOf(op, input);
        if (failed(source))
          return failure();
        const Shape &inputShape = shapes[input];
        ArrayRef<int64_t> permutation = transpose.getPermutation();
        Shape shape;
        for (int64_t dim : permutation)
          shape.push_back(inputShape[dim]);
        Value result = transpose->getResult(0);
        auto key = std::make_tuple(
            *source, inputShape,
            std::vector<int64_t>(permutation.begin(), permutation.end()));
        if (auto done = transposes.find(key); done != transposes.end()) {
          buffers[result] = done->second;
          shapes[result] = std::move(shape);
          return success();
        }
        ElementType type = plan.buffers[*source].type;
        if (plan.buffers[*source].kind == PlanBuffer::Kind::Splat) {
          // Every layout of a splat is the splat.
          PlanBuffer buffer = plan.buffers[*source];
          buffer.shape = shape;
          shapes[result] = shape;
          buffers[result] = addBuffer(std::move(buffer));
          transposes[key] = buffers[result];
          return success();
        }
        if (plan.buffers[*source].kind == PlanBuffer::Kind::Constant) {
          // A constant in another layout is rearranged here, once, not by a
          // kernel on every run.
          PlanBuffer buffer;
          buffer.kind = PlanBuffer::Kind::Constant;
          buffer.type = type;
          buffer.shape = shape;
          buffer.data =
              transposeConstant(plan.buffers[*source], inputShape, permutation);
          shapes[result] = shape;
          buffers[result] = addBuffer(std::move(buffer));
          transposes[key] = buffers[result];
          return success();
        }
        computed(result, type, shape);
        transposes[key] = buffers[result];
        return addKernel(
            op, emitTransposeKernel(kernelName, type, inputShape, permutation),
            {*source, buffers[result]});
      })
      .Case<QuantizeOp, DequantizeOp>([&](Operation *) -> LogicalResult {
        Value input = op->getOperand(0), result = op->getResult(0);
        FailureOr<uint32_t> source = bufferOf(op, input);
        if (failed(source))
          return failure();
        QuantizationKernelSpec spec;
        ArrayRef<float> scales;
        ArrayRef<int64_t> zeroPoints;
        if (auto quantize = dyn_cast<QuantizeOp>(op)) {
          scales = quantize.getScale();
          zeroPoints = quantize.getZeroPoint();
          spec.axis = quantize.getAxis();
        } else {
          auto dequantize = cast<DequantizeOp>(op);
          scales = dequantize.getScale();
          zeroPoints = dequantize.getZeroPoint();
          spec.axis = dequantize.getAxis();
          spec.quantize = false;
        }
        auto elementOf = [](Value value) {
          return *toRuntimeElementType(
              cast<RankedTensorType>(value.getType()).getElementType());
        };
        spec.floatType = elementOf(spec.quantize ? input : result);
        spec.integerType = elementOf(spec.quantize ? result : input);
        spec.shape = shapes[input];
        std::vector<uint32_t> stepBuffers = {*source};
        if (scales.size() == 1) {
          spec.axis.reset(); // One scale covers the tensor, axis or not.
          spec.scale = scales.front();
          spec.zeroPoint = zeroPoints.front();
        } else {
          // The per-channel values as f32 constants of the plan.
          auto addVector = [&](auto values) {
            PlanBuffer buffer;
            buffer.kind = PlanBuffer::Kind::Constant;
            buffer.type = ElementType::F32;
            buffer.shape = {std::to_string(values.size())};
            for (auto value : values) {
              float element = static_cast<float>(value);
              buffer.data.append(reinterpret_cast<const char *>(&element),
                                 sizeof(element));
            }
            stepBuffers.push_back(addBuffer(std::move(buffer)));
          };
          addVector(scales);
          addVector(zeroPoints);
        }
        computed(result, elementOf(result), shapes[input]);
        stepBuffers.push_back(buffers[result]);
        return addKernel(op, emitQuantizationKernel(kernelName, spec),
                         std::move(stepBuffers));
      })
      .Case([&](GroupedDeconvOp deconv) -> LogicalResult {
        const OpPlacement &placement = placements[deconv];
        const OperandLayout &layout = placement.layout;
        std::vector<uint32_t> operands;
        for (auto [index, operand] : llvm::enumerate(deconv->getOperands())) {
          FailureOr<uint32_t> buffer = bufferOf(
              op, index == 0 && layout.inputChannelsLast ? placement.input
                                                         : operand);
          if (failed(buffer))
            return failure();
          operands.push_back(*buffer);
        }
        // The canonical (N, G, Cin/G, I...) sizes, also of a channels-last
        // input (N, I..., C).
        ArrayRef<int64_t> weight = deconv.getWeight().getType().getShape();
        Shape input = shapes[deconv.getInput()];
        if (layout.inputChannelsLast) {
          const Shape &lastShape = shapes[placement.input];
          input = {lastShape[0], std::to_string(weight[0]),
                   std::to_string(weight[1])};
          input.insert(input.end(), lastShape.begin() + 1, lastShape.end() - 1);
        }
        // (N, G, Cout/G, O...) with O from the phase axes' rule, or
        // channels-last (N, O..., G*Cout/G).
        Shape outputSizes;
        SizeExpressionMath math;
        for (auto [a, axis] : llvm::enumerate(getPhaseAxes(deconv)))
          outputSizes.push_back(computeOutputSize(math, axis, input[3 + a]));
        Shape shape = {input[0]};
        if (layout.resultChannelsLast) {
          shape.insert(shape.end(), outputSizes.begin(), outputSizes.end());
          shape.push_back(std::to_string(weight[0] * weight[2]));
        } else {
          shape.push_back(std::to_string(weight[0]));
          shape.push_back(std::to_string(weight[2]));
          shape.insert(shape.end(), outputSizes.begin(), outputSizes.end());
        }
        Value resultValue =
            layout.resultChannelsLast ? placement.result : deconv.getResult();
        computed(resultValue,
                 *toRuntimeElementType(
                     deconv.getResult().getType().getElementType()),
                 shape);
        uint32_t result = buffers[resultValue];

        // The op's packed weight, once a packing kernel (or the planner, for
        // a constant weight) has made it.
        std::optional<uint32_t> packedWeight;
        const KernelChoice *choice = &placement.choice;
        CudaTargetOptions chosen = options;
        chosen.tile = choice->tile;
        FailureOr<std::vector<StrategyKernel>> kernels =
            choice->strategy->emit(deconv, kernelName, chosen, layout);
        if (failed(kernels))
          return failure();
        for (StrategyKernel &emitted : *kernels) {
          if (emitted.packing) {
            const PlanBuffer &weight = plan.buffers[operands[1]];
            if (weight.kind == PlanBuffer::Kind::Constant ||
                weight.kind == PlanBuffer::Kind::Splat) {
              packedWeight = addBuffer(packConstant(weight, *emitted.packing));
              continue;
            }
            PlanBuffer buffer;
            buffer.kind = PlanBuffer::Kind::Intermediate;
            buffer.type = weight.type;
            buffer.shape = {std::to_string(emitted.packing->elements)};
            packedWeight = addBuffer(std::move(buffer));
          }
          // Where the choice came from, for --describe (tuning only).
          std::string &configuration = emitted.kernel.configuration;
          if (!choice->origin.empty())
            configuration +=
                (configuration.empty() ? "" : ", ") + choice->origin;
          for (const auto &[macro, dim] : emitted.inputDimMacros)
            emitted.kernel.macros.emplace_back(macro, input[dim]);
          std::vector<uint32_t> stepBuffers;
          for (KernelOperand operand : emitted.operands) {
            if (operand == KernelOperand::PackedWeight) {
              assert(packedWeight && "a packing kernel comes first");
              stepBuffers.push_back(*packedWeight);
              continue;
            }
            stepBuffers.push_back(operand == KernelOperand::Result
                                      ? result
                                      : operands[static_cast<int>(operand)]);
          }
          if (failed(addKernel(op, std::move(emitted.kernel),
                               std::move(stepBuffers))))
            return failure();
        }
        return success();
      })
      .Case([&](func::ReturnOp ret) -> LogicalResult {
        for (Value value : ret.getOperands()) {
          FailureOr<uint32_t> buffer = bufferOf(op, value);
          if (failed(buffer))
            return failure();
          plan.outputs.push_back({*buffer, shapes[value]});
        }
        return success();
      })
      .Default([](Operation *other) {
        return other->emitOpError("cannot be planned for the CUDA target");
      });
}

FailureOr<Plan> Planner::run() {
  plan.function = function.getName().str();
  for (auto [index, argument] : llvm::enumerate(function.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(argument.getType());
    std::optional<ElementType> element =
        type ? toRuntimeElementType(type.getElementType()) : std::nullopt;
    if (!element)
      return function.emitOpError("argument ")
             << index << " is not a ranked f32, f16, bf16, i8 or ui8 tensor";
    ::deconv::PlanTensor tensor{*element, {}};
    PlanBuffer buffer;
    buffer.kind = PlanBuffer::Kind::Input;
    buffer.type = *element;
    buffer.input = index;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      bool dynamic = type.isDynamicDim(d);
      tensor.shape.push_back(dynamic ? "?"
                                     : std::to_string(type.getDimSize(d)));
      buffer.shape.push_back(dynamic ? "IN" + std::to_string(index) + "_D" +
                                           std::to_string(d)
                                     : std::to_string(type.getDimSize(d)));
    }
    plan.inputs.push_back(tensor);
    shapes[argument] = buffer.shape;
    buffers[argument] = addBuffer(std::move(buffer));
  }
  if (failed(findFusions()))
    return failure();
  for (Operation &op : function.getBody().front())
    if (failed(planOp(&op)))
      return failure();
  dropUnreadConstants(plan);
  return plan;
}

} // namespace

void mlir::deconv::buildCudaFrontHalf(OpPassManager &pm,
                                      const CudaTargetOptions &options) {
  // Elsewhere an integer deconvolution would run on the direct kernel,
  // slower than the float layer's GEMMs.
  const bool integerGemm = supportsIntegerGemm(options);
  buildFrontHalfPipeline(pm, integerGemm ? QuantizedFusion::SymmetricWeightsOnly
                                         : QuantizedFusion::None);
}

FailureOr<Plan> mlir::deconv::buildPlan(ModuleOp module, StringRef name,
                                        const CudaTargetOptions &options) {
  PassManager pm(module.getContext());
  buildCudaFrontHalf(pm, options);
  if (failed(pm.run(module)))
    return failure();
  auto function = module.lookupSymbol<func::FuncOp>(name);
  if (!function || function.isExternal())
    return module.emitError("no function @") << name << " to plan";
  return planFunction(function, options);
}

FailureOr<Plan> mlir::deconv::planFunction(func::FuncOp function,
                                           const CudaTargetOptions &options) {
  return Planner(function, options).run();
}
