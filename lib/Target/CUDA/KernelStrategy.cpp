//===- KernelStrategy.cpp - strategy registry and selection ---------------===//
//
// The one place a strategy is chosen (IREE's KernelConfig.cpp plays this
// role there). The cost model is a roofline per strategy and GPU: each
// strategy states its time for the op, and the cheapest that can take the op
// wins; ties go to the earlier strategy in the registry.
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CUDA/KernelStrategy.h"

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::deconv;

std::string CudaTargetOptions::getTargetArch() const {
  if (!targetArch.empty())
    return targetArch;
  return archs.empty() ? "sm_90" : archs.front();
}

DeviceModel DeviceModel::forArch(StringRef arch) {
  // Published figures of the data-center part of each generation.
  unsigned version = 0;
  if (arch.starts_with("sm_"))
    arch.drop_front(3).take_while(llvm::isDigit).getAsInteger(10, version);
  if (version >= 90) // H100 SXM.
    return {version, 132, 67e12, 989e12, 494e12, 3.35e12, 4e-6};
  if (version >= 80) // A100 SXM.
    return {version, 108, 19.5e12, 312e12, 156e12, 2.0e12, 4e-6};
  return {version, 80, 14e12, 14e12, 14e12, 0.9e12, 5e-6}; // V100-class.
}

ArrayRef<const KernelStrategy *> mlir::deconv::getKernelStrategies() {
  // Ties go to the earlier: the specialized kernels before the general ones.
  static const KernelStrategy *const strategies[] = {
      &getDirectStrategy(), &getDepthwiseStrategy(), &getThinChannelStrategy(),
      &getGemmD2sStrategy(), &getImplicitGemmStrategy()};
  return strategies;
}

const KernelStrategy *mlir::deconv::lookupKernelStrategy(StringRef name) {
  for (const KernelStrategy *strategy : getKernelStrategies())
    if (strategy->getName() == name)
      return strategy;
  return nullptr;
}

std::string mlir::deconv::describeKernelStrategies() {
  std::string text = "  auto - the cost model picks per op (default)\n";
  for (const KernelStrategy *strategy : getKernelStrategies())
    text += "  " + strategy->getName().str() + " - " +
            strategy->getDescription().str() + "\n";
  return text;
}

std::string mlir::deconv::checkKernelStrategyName(StringRef name) {
  if (name == "auto" || lookupKernelStrategy(name))
    return "";
  std::string names = "auto";
  for (const KernelStrategy *strategy : getKernelStrategies())
    names += ", " + strategy->getName().str();
  return "unknown CUDA strategy '" + name.str() + "' (" + names + ")";
}

std::string mlir::deconv::applyCudaFlags(CudaTargetOptions &options,
                                         StringRef strategy, StringRef tile,
                                         StringRef precision) {
  if (std::string error = checkKernelStrategyName(strategy); !error.empty())
    return error;
  if (precision != "exact" && precision != "tf32")
    return "unknown --precision '" + precision.str() + "' (exact or tf32)";
  options.strategy = strategy.str();
  options.tile = tile.str();
  options.precision =
      precision == "tf32" ? CudaPrecision::Tf32 : CudaPrecision::Exact;
  return "";
}

FailureOr<const KernelStrategy *>
mlir::deconv::selectKernelStrategy(GroupedDeconvOp op,
                                   const CudaTargetOptions &options) {
  if (options.strategy != "auto") {
    const KernelStrategy *forced = lookupKernelStrategy(options.strategy);
    if (!forced)
      return op.emitOpError(checkKernelStrategyName(options.strategy));
    std::string why = forced->whyNot(op, options);
    if (!why.empty())
      return op.emitOpError("CUDA strategy '")
             << options.strategy << "' cannot take this op: " << why;
    return forced;
  }
  DeviceModel device = DeviceModel::forArch(options.getTargetArch());
  const KernelStrategy *best = nullptr;
  double bestSeconds = 0;
  for (const KernelStrategy *strategy : getKernelStrategies()) {
    if (!strategy->whyNot(op, options).empty())
      continue;
    double seconds = strategy->estimateSeconds(op, options, device);
    if (!best || seconds < bestSeconds) {
      best = strategy;
      bestSeconds = seconds;
    }
  }
  if (!best) // The direct strategy takes every op; this is a broken registry.
    return op.emitOpError("no CUDA strategy can take this op");
  return best;
}

