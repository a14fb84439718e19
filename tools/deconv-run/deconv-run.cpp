//===- deconv-run.cpp - run a deconv graph on NumPy inputs -----------------===//
//
// deconv-run FILE.mlir|FILE.plan [--function=NAME] [--target=auto|cpu|cuda]
//            --input=@x.npy ... [--output=@y.npy ...] [--benchmark=N]
//
// Compiles one function of FILE.mlir (or loads a plan from deconv-compile),
// runs it on the inputs and prints or writes its results. Every bad input
// ends in one line naming the problem and a non-zero exit.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/Transforms/SpecializeShapes.h"
#include "deconv/Runtime/Npy.h"
#include "deconv/Runtime/PlanExecutor.h"
#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/CUDA/PlanBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

using namespace mlir;
using ::deconv::HostTensor;
using ::deconv::StatusOr;

namespace {

enum class TargetKind { Auto, Cpu, Cuda };

llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                         llvm::cl::desc("<FILE.mlir>"),
                                         llvm::cl::Required);
llvm::cl::opt<std::string>
    functionName("function",
                 llvm::cl::desc("Function to run (default: @main, or the "
                                "module's only function)"),
                 llvm::cl::init(""));
llvm::cl::opt<TargetKind> target(
    "target", llvm::cl::desc("Where to run"),
    llvm::cl::values(
        clEnumValN(TargetKind::Auto, "auto", "the GPU if usable, else the CPU"),
        clEnumValN(TargetKind::Cpu, "cpu", "the CPU through LLVM"),
        clEnumValN(TargetKind::Cuda, "cuda", "the GPU")),
    llvm::cl::init(TargetKind::Auto));
llvm::cl::list<std::string>
    inputArgs("input",
              llvm::cl::desc("One per argument, in order: @file.npy or an "
                             "inline 2x3xf32=1 2 3 4 5 6"));
llvm::cl::list<std::string>
    outputArgs("output", llvm::cl::desc("One per result, in order: @file.npy"));
llvm::cl::opt<unsigned>
    benchmarkRuns("benchmark",
                  llvm::cl::desc("Timed runs after a warm-up: prints the "
                                 "median time and GFLOP/s"),
                  llvm::cl::init(0));

int fail(const std::string &message) {
  llvm::errs() << "deconv-run: " << message << "\n";
  return 1;
}

/// Formats the first error diagnostic as `file:line:col: message`.
class FirstError {
public:
  explicit FirstError(MLIRContext *context)
      : handler(context, [this](Diagnostic &diagnostic) {
          if (diagnostic.getSeverity() != DiagnosticSeverity::Error ||
              !message.empty())
            return success();
          llvm::raw_string_ostream os(message);
          if (auto location = dyn_cast<FileLineColLoc>(diagnostic.getLocation()))
            os << location.getFilename().getValue() << ":" << location.getLine() << ":"
               << location.getColumn() << ": ";
          os << diagnostic.str();
          return success();
        }) {}
  std::string take(const std::string &fallback) {
    return message.empty() ? fallback : message;
  }

private:
  std::string message;
  ScopedDiagnosticHandler handler;
};

StatusOr<HostTensor> loadInput(const std::string &argument) {
  if (!argument.empty() && argument.front() == '@')
    return ::deconv::readNpyFile(argument.substr(1));
  return ::deconv::parseInlineTensor(argument);
}

std::optional<::deconv::ElementType> elementTypeOf(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return std::nullopt;
  Type element = tensor.getElementType();
  if (element.isF32())
    return ::deconv::ElementType::F32;
  if (element.isF16())
    return ::deconv::ElementType::F16;
  if (element.isBF16())
    return ::deconv::ElementType::BF16;
  if (element.isInteger(8))
    return ::deconv::ElementType::I8;
  return std::nullopt;
}

/// NumPy-style nested brackets, 9 significant digits (exact for f32).
void printTensor(const HostTensor &tensor) {
  const std::vector<int64_t> &shape = tensor.getShape();
  int64_t index = 0;
  std::function<void(size_t)> print = [&](size_t dim) {
    if (dim == shape.size()) {
      std::printf("%.9g", tensor.getAsDouble(index++));
      return;
    }
    std::printf("[");
    for (int64_t i = 0; i < shape[dim]; ++i) {
      if (i > 0) {
        if (dim + 1 == shape.size())
          std::printf(" ");
        else
          std::printf("\n%*s", static_cast<int>(dim + 1), "");
      }
      print(dim + 1);
    }
    std::printf("]");
  };
  print(0);
  std::printf("\n");
}

