//===- DirectStrategy.cpp - one thread per output element -----------------===//
//
// The `direct` strategy, the fallback that takes every op: it lowers the op
// to its loop nest (the default order of -deconv-lower-to-loops) in a scratch
// module and translates that nest op by op, so the CPU and the GPU run the
// same nest. The two levels of scf.parallel, (n, g, co, phases) and the
// positions q of the phase, become one flat thread index over the output
// (n, g, co, o...), innermost axis fastest, so consecutive threads write
// consecutive outputs: each thread takes phase o mod S and position o / S.
// Everything computed before the loops is inlined as expressions in literals
// and the dynamic-size macros, so the thread count is one such expression.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/IR/DeconvShape.h"
#include "deconv/Target/CUDA/KernelStrategy.h"
#include "deconv/Target/CUDA/QuantizationKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::deconv;

namespace {

constexpr uint32_t kBlockSize = 256;

std::string cType(Type type) {
  if (type.isIndex())
    return "long long";
  if (auto integer = dyn_cast<IntegerType>(type)) {
    switch (integer.getWidth()) {
    case 1:
      return "bool";
    case 8:
      return integer.isUnsigned() ? "unsigned char" : "signed char";
    case 32:
      return "int";
    case 64:
      return "long long";
    default:
      return "";
    }
  }
  if (type.isF32())
    return "float";
  if (type.isF16() || type.isBF16())
    return "unsigned short"; // Raw bits; converted by the helpers below.
  return "";
}

/// Translates the ops of one lowered function into a kernel body.
class KernelWriter {
public:
  KernelWriter(GroupedDeconvOp op, ArrayRef<int64_t> strides)
      : op(op), strides(strides) {}

  LogicalResult write(func::FuncOp function, StrategyKernel &kernel);

private:
  /// C expression of a value.
  std::string get(Value value) { return names.lookup(value); }
  std::string fresh() { return "v" + std::to_string(nextId++); }
  void line(const Twine &text) {
    body.append(2 * indent, ' ');
    body += text.str();
    body += '\n';
  }
  /// Defines `value` as `expression`: inline before the loops (so sizes stay
  /// expressions in literals and macros), a named temporary inside them.
  void define(Value value, const std::string &expression) {
    if (inPrologue) {
      names[value] = "(" + expression + ")";
      return;
    }
    std::string name = fresh();
    line(cType(value.getType()) + " const " + name + " = " + expression + ";");
    names[value] = name;
  }
  std::string linearIndex(Value buffer, ValueRange indices) {
    const std::vector<std::string> &sizes = dims[buffer];
    std::string index = get(indices.front());
    for (size_t d = 1; d < indices.size(); ++d)
      index = "(" + index + ") * " + sizes[d] + " + " + get(indices[d]);
    return index;
  }

  LogicalResult emitOp(Operation *operation);
  LogicalResult emitBlock(Block &block);
  LogicalResult emitParallelNest(scf::ParallelOp outer);

  /// A constant tensor (a per-channel table of an integer deconvolution) as
  /// an array of the kernel's source.
  LogicalResult defineTable(arith::ConstantOp constant,
                            DenseElementsAttr values);