OwningOpRef<ModuleOp> mlir::deconv::isolateOp(GroupedDeconvOp op,
                                              StringRef name,
                                              bool keepConstantWeight) {
  MLIRContext *context = op->getContext();
  Location loc = op.getLoc();
  OpBuilder builder(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  const bool constantWeight = keepConstantWeight && hasConstantWeight(op);
  SmallVector<Type> arguments;
  for (OpOperand &operand : op->getOpOperands())
    if (!(constantWeight && operand.get() == op.getWeight()))
      arguments.push_back(operand.get().getType());
  auto function = func::FuncOp::create(
      builder, loc, name,
      FunctionType::get(context, arguments, op->getResultTypes()));
  Block *entry = function.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  IRMapping mapping;
  unsigned next = 0;
  for (Value operand : op->getOperands()) {
    if (constantWeight && operand == op.getWeight()) {
      auto type = cast<RankedTensorType>(operand.getType());
      mapping.map(operand,
                  arith::ConstantOp::create(
                      builder, loc, type,
                      DenseElementsAttr::get(
                          type, builder.getZeroAttr(type.getElementType()))));
      continue;
    }
    mapping.map(operand, entry->getArgument(next++));
  }
  Operation *clone = builder.clone(*op, mapping);
  func::ReturnOp::create(builder, loc, clone->getResults());
  return module;
}

bool mlir::deconv::hasConstantWeight(GroupedDeconvOp op) {
  Value weight = op.getWeight();
  while (Operation *producer = weight.getDefiningOp()) {
    if (isa<arith::ConstantOp>(producer))
      return true;
    // Exactly the ops whose result the planner makes an alias or a
    // compile-time copy of its operand's buffer (PlanBuilder.cpp), so the
    // cost model and the planner agree on which weights are constants.
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::CastOp,
             linalg::TransposeOp>(producer))
      return false;
    weight = producer->getOperand(0);
  }
  return false;
}

/// The op's input sizes with dynamic ones replaced.
static SmallVector<int64_t> concreteInputShape(GroupedDeconvOp op,
                                               int64_t dynamicSize) {
  SmallVector<int64_t> shape(op.getInput().getType().getShape());
  for (int64_t &size : shape)
    if (ShapedType::isDynamic(size))
      size = dynamicSize;
  return shape;
}

int64_t mlir::deconv::countOpMacs(GroupedDeconvOp op, int64_t dynamicSize) {
  SmallVector<int64_t> input = concreteInputShape(op, dynamicSize);
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  SmallVector<PhaseAxis> axes = getPhaseAxes(op);
  IntegerMath math;
  // Per axis: sum over phases and positions of the taps inside the input.
  int64_t macs = input[0] * input[1] * input[2] * weight[2];
  for (auto [a, axis] : llvm::enumerate(axes)) {
    int64_t inputSize = input[3 + a];
    int64_t outputSize = computeOutputSize(math, axis, inputSize);
    int64_t pairs = 0;
    for (int64_t p = 0; p < axis.stride; ++p) {
      Phase<int64_t> phase = computePhase(math, axis, p, outputSize);
      for (int64_t q = 0; q < phase.outputs; ++q) {
        TapRange<int64_t> range =
            computeTapRange(math, axis, phase, q, inputSize);
        pairs += std::max<int64_t>(range.hi - range.lo, 0);
      }
    }
    macs *= pairs;
  }
  return macs;
}

int64_t mlir::deconv::countOpOutputs(GroupedDeconvOp op, int64_t dynamicSize) {
  SmallVector<int64_t> input = concreteInputShape(op, dynamicSize);
  IntegerMath math;
  int64_t outputs =
      input[0] * input[1] * op.getWeight().getType().getShape()[2];
  for (auto [a, axis] : llvm::enumerate(getPhaseAxes(op)))
    outputs *= computeOutputSize(math, axis, input[3 + a]);
  return outputs;
}

std::string mlir::deconv::whyNotFloatOp(GroupedDeconvOp op) {
  if (op.isQuantized())
    return "it computes in floats, and an integer deconvolution runs on "
           "implicit_gemm or direct";
  return "";
}

bool mlir::deconv::supportsIntegerGemm(const CudaTargetOptions &options) {
  return DeviceModel::forArch(options.getTargetArch()).smVersion >= 80;
}

std::string mlir::deconv::whyNotIntegerGemm(GroupedDeconvOp op,
                                            const CudaTargetOptions &options) {
  if (!op.isQuantized())
    return "";
  if (!supportsIntegerGemm(options))
    return "its integer GEMM needs the 8-bit tensor cores of sm_80 and later, "
           "not " +
           options.getTargetArch();
  if (!centersIntoInt8(
          op.getWeight().getType().getElementType(),
          op.getQuantizationAttr().getWeightZeroPoint().asArrayRef()))
    return "its integer GEMM takes a symmetric weight only (i8 with zero "
           "point 0, ui8 with 128); other weight zero points run on direct";
  return "";
}

int64_t mlir::deconv::countOpBytes(GroupedDeconvOp op, int64_t dynamicSize) {
  SmallVector<int64_t> input = concreteInputShape(op, dynamicSize);
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  int64_t elements = 1, weights = 1, outputs = countOpOutputs(op, dynamicSize);
  for (int64_t size : input)
    elements *= size;
  for (int64_t size : weight)
    weights *= size;
  int64_t bytesPerElement =
      op.getResult().getType().getElementType().getIntOrFloatBitWidth() / 8;
  return (elements + weights + outputs) * bytesPerElement;
}

double mlir::deconv::estimateIndexInstructions(GroupedDeconvOp op,
                                               double outputsPerThread) {
  // About 60 instructions for the thread's position and 30 per spatial
  // axis for its phase and tap range (ptxas's counts for the direct kernel).
  double perThread = 60.0 + 30.0 * static_cast<double>(op.getStride().size());
  return static_cast<double>(countOpOutputs(op)) * perThread / outputsPerThread;
}