using Runner = std::function<StatusOr<std::vector<HostTensor>>(
    const std::vector<const HostTensor *> &)>;

/// Runs (and benchmarks) through `runner`, then prints or writes the results.
int runAndReport(const Runner &runner, const std::vector<HostTensor> &inputs,
                 int64_t macs) {
  std::vector<const HostTensor *> inputPointers;
  for (const HostTensor &input : inputs)
    inputPointers.push_back(&input);
  StatusOr<std::vector<HostTensor>> results = runner(inputPointers);
  if (!results)
    return fail(results.message());
  if (!outputArgs.empty() && outputArgs.size() != results->size())
    return fail("the function has " + std::to_string(results->size()) +
                " results, got " + std::to_string(outputArgs.size()) +
                " --output");

  if (benchmarkRuns > 0) {
    std::vector<double> milliseconds;
    for (unsigned run = 0; run < benchmarkRuns; ++run) {
      auto start = std::chrono::steady_clock::now();
      StatusOr<std::vector<HostTensor>> timed = runner(inputPointers);
      auto stop = std::chrono::steady_clock::now();
      if (!timed)
        return fail(timed.message());
      milliseconds.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(milliseconds.begin(), milliseconds.end());
    double median = milliseconds[milliseconds.size() / 2];
    if (milliseconds.size() % 2 == 0)
      median = (median + milliseconds[milliseconds.size() / 2 - 1]) / 2;
    if (macs > 0)
      std::printf("benchmark: %u runs, median %.4f ms, %.2f GFLOP/s (%lld "
                  "useful multiply-adds)\n",
                  benchmarkRuns.getValue(), median,
                  2.0 * static_cast<double>(macs) / (median * 1e6),
                  static_cast<long long>(macs));
    else
      std::printf("benchmark: %u runs, median %.4f ms\n",
                  benchmarkRuns.getValue(), median);
  }

  for (auto [index, result] : llvm::enumerate(*results)) {
    if (!outputArgs.empty()) {
      std::string path = outputArgs[index];
      if (!path.empty() && path.front() == '@')
        path.erase(0, 1);
      if (::deconv::Status status = ::deconv::writeNpyFile(path, result);
          !status)
        return fail(status.message());
      continue;
    }
    std::printf("result %zu: %s\n", index, result.getTypeString().c_str());
    printTensor(result);
  }
  return 0;
}

/// Loads every --input.
StatusOr<std::vector<HostTensor>> loadInputs() {
  std::vector<HostTensor> inputs;
  for (auto [index, argument] : llvm::enumerate(inputArgs)) {
    StatusOr<HostTensor> tensor = loadInput(argument);
    if (!tensor)
      return ::deconv::Status::error("input " + std::to_string(index) + ": " +
                                     tensor.message());
    inputs.push_back(std::move(*tensor));
  }
  return inputs;
}

/// A plan from deconv-compile: it runs on the GPU alone.
int runPlan(StatusOr<::deconv::Plan> plan) {
  if (!plan)
    return fail("'" + inputFilename + "': " + plan.message());
  if (target == TargetKind::Cpu)
    return fail("plans run on the CUDA target; give the .mlir file for "
                "--target=cpu");
  if (inputArgs.size() != plan->inputs.size())
    return fail("@" + plan->function + " takes " +
                std::to_string(plan->inputs.size()) + " inputs, got " +
                std::to_string(inputArgs.size()) + " --input");
  StatusOr<std::vector<HostTensor>> inputs = loadInputs();
  if (!inputs)
    return fail(inputs.message());
  auto executor = ::deconv::PlanExecutor::create(std::move(*plan));
  if (!executor)
    return fail(executor.message());
  return runAndReport(
      [&](const std::vector<const HostTensor *> &in) {
        return (*executor)->run(in);
      },
      *inputs, /*macs=*/0);
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::cl::ParseCommandLineOptions(argc, argv,
                                    "deconv-run: run a deconv graph\n");

  DialectRegistry registry;
  mlir::deconv::registerCpuTargetDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  auto buffer = llvm::MemoryBuffer::getFile(inputFilename);
  if (!buffer)
    return fail("cannot open '" + inputFilename +
                "': " + buffer.getError().message());
  if (::deconv::looksLikePlan((*buffer)->getBuffer()))
    return runPlan(::deconv::parsePlan((*buffer)->getBuffer()));
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module;
  {
    FirstError error(&context);
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return fail(error.take("cannot parse '" + inputFilename + "'"));
  }

  // The function: --function, else @main, else the only one.
  func::FuncOp function;
  if (!functionName.empty()) {
    function = module->lookupSymbol<func::FuncOp>(functionName);
    if (!function || function.isExternal())
      return fail("no function @" + functionName + " in '" + inputFilename +
                  "'");
  } else if (auto main = module->lookupSymbol<func::FuncOp>("main")) {
    function = main;
  } else {
    auto functions = llvm::to_vector(module->getOps<func::FuncOp>());
    if (functions.size() != 1)
      return fail("'" + inputFilename + "' has " +
                  std::to_string(functions.size()) +
                  " functions and no @main; name one with --function");
    function = functions.front();
  }
  const std::string name = function.getName().str();

  if (inputArgs.size() != function.getNumArguments())
    return fail("@" + name + " takes " +
                std::to_string(function.getNumArguments()) + " inputs, got " +
                std::to_string(inputArgs.size()) + " --input");
  if (!outputArgs.empty() && outputArgs.size() != function.getNumResults())
    return fail("@" + name + " has " +
                std::to_string(function.getNumResults()) + " results, got " +
                std::to_string(outputArgs.size()) + " --output");

  StatusOr<std::vector<HostTensor>> loaded = loadInputs();
  if (!loaded)
    return fail(loaded.message());
  std::vector<HostTensor> &inputs = *loaded;
  SmallVector<SmallVector<int64_t>> inputShapes;
  for (auto [index, tensor] : llvm::enumerate(inputs)) {
    Type expected = function.getArgumentTypes()[index];
    std::optional<::deconv::ElementType> type = elementTypeOf(expected);
    if (!type || *type != tensor.getElementType()) {
      std::string expectedText;
      llvm::raw_string_ostream os(expectedText);
      expected.print(os);
      return fail("input " + std::to_string(index) + " is " +
                  tensor.getTypeString() + " but argument " +
                  std::to_string(index) + " of @" + name + " is " +
                  expectedText);
    }
    inputShapes.emplace_back(tensor.getShape().begin(),
                             tensor.getShape().end());
  }

  // Check the concrete shapes with the verifier's rules on a copy.
  OwningOpRef<func::FuncOp> specialized = function.clone();
  if (llvm::Error error = mlir::deconv::specializeShapes(*specialized, inputShapes))
    return fail(llvm::toString(std::move(error)));
  const int64_t macs = mlir::deconv::countFunctionMacs(*specialized);

  // auto takes the GPU when one opens, else the CPU, and says which.
  if (target != TargetKind::Cpu) {
    auto device = ::deconv::CudaDevice::open();
    if (device || target == TargetKind::Cuda) {
      if (!device)
        return fail(device.message());
      if (target == TargetKind::Auto)
        llvm::errs() << "deconv-run: target cuda (" << (*device)->getName()
                     << ", " << (*device)->getArch() << ")\n";
      FailureOr<::deconv::Plan> plan =
          mlir::deconv::buildPlan(*module, name, {});
      if (failed(plan))
        return fail("cannot compile @" + name + " for the CUDA target");
      auto executor = ::deconv::PlanExecutor::create(std::move(*plan));
      if (!executor)
        return fail(executor.message());
      return runAndReport(
          [&](const std::vector<const HostTensor *> &in) {
            return (*executor)->run(in);
          },
          inputs, macs);
    }
    llvm::errs() << "deconv-run: target cpu (" << device.message() << ")\n";
  }

  auto executable = mlir::deconv::CpuExecutable::compile(*module, name);
  if (!executable)
    return fail(executable.message());
  return runAndReport(
      [&](const std::vector<const HostTensor *> &in) {
        return (*executable)->run(in);
      },
      inputs, macs);
}
