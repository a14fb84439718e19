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
#include "deconv/Runtime/PlanExecutor.h"
#include "deconv/Support/FirstError.h"
#include "deconv/Runtime/RunTool.h"
#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/CUDA/PlanBuilder.h"
#include "deconv/Target/RuntimeTypes.h"

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
  return ::deconv::reportError("deconv-run", message);
}

/// The options that RunTool takes, from the command line.
::deconv::RunOptions runOptions() {
  ::deconv::RunOptions options;
  options.inputs.assign(inputArgs.begin(), inputArgs.end());
  options.outputs.assign(outputArgs.begin(), outputArgs.end());
  options.benchmarkRuns = benchmarkRuns;
  return options;
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
  StatusOr<std::vector<HostTensor>> inputs = ::deconv::loadInputs(runOptions());
  if (!inputs)
    return fail(inputs.message());
  auto executor = ::deconv::PlanExecutor::create(std::move(*plan));
  if (!executor)
    return fail(executor.message());
  return ::deconv::runAndReport(
      "deconv-run",
      [&](const std::vector<const HostTensor *> &in) {
        return (*executor)->run(in);
      },
      *inputs, runOptions(), /*macs=*/0);
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
    mlir::deconv::FirstError error(&context);
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

  StatusOr<std::vector<HostTensor>> loaded = ::deconv::loadInputs(runOptions());
  if (!loaded)
    return fail(loaded.message());
  std::vector<HostTensor> &inputs = *loaded;
  SmallVector<SmallVector<int64_t>> inputShapes;
  for (auto [index, tensor] : llvm::enumerate(inputs)) {
    Type expected = function.getArgumentTypes()[index];
    auto tensorType = dyn_cast<RankedTensorType>(expected);
    std::optional<::deconv::ElementType> type =
        tensorType ? mlir::deconv::toRuntimeElementType(
                         tensorType.getElementType())
                   : std::nullopt;
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
  std::unique_ptr<::deconv::PlanExecutor> gpu;
  if (target != TargetKind::Cpu) {
    auto device = ::deconv::CudaDevice::open();
    if (device || target == TargetKind::Cuda) {
      if (!device)
        return fail(device.message());
      if (target == TargetKind::Auto)
        llvm::errs() << "deconv-run: target cuda (" << (*device)->getName()
                     << ", " << (*device)->getArch() << ")\n";
      mlir::deconv::FirstError error(&context);
      FailureOr<::deconv::Plan> plan =
          mlir::deconv::buildPlan(*module, name, {});
      if (failed(plan))
        return fail(
            error.take("cannot compile @" + name + " for the CUDA target"));
      auto executor = ::deconv::PlanExecutor::create(std::move(*plan));
      if (!executor)
        return fail(executor.message());
      gpu = std::move(*executor);
    } else {
      llvm::errs() << "deconv-run: target cpu (" << device.message() << ")\n";
    }
  }

  std::unique_ptr<mlir::deconv::CpuExecutable> cpu;
  if (!gpu) {
    auto executable = mlir::deconv::CpuExecutable::compile(*module, name);
    if (!executable)
      return fail(executable.message());
    cpu = std::move(*executable);
  }
  return ::deconv::runAndReport(
      "deconv-run",
      [&](const std::vector<const HostTensor *> &in) {
        return gpu ? gpu->run(in) : cpu->run(in);
      },
      inputs, runOptions(), macs);
}
