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
#include "deconv/Dialect/Deconv/Transforms/Passes.h"
#include "deconv/Runtime/Nvrtc.h"
#include "deconv/Target/CUDA/CudaEmitter.h"
#include "deconv/Target/RuntimeTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/TypeSwitch.h"

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

std::string multiply(const std::string &a, const std::string &b) {
  std::optional<int64_t> x = literal(a), y = literal(b);
  if (x && y)
    return std::to_string(*x * *y);
  if (x == 1)
    return b;
  if (y == 1)
    return a;
  return "(" + a + ") * (" + b + ")";
}

std::string storageType(ElementType type) {
  return type == ElementType::F32 ? "float" : "unsigned short";
}

/// A kernel writing result[o] = input[source(o)] for a permutation, one
/// thread per element. Dynamic input sizes are macros DECONV_IN_DIM<d>.
PlanKernel transposeKernel(const std::string &name, ElementType type,
                           const Shape &inputShape,
                           ArrayRef<int64_t> permutation) {
  PlanKernel kernel;
  kernel.name = name;
  Shape dims;
  for (size_t d = 0; d < inputShape.size(); ++d) {
    if (literal(inputShape[d])) {
      dims.push_back(inputShape[d] + "LL");
      continue;
    }
    std::string macro = "DECONV_IN_DIM" + std::to_string(d);
    kernel.macros.emplace_back(macro, inputShape[d]);
    dims.push_back(macro);
  }
  std::string total = "1LL";
  for (const std::string &dim : dims)
    total += " * " + dim;
  kernel.totalThreads = total;
  std::string source;
  source += "// deconv: " + name + ", a layout transpose\n";
  for (const auto &[macro, value] : kernel.macros)
    source += "#ifndef " + macro + "\n#error \"" + macro +
              " (a dynamic size) must be defined\"\n#endif\n";
  source += "#define DECONV_TOTAL_THREADS (" + total + ")\n\n";
  std::string storage = storageType(type);
  source += "extern \"C\" __global__ void __launch_bounds__(256)\n" + name +
            "(const " + storage + " *__restrict__ input, " + storage +
            " *__restrict__ result) {\n"
            "  long long thread = (long long)blockIdx.x * blockDim.x + "
            "threadIdx.x;\n"
            "  if (thread >= DECONV_TOTAL_THREADS)\n    return;\n"
            "  long long rest = thread, source = 0;\n";
  // Input strides, then walk the output dimensions innermost first.
  std::vector<std::string> strides(dims.size(), "1LL");
  for (size_t d = dims.size(); d-- > 1;)
    strides[d - 1] = strides[d] + " * " + dims[d];
  for (size_t k = dims.size(); k-- > 0;) {
    const std::string &extent = dims[permutation[k]];
    source += "  source += (rest % (" + extent + ")) * (" +
              strides[permutation[k]] + ");\n  rest /= (" + extent + ");\n";
  }
  source += "  result[thread] = input[source];\n}\n";
  kernel.source = std::move(source);
  return kernel;
}

class Planner {
public:
  Planner(func::FuncOp function, const std::vector<std::string> &archs)
      : function(function), archs(archs) {}

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
  LogicalResult planOp(Operation *op);
  LogicalResult addKernel(Operation *op, PlanKernel kernel,
                          std::vector<uint32_t> stepBuffers);

  func::FuncOp function;
  const std::vector<std::string> &archs;
  Plan plan;
  llvm::DenseMap<Value, uint32_t> buffers;
  llvm::DenseMap<Value, Shape> shapes;
};

LogicalResult Planner::addKernel(Operation *op, PlanKernel kernel,
                                 std::vector<uint32_t> stepBuffers) {
  if (kernel.macros.empty())
    for (const std::string &arch : archs) {
      ::deconv::StatusOr<std::string> cubin =
          ::deconv::compileToCubin(kernel.source, kernel.name, arch, {});
      if (!cubin)
        return op->emitOpError() << cubin.message();
      kernel.cubins.emplace_back(arch, std::move(*cubin));
    }
  plan.kernels.push_back(std::move(kernel));
  plan.steps.push_back({static_cast<uint32_t>(plan.kernels.size() - 1),
                        std::move(stepBuffers)});
  return success();
}