  GroupedDeconvOp op;
  ArrayRef<int64_t> strides;
  std::string tables;
  unsigned nextTable = 0;
  llvm::DenseMap<Value, std::string> names;
  llvm::DenseMap<Value, std::vector<std::string>> dims;
  std::vector<std::pair<std::string, unsigned>> macros;
  std::string body;
  std::string totalThreads;
  int indent = 1;
  unsigned nextId = 0;
  bool inPrologue = true;
};

LogicalResult KernelWriter::emitOp(Operation *operation) {
  auto binary = [&](const char *symbol) {
    define(operation->getResult(0), get(operation->getOperand(0)) + " " +
                                        symbol + " " +
                                        get(operation->getOperand(1)));
    return success();
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(operation)
      .Case([&](arith::ConstantOp constant) -> LogicalResult {
        Attribute value = constant.getValue();
        if (auto integer = dyn_cast<IntegerAttr>(value)) {
          names[constant] =
              integer.getType().isInteger(1)
                  ? (integer.getValue().isZero() ? "false" : "true")
                  : std::to_string(integer.getInt()) + "LL";
          return success();
        }
        if (auto table = dyn_cast<DenseElementsAttr>(value))
          return defineTable(constant, table);
        if (auto real = dyn_cast<FloatAttr>(value)) {
          if (!real.getType().isF32())
            return constant.emitOpError("the CUDA emitter takes f32 "
                                        "constants only");
          names[constant] =
              getFloatLiteral(static_cast<float>(real.getValueAsDouble()));
          return success();
        }
        return constant.emitOpError("unsupported constant for CUDA");
      })
      .Case([&](arith::AddIOp) { return binary("+"); })
      .Case([&](arith::SubIOp) { return binary("-"); })
      .Case([&](arith::MulIOp) { return binary("*"); })
      .Case([&](arith::AndIOp) { return binary("&&"); })
      .Case([&](arith::AddFOp) { return binary("+"); })
      .Case([&](arith::MulFOp multiply) {
        // The requantization rounds its product before adding the bias, as
        // the CPU does: no contraction into an FMA.
        if (!op.isQuantized())
          return binary("*");
        define(multiply, "__fmul_rn(" + get(multiply.getLhs()) + ", " +
                             get(multiply.getRhs()) + ")");
        return success();
      })
      .Case([&](arith::DivFOp) { return binary("/"); })
      .Case([&](math::RoundEvenOp round) {
        define(round, "rintf(" + get(round.getOperand()) + ")");
        return success();
      })
      .Case([&](arith::MaximumFOp max) {
        define(max,
               "fmaxf(" + get(max.getLhs()) + ", " + get(max.getRhs()) + ")");
        return success();
      })
      .Case([&](arith::MinimumFOp min) {
        define(min,
               "fminf(" + get(min.getLhs()) + ", " + get(min.getRhs()) + ")");
        return success();
      })
      .Case([&](arith::CmpFOp cmp) -> LogicalResult {
        if (cmp.getPredicate() != arith::CmpFPredicate::UNO)
          return cmp.emitOpError("only the NaN test is emitted");
        define(cmp, "(" + get(cmp.getLhs()) + " != " + get(cmp.getLhs()) +
                        " || " + get(cmp.getRhs()) + " != " +
                        get(cmp.getRhs()) + ")");
        return success();
      })
      .Case<arith::ExtSIOp, arith::ExtUIOp, arith::SIToFPOp, arith::FPToSIOp,
            arith::TruncIOp, UnrealizedConversionCastOp>(
          [&](Operation *conversion) -> LogicalResult {
            // C's conversions are these ops' when the source is read as the
            // type the op takes it as: unsigned for extui.
            Value from = conversion->getOperand(0);
            Value to = conversion->getResult(0);
            std::string source = get(from);
            if (isa<arith::ExtUIOp>(conversion))
              source = "(unsigned char)" + source;
            define(to, "(" + cType(to.getType()) + ")" + source);
            return success();
          })
      .Case([&](arith::FloorDivSIOp div) {
        define(div, "deconv_floordiv(" + get(div.getLhs()) + ", " +
                        get(div.getRhs()) + ")");
        return success();
      })
      .Case([&](arith::CeilDivSIOp div) {
        define(div, "deconv_ceildiv(" + get(div.getLhs()) + ", " +
                        get(div.getRhs()) + ")");
        return success();
      })
      .Case([&](arith::RemUIOp rem) {
        define(rem, "(long long)((unsigned long long)" + get(rem.getLhs()) +
                        " % (unsigned long long)" + get(rem.getRhs()) + ")");
        return success();
      })
      .Case([&](arith::MaxSIOp max) {
        define(max,
               "max(" + get(max.getLhs()) + ", " + get(max.getRhs()) + ")");
        return success();
      })
      .Case([&](arith::MinSIOp min) {
        define(min,
               "min(" + get(min.getLhs()) + ", " + get(min.getRhs()) + ")");
        return success();
      })
      .Case([&](arith::CmpIOp cmp) -> LogicalResult {
        const char *symbol = nullptr;
        switch (cmp.getPredicate()) {
        case arith::CmpIPredicate::eq:
          symbol = "==";
          break;
        case arith::CmpIPredicate::ne:
          symbol = "!=";
          break;
        case arith::CmpIPredicate::slt:
          symbol = "<";
          break;
        case arith::CmpIPredicate::sle:
          symbol = "<=";
          break;
        case arith::CmpIPredicate::sgt:
          symbol = ">";
          break;
        case arith::CmpIPredicate::sge:
          symbol = ">=";
          break;
        default:
          return cmp.emitOpError("unsigned comparisons are not emitted");
        }
        return binary(symbol);
      })
      .Case([&](arith::SelectOp select) {
        define(select, get(select.getCondition()) + " ? " +
                           get(select.getTrueValue()) + " : " +
                           get(select.getFalseValue()));
        return success();
      })
      .Case([&](arith::ExtFOp ext) -> LogicalResult {
        Type from = ext.getIn().getType();
        define(ext, std::string(from.isF16() ? "deconv_half_to_float("
                                             : "deconv_bfloat16_to_float(") +
                        get(ext.getIn()) + ")");
        return success();
      })
      .Case([&](arith::TruncFOp trunc) -> LogicalResult {
        Type to = trunc.getType();
        define(trunc, std::string(to.isF16() ? "deconv_float_to_half("
                                             : "deconv_float_to_bfloat16(") +
                          get(trunc.getIn()) + ")");
        return success();
      })
      .Case([&](memref::DimOp dim) -> LogicalResult {
        std::optional<int64_t> index = dim.getConstantIndex();
        if (!index)
          return dim.emitOpError("needs a constant dimension");
        names[dim] = dims[dim.getSource()][*index];
        return success();
      })
      .Case([&](memref::LoadOp load) {
        define(load, get(load.getMemRef()) + "[" +
                         linearIndex(load.getMemRef(), load.getIndices()) +
                         "]");
        return success();
      })
      .Case([&](memref::StoreOp store) {
        line(get(store.getMemRef()) + "[" +
             linearIndex(store.getMemRef(), store.getIndices()) +
             "] = " + get(store.getValueToStore()) + ";");
        return success();
      })
      .Case([&](scf::ForOp loop) -> LogicalResult {
        std::vector<std::string> carried;
        for (auto [init, result] :
             llvm::zip(loop.getInitArgs(), loop.getResults())) {
          std::string name = fresh();
          line(cType(result.getType()) + " " + name + " = " + get(init) + ";");
          carried.push_back(name);
        }
        std::string iv = fresh();
        line("for (long long " + iv + " = " + get(loop.getLowerBound()) + "; " +
             iv + " < " + get(loop.getUpperBound()) + "; " + iv +
             " += " + get(loop.getStep()) + ") {");
        names[loop.getInductionVar()] = iv;
        for (auto [arg, name] : llvm::zip(loop.getRegionIterArgs(), carried))
          names[arg] = name;
        ++indent;
        for (Operation &inner : loop.getBody()->without_terminator())
          if (failed(emitOp(&inner)))
            return failure();
        auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
        // Read every yielded value before assigning any carried one.
        std::vector<std::string> next;
        for (Value value : yield.getOperands()) {
          std::string name = fresh();
          line(cType(value.getType()) + " const " + name + " = " + get(value) +
               ";");
          next.push_back(name);
        }
        for (auto [name, value] : llvm::zip(carried, next))
          line(name + " = " + value + ";");
        --indent;
        line("}");
        for (auto [result, name] : llvm::zip(loop.getResults(), carried))
          names[result] = name;
        return success();
      })
      .Default([&](Operation *other) -> LogicalResult {
        return other->emitOpError("is not supported by the CUDA emitter");
      });
}

LogicalResult KernelWriter::defineTable(arith::ConstantOp constant,
                                        DenseElementsAttr values) {
  auto type = cast<ShapedType>(values.getType());
  std::string elementType = cType(type.getElementType());
  if (type.getRank() != 1 || elementType.empty())
    return constant.emitOpError("the CUDA emitter takes 1-D tables only");
  std::string name = "deconv_table_" + std::to_string(nextTable++);
  tables += "static __device__ const " + elementType + " " + name + "[" +
            std::to_string(type.getNumElements()) + "] = {";
  std::vector<std::string> entries;
  if (type.getElementType().isF32()) {
    for (const APFloat &value : values.getValues<APFloat>())
      entries.push_back(getFloatLiteral(value.convertToFloat()));
  } else {
    for (const APInt &value : values.getValues<APInt>())
      entries.push_back(std::to_string(value.getSExtValue()));
  }
  tables += llvm::join(entries, ", ") + "};\n";
  names[constant] = name;
  dims[constant] = {std::to_string(type.getNumElements()) + "LL"};
  return success();
}

LogicalResult KernelWriter::emitParallelNest(scf::ParallelOp outer) {
  scf::ParallelOp inner;
  for (Operation &candidate : outer.getBody()->without_terminator())
    if (auto parallel = dyn_cast<scf::ParallelOp>(candidate))
      inner = parallel;
  if (!inner)
    return outer.emitOpError("expected the nest's inner parallel loop");
  auto checkBounds = [](scf::ParallelOp loop,
                        KernelWriter &writer) -> LogicalResult {
    for (auto [lower, step] : llvm::zip(loop.getLowerBound(), loop.getStep()))
      if (writer.get(lower) != "0LL" || writer.get(step) != "1LL")
        return loop.emitOpError("expected zero-based unit-step bounds");
    return success();
  };
  if (failed(checkBounds(outer, *this)))
    return failure();
  const size_t numSpatial = inner.getNumLoops();
  const size_t firstPhase = outer.getNumLoops() - numSpatial;
  if (firstPhase != 3)
    return outer.emitOpError("expected the (n, g, co, phases) order");
  for (size_t a = 0; a < numSpatial; ++a)
    if (get(outer.getUpperBound()[firstPhase + a]) !=
        std::to_string(strides[a]) + "LL")
      return outer.emitOpError("expected one phase per stride step");

  // The thread space is the output itself: (n, g, co, o...), o innermost.
  std::vector<std::string> extents;
  for (size_t i = 0; i < firstPhase; ++i)
    extents.push_back(get(outer.getUpperBound()[i]));
  const std::vector<std::string> &resultDims = dims[op.getResult()];
  for (size_t a = 0; a < numSpatial; ++a)
    extents.push_back(resultDims[3 + a]);
  totalThreads = extents.front();
  for (size_t i = 1; i < extents.size(); ++i)
    totalThreads += " * " + extents[i];

  inPrologue = false;
  line("long long thread = (long long)blockIdx.x * blockDim.x + threadIdx.x;");
  line("if (thread >= DECONV_TOTAL_THREADS)");
  line("  return;");
  std::vector<std::string> position(extents.size());
  for (size_t i = extents.size(); i-- > 0;) {
    position[i] = fresh();
    if (i == 0)
      line("long long const " + position[i] + " = thread;");
    else
      line("long long const " + position[i] + " = thread % " + extents[i] +
           "; thread /= " + extents[i] + ";");
  }
  // (getInductionVars returns a fresh range each call: take it once.)
  SmallVector<Value> outerIvs = llvm::to_vector(outer.getInductionVars());
  SmallVector<Value> innerIvs = llvm::to_vector(inner.getInductionVars());
  for (size_t i = 0; i < firstPhase; ++i)
    names[outerIvs[i]] = position[i];
  // Output o = p + S*q: phase p = o mod S, position q = o / S.
  for (size_t a = 0; a < numSpatial; ++a) {
    const std::string &o = position[firstPhase + a];
    std::string stride = std::to_string(strides[a]) + "LL";
    std::string phase = fresh(), q = fresh();
    line("long long const " + phase + " = " + o + " % " + stride + ";");
    line("long long const " + q + " = " + o + " / " + stride + ";");
    names[outerIvs[firstPhase + a]] = phase;
    names[innerIvs[a]] = q;
  }

  for (Operation &operation : outer.getBody()->without_terminator()) {
    if (&operation == inner.getOperation())
      break;
    if (failed(emitOp(&operation)))
      return failure();
  }
  // q < Q(phase) holds: o < O.
  if (failed(checkBounds(inner, *this)))
    return failure();
  for (Operation &operation : inner.getBody()->without_terminator())
    if (failed(emitOp(&operation)))
      return failure();
  return success();
}

LogicalResult KernelWriter::write(func::FuncOp function,
                                  StrategyKernel &strategyKernel) {
  ::deconv::PlanKernel &kernel = strategyKernel.kernel;
  // Parameters: the canonical op's operands, then the result.
  const char *parameterNames[] = {"input", "weight", "bias"};
  std::string parameters;
  for (auto [index, argument] : llvm::enumerate(function.getArguments())) {
    auto type = cast<RankedTensorType>(argument.getType());
    parameters += "DECONV_GLOBAL(const " + cType(type.getElementType()) +
                  ") " + parameterNames[index] + ", ";
    strategyKernel.operands.push_back(static_cast<KernelOperand>(index));
    std::vector<std::string> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d)) {
        sizes.push_back(std::to_string(type.getDimSize(d)) + "LL");
        continue;
      }
      std::string macro =
          llvm::formatv("DECONV_{0}_DIM{1}",
                        StringRef(parameterNames[index]).upper(), d)
              .str();
      // Only the input has dynamic sizes (weights and bias are static).
      macros.emplace_back(macro, static_cast<unsigned>(d));
      sizes.push_back(macro);
    }
    dims[argument] = sizes;
  }
  parameters +=
      "DECONV_GLOBAL(" + cType(op.getResult().getType().getElementType()) +
      ") result";
  strategyKernel.operands.push_back(KernelOperand::Result);

  for (Operation &operation : function.getBody().front()) {
    LogicalResult result =
        llvm::TypeSwitch<Operation *, LogicalResult>(&operation)
            .Case([&](bufferization::ToBufferOp toBuffer) {
              Value tensor = toBuffer.getTensor();
              auto argument = dyn_cast<BlockArgument>(tensor);
              names[toBuffer] =
                  argument ? parameterNames[argument.getArgNumber()]
                           : get(tensor);
              dims[toBuffer] = dims[tensor];
              return success();
            })
            .Case([&](memref::AllocOp alloc) {
              names[alloc] = "result";
              std::vector<std::string> sizes;
              unsigned dynamic = 0;
              for (int64_t d = 0; d < alloc.getType().getRank(); ++d)
                sizes.push_back(
                    alloc.getType().isDynamicDim(d)
                        ? get(alloc.getDynamicSizes()[dynamic++])
                        : std::to_string(alloc.getType().getDimSize(d)) + "LL");
              dims[alloc] = sizes;
              dims[op.getResult()] = sizes;
              return success();
            })
            .Case([&](scf::ParallelOp parallel) {
              return emitParallelNest(parallel);
            })
            .Case<bufferization::ToTensorOp, func::ReturnOp>(
                [](Operation *) { return success(); })
            .Default([&](Operation *other) { return emitOp(other); });
    if (failed(result))
      return failure();
  }

  std::string source;
  llvm::raw_string_ostream os(source);
  os << "// deconv: " << kernel.name
     << " (strategy: direct), generated from\n// ";
  op->print(os);
  os << "\n#include \"deconv_device.h\"\n\n";
  for (const auto &[macro, dim] : macros)
    os << "#ifndef " << macro << "\n#error \"" << macro
       << " (a dynamic size) must be defined\"\n#endif\n";
  os << "#define DECONV_TOTAL_THREADS (" << totalThreads << ")\n\n";
  os << tables;
  os << "extern \"C\" __global__ void __launch_bounds__(" << kBlockSize << ")\n"
     << kernel.name << "(" << parameters << ") {\n"
     << body << "}\n";
  kernel.source = std::move(source);
  kernel.strategy = "direct";
  kernel.block = {kBlockSize, 1, 1};
  kernel.grid = {"deconv_ceildiv(" + totalThreads + ", " +
                     std::to_string(kBlockSize) + ")",
                 "1", "1"};
  strategyKernel.inputDimMacros = macros;
  return success();
}

