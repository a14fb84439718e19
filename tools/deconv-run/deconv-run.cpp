//===- deconv-run.cpp - run a deconv graph on NumPy inputs
//-----------------===//
//
// deconv-run FILE.mlir|FILE.plan [--function=NAME]
//            [--target=auto|cpu|cuda|cuda-emulator] --input=@x.npy ...
//            [--output=@y.npy ...] [--benchmark=N] [--cuda-strategy=NAME]
//            [--cuda-tile=RxC]
//            [--precision=exact|tf32] [--device-io] [--tune]
//
// Compiles one function of FILE.mlir (or loads a plan from deconv-compile),
// runs it on the inputs and prints or writes its results. Every bad input
// ends in one line naming the problem and a non-zero exit.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/Transforms/SpecializeShapes.h"
#include "deconv/Driver/Driver.h"
#include "deconv/Driver/InitAllDialects.h"
#include "deconv/Runtime/PlanExecutor.h"
#include "deconv/Runtime/RunTool.h"
#include "deconv/Support/FirstError.h"
#include "deconv/Support/ToolOptions.h"
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

#include <chrono>
#include <cstdio>

using namespace mlir;
using ::deconv::HostTensor;
using ::deconv::StatusOr;

namespace {

enum class TargetKind { Auto, Cpu, Cuda, CudaEmulator };

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
        clEnumValN(TargetKind::Cuda, "cuda", "the GPU"),
        clEnumValN(TargetKind::CudaEmulator, "cuda-emulator",
                   "the CUDA target's kernels on the host emulator")),
    llvm::cl::init(TargetKind::Auto));
llvm::cl::list<std::string>
    inputArgs("input",
              llvm::cl::desc("One per argument, in order: @file.npy or an "
                             "inline 2x3xf32=1 2 3 4 5 6"));
llvm::cl::list<std::string>
    outputArgs("output", llvm::cl::desc("One per result, in order: @file.npy"));
llvm::cl::opt<std::string> cudaStrategy(
    "cuda-strategy",
    llvm::cl::desc("Force one CUDA kernel strategy for every op (auto: the "
                   "cost model picks; names: deconv-compile --help)"),
    llvm::cl::init("auto"));
llvm::cl::opt<std::string> cudaTile(
    "cuda-tile",
    llvm::cl::desc("The block tile of the GEMM strategies (e.g. 128x64; "
                   "auto: the cost model's)"),
    llvm::cl::init("auto"));
llvm::cl::opt<std::string>
    precision("precision",
              llvm::cl::desc("exact (default): f32 math for f32 data; tf32: "
                             "TF32 tensor cores where a strategy has them"),
              llvm::cl::init("exact"));
llvm::cl::opt<std::string> cpuKernel(
    "cpu-kernel",
    llvm::cl::desc("The CPU micro-kernel form of every op: auto (chosen per "
                   "op), phases or columns"),
    llvm::cl::init("auto"));
llvm::cl::opt<std::string> cpuTile(
    "cpu-tile",
    llvm::cl::desc("The CPU micro-kernel tile, LANESxROWSxVECTORS (e.g. "
                   "8x6x2; auto: the host's)"),
    llvm::cl::init("auto"));
llvm::cl::opt<std::string> maxMemory(
    "max-memory",
    llvm::cl::desc("CPU target: the most the results of a run may take, "
                   "e.g. 8G (default: half the physical memory)"),
    llvm::cl::init(""));
llvm::cl::opt<bool>
    tune("tune",
         llvm::cl::desc("CUDA targets: time every strategy and tile of each "
                        "op on the device and keep the fastest (recorded in "
                        "the kernel cache directory for the next run)"));
llvm::cl::opt<bool> deviceIo(
    "device-io",
    llvm::cl::desc("CUDA targets: upload the inputs and run over device "
                   "memory (the C++ API's runOnDevice path)"));
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