LogicalResult Planner::planOp(Operation *op) {
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
  std::string kernelName = "deconv_kernel_" + std::to_string(plan.kernels.size());

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
          ArrayRef<char> raw = dense.getRawData();
          if (dense.isSplat())
            for (int64_t i = 0; i < type.getNumElements(); ++i)
              buffer.data.append(raw.data(), raw.size());
          else
            buffer.data.assign(raw.data(), raw.size());
        } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
          AsmResourceBlob *blob = resource.getRawHandle().getBlob();
          if (!blob)
            return constant.emitOpError("is a dense_resource without data");
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
        Shape shape;
        for (int64_t dim : transpose.getPermutation())
          shape.push_back(inputShape[dim]);
        ElementType type = plan.buffers[*source].type;
        Value result = transpose->getResult(0);
        computed(result, type, shape);
        return addKernel(op,
                         transposeKernel(kernelName, type, inputShape,
                                         transpose.getPermutation()),
                         {*source, buffers[result]});
      })
      .Case([&](GroupedDeconvOp deconv) -> LogicalResult {
        std::vector<uint32_t> operands;
        for (Value operand : deconv->getOperands()) {
          FailureOr<uint32_t> buffer = bufferOf(op, operand);
          if (failed(buffer))
            return failure();
          operands.push_back(*buffer);
        }
        const Shape &input = shapes[deconv.getInput()];
        ArrayRef<int64_t> weight = deconv.getWeight().getType().getShape();
        // (N, G, Cout/G, O...) with O = (I-1)*S + L*(K-1)+1 - pre - post.
        Shape shape = {input[0], std::to_string(weight[0]),
                       std::to_string(weight[2])};
        for (int64_t a = 0; a < deconv.getNumSpatialDims(); ++a) {
          int64_t stride = deconv.getStride()[a];
          int64_t rest = deconv.getDilation()[a] * (weight[3 + a] - 1) + 1 -
                         deconv.getPrePadding()[a] - deconv.getPostPadding()[a];
          const std::string &size = input[3 + a];
          if (auto value = literal(size))
            shape.push_back(std::to_string((*value - 1) * stride + rest));
          else
            shape.push_back("((" + size + ") - 1) * " +
                            std::to_string(stride) + " + " +
                            std::to_string(rest));
        }
        FailureOr<CudaKernel> emitted = emitCudaKernel(deconv, kernelName);
        if (failed(emitted))
          return failure();
        PlanKernel kernel;
        kernel.name = emitted->name;
        kernel.source = emitted->source;
        kernel.blockSize = emitted->blockSize;
        kernel.totalThreads = emitted->totalThreads;
        for (const std::string &macro : emitted->dynamicSizeMacros) {
          int64_t dim = std::stoll(macro.substr(macro.rfind("DIM") + 3));
          kernel.macros.emplace_back(macro, input[dim]);
        }
        computed(deconv.getResult(),
                 *toRuntimeElementType(deconv.getResult().getType().getElementType()),
                 shape);
        operands.push_back(buffers[deconv.getResult()]);
        return addKernel(op, std::move(kernel), std::move(operands));
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
             << index << " is not a ranked f32, f16, bf16 or i8 tensor";
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
  for (Operation &op : function.getBody().front())
    if (failed(planOp(&op)))
      return failure();
  return plan;
}

} // namespace

FailureOr<Plan> mlir::deconv::buildPlan(ModuleOp module, StringRef name,
                                        const std::vector<std::string> &archs) {
  PassManager pm(module.getContext());
  buildFrontHalfPipeline(pm);
  if (failed(pm.run(module)))
    return failure();
  auto function = module.lookupSymbol<func::FuncOp>(name);
  if (!function || function.isExternal())
    return module.emitError("no function @") << name << " to plan";
  return planFunction(function, archs);
}

FailureOr<Plan>
mlir::deconv::planFunction(func::FuncOp function,
                           const std::vector<std::string> &archs) {
  return Planner(function, archs).run();
}