/// One thread per output element; the fallback for every op.
class DirectStrategy final : public KernelStrategy {
public:
  StringRef getName() const override { return "direct"; }
  StringRef getDescription() const override {
    return "one thread per output element, coalesced stores (every op)";
  }
  std::string whyNot(GroupedDeconvOp,
                     const CudaTargetOptions &) const override {
    return "";
  }
  double estimateSeconds(GroupedDeconvOp op, const CudaTargetOptions &,
                         const DeviceModel &device) const override {
    // Instruction-bound: each multiply-add costs two (cached) loads, the
    // FMA and its indices, about ten instructions, and each output its own
    // index arithmetic; one instruction issues per FMA slot.
    double instructions = 10.0 * static_cast<double>(countOpMacs(op)) +
                          estimateIndexInstructions(op, 1.0);
    double compute = instructions / (0.5 * device.fp32FlopsPerSecond);
    double memory =
        static_cast<double>(countOpBytes(op)) / device.memoryBytesPerSecond;
    return std::max(compute, memory) + device.launchSeconds;
  }
  FailureOr<std::vector<StrategyKernel>>
  emit(GroupedDeconvOp op, StringRef namePrefix, const CudaTargetOptions &,
       const OperandLayout &layout) const override;
};

} // namespace

FailureOr<std::vector<StrategyKernel>>
DirectStrategy::emit(GroupedDeconvOp op, StringRef namePrefix,
                     const CudaTargetOptions &,
                     const OperandLayout &layout) const {
  assert(!layout.inputChannelsLast && !layout.resultChannelsLast &&
         "takes the canonical layout only");
  OwningOpRef<ModuleOp> scratch = isolateOp(op, "kernel");
  auto function = scratch->lookupSymbol<func::FuncOp>("kernel");
  PassManager pm(op->getContext());
  pm.addPass(createDeconvToLoopsPass());
  if (failed(pm.run(*scratch)))
    return failure();

  StrategyKernel kernel;
  kernel.kernel.name = namePrefix.str();
  KernelWriter writer(op, op.getStride());
  if (failed(writer.write(function, kernel)))
    return failure();
  std::vector<StrategyKernel> kernels;
  kernels.push_back(std::move(kernel));
  return kernels;
}

const KernelStrategy &mlir::deconv::getDirectStrategy() {
  static const DirectStrategy strategy;
  return strategy;
}