::deconv::CudaBackend backendOf(TargetKind kind) {
  return kind == TargetKind::CudaEmulator ? ::deconv::CudaBackend::Emulator
                                          : ::deconv::CudaBackend::Gpu;
}

/// Runs `executor` on the inputs and reports, host or device memory.
int runExecutor(::deconv::PlanExecutor &executor,
                const std::vector<HostTensor> &inputs, int64_t macs) {
  return ::deconv::runAndReport(
      "deconv-run",
      [&](const std::vector<const HostTensor *> &in) {
        auto results = deviceIo ? ::deconv::runOverDeviceMemory(executor, in)
                                : executor.run(in);
        ::deconv::printNotes("deconv-run", executor);
        return results;
      },
      inputs, runOptions(), macs);
}

/// A plan from deconv-compile: it runs on the GPU or the emulator.
int runPlan(StatusOr<::deconv::Plan> plan) {
  if (!plan)
    return fail("'" + inputFilename + "': " + plan.message());
  if (target == TargetKind::Cpu)
    return fail("plans run on the CUDA target; give the .mlir file for "
                "--target=cpu");
  if (cudaStrategy != "auto" || cudaTile != "auto" || precision != "exact" ||
      tune)
    return fail("a plan's kernels were chosen when it was compiled; pass "
                "--cuda-strategy, --cuda-tile, --precision and --tune to "
                "deconv-compile");
  if (inputArgs.size() != plan->inputs.size())
    return fail("@" + plan->function + " takes " +
                std::to_string(plan->inputs.size()) + " inputs, got " +
                std::to_string(inputArgs.size()) + " --input");
  StatusOr<std::vector<HostTensor>> inputs = ::deconv::loadInputs(runOptions());
  if (!inputs)
    return fail(inputs.message());
  auto executor = ::deconv::PlanExecutor::create(std::move(*plan), nullptr,
                                                 backendOf(target));
  if (!executor)
    return fail(executor.message());
  return runExecutor(**executor, *inputs, /*macs=*/0);
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::deconv::showOnlyOptions(
      {std::addressof(functionName), std::addressof(target),
       std::addressof(inputArgs), std::addressof(outputArgs),
       std::addressof(cudaStrategy), std::addressof(cudaTile),
       std::addressof(precision), std::addressof(cpuKernel),
       std::addressof(cpuTile), std::addressof(maxMemory), std::addressof(tune),
       std::addressof(deviceIo), std::addressof(benchmarkRuns)});
  llvm::cl::ParseCommandLineOptions(argc, argv,
                                    "deconv-run: run a deconv graph\n");

  // Checked first, whatever the target; used once a device is found.
  mlir::deconv::CudaTargetOptions cudaOptions;
  if (std::string error = mlir::deconv::applyCudaFlags(
          cudaOptions, cudaStrategy, cudaTile, precision);
      !error.empty())
    return fail(error);
  const bool cudaChoices = cudaStrategy != "auto" || cudaTile != "auto" ||
                           precision != "exact" || deviceIo || tune;
  if (target == TargetKind::Cpu && cudaChoices)
    return fail("--cuda-strategy, --cuda-tile, --precision=tf32, --device-io "
                "and --tune need a CUDA target");
  cudaOptions.tune = tune;
  cudaOptions.tuningBackend = backendOf(target);
  cudaOptions.warn = [](const std::string &message) {
    llvm::errs() << "deconv-run: warning: " << message << "\n";
  };
  mlir::deconv::CpuTargetOptions cpuOptions;
  cpuOptions.kernelForm = cpuKernel;
  if (cpuKernel != "auto" && cpuKernel != "phases" && cpuKernel != "columns")
    return fail("--cpu-kernel must be auto, phases or columns, not '" +
                cpuKernel + "'");
  if (cpuTile != "auto")
    if (std::string error = mlir::deconv::parseCpuTile(cpuTile, cpuOptions);
        !error.empty())
      return fail(error);
  if (!maxMemory.empty())
    if (std::string error =
            mlir::deconv::parseByteSize(maxMemory, cpuOptions.maxMemoryBytes);
        !error.empty())
      return fail("--max-memory: " + error);
  const bool cpuChoices =
      cpuKernel != "auto" || cpuTile != "auto" || !maxMemory.empty();
  if (cpuChoices &&
      (target == TargetKind::Cuda || target == TargetKind::CudaEmulator))
    return fail("--cpu-kernel, --cpu-tile and --max-memory need --target=cpu");

  DialectRegistry registry;
  mlir::deconv::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  auto buffer = llvm::MemoryBuffer::getFile(inputFilename);
  if (!buffer)
    return fail("cannot open '" + inputFilename +
                "': " + buffer.getError().message());
  if (::deconv::looksLikePlan((*buffer)->getBuffer()))
    return runPlan(::deconv::parsePlan((*buffer)->getBuffer()));
  std::string error;
  FailureOr<mlir::deconv::LoadedFunction> source =
      mlir::deconv::loadFunctionFromFile(context, std::move(*buffer),
                                         inputFilename, functionName, error);
  if (failed(source))
    return fail(error);
  OwningOpRef<ModuleOp> module = std::move(source->module);
  func::FuncOp function = source->function;
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
        tensorType
            ? mlir::deconv::toRuntimeElementType(tensorType.getElementType())
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
  if (llvm::Error error =
          mlir::deconv::specializeShapes(*specialized, inputShapes))
    return fail(llvm::toString(std::move(error)));
  const int64_t macs = mlir::deconv::countFunctionMacs(*specialized);

  // auto takes the GPU when one opens, else the CPU, and says which.
  std::unique_ptr<::deconv::PlanExecutor> gpu;
  if (target != TargetKind::Cpu) {
    auto device = ::deconv::CudaDevice::open(0, backendOf(target));
    if (device || target != TargetKind::Auto) {
      if (!device)
        return fail(device.message());
      if (cpuChoices)
        return fail("--cpu-kernel, --cpu-tile and --max-memory need "
                    "--target=cpu (a GPU was found)");
      if (target == TargetKind::Auto)
        llvm::errs() << "deconv-run: target cuda (" << (*device)->getName()
                     << ", " << (*device)->getArch() << ")\n";
      // Kernels compile when first run, for the device at hand.
      cudaOptions.targetArch = (*device)->getArch();
      mlir::deconv::FirstError error(&context);
      // Tuning times ops of these inputs' sizes: plan the function
      // specialized to them, where every size is static.
      OwningOpRef<ModuleOp> tuned;
      if (tune) {
        tuned = ModuleOp::create(function.getLoc());
        tuned->push_back(specialized->clone());
      }
      FailureOr<::deconv::Plan> plan =
          mlir::deconv::buildPlan(tune ? *tuned : *module, name, cudaOptions);
      if (failed(plan))
        return fail(
            error.take("cannot compile @" + name + " for the CUDA target"));
      auto executor = ::deconv::PlanExecutor::create(std::move(*plan), nullptr,
                                                     backendOf(target));
      if (!executor)
        return fail(executor.message());
      gpu = std::move(*executor);
    } else {
      // What only a CUDA target honours does not fall back quietly.
      if (cudaChoices)
        return fail(device.message());
      llvm::errs() << "deconv-run: target cpu (" << device.message() << ")\n";
    }
  }
  if (gpu)
    return runExecutor(*gpu, inputs, macs);

  auto compileStart = std::chrono::steady_clock::now();
  auto cpu = mlir::deconv::CpuExecutable::compile(*module, name, cpuOptions);
  if (!cpu)
    return fail(cpu.message());
  if (benchmarkRuns > 0)
    std::printf("compile: %.1f ms (lowering and JIT)\n",
                std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - compileStart)
                    .count());
  return ::deconv::runAndReport(
      "deconv-run",
      [&](const std::vector<const HostTensor *> &in) {
        return (*cpu)->run(in);
      },
      inputs, runOptions(), macs);
}
