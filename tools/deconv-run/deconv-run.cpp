//===- deconv-run.cpp - run a deconv graph on NumPy inputs ----------------===//
//
// deconv-run FILE.mlir|FILE.plan [--function=NAME]
//            [--target=auto|cpu|cuda|cuda-emulator] --input=@x.npy ...
//            [--output=@y.npy ...] [--benchmark=N] [--cuda-strategy=NAME]
//            [--cuda-tile=RxC] [--cpu-kernel=FORM] [--cpu-tile=LxRxV]
//            [--max-memory=SIZE] [--precision=exact|tf32] [--device-io]
//            [--tune]
//
// Compiles one function of FILE.mlir (or loads a plan from deconv-compile),
// runs it on the inputs and prints or writes its results. A client of the
// C++ API (Executable.h), which compiles and runs; what is the tool's own
// (its inputs, the checks before compiling, printing) is in RunDriver.h.
// Every bad input ends in one line naming the problem and a non-zero exit.
//
//===----------------------------------------------------------------------===//

#include "deconv/Driver/RunDriver.h"
#include "deconv/Executable.h"
#include "deconv/Support/ToolOptions.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>

using ::deconv::Executable;
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

/// Whether a flag that changes which kernels compile (and so has no effect
/// on a compiled plan) was given.
bool hasCudaKernelChoices() {
  return cudaStrategy != "auto" || cudaTile != "auto" || precision != "exact" ||
         tune;
}

/// Whether a flag only a CUDA target honours was given.
bool hasCudaChoices() { return hasCudaKernelChoices() || deviceIo; }

/// Whether a flag only the CPU target honours was given.
bool hasCpuChoices() {
  return cpuKernel != "auto" || cpuTile != "auto" || !maxMemory.empty();
}

::deconv::Target toApiTarget(TargetKind kind) {
  switch (kind) {
  case TargetKind::Auto:
    return ::deconv::Target::Auto;
  case TargetKind::Cpu:
    return ::deconv::Target::Cpu;
  case TargetKind::Cuda:
    return ::deconv::Target::Cuda;
  case TargetKind::CudaEmulator:
    return ::deconv::Target::CudaEmulator;
  }
  return ::deconv::Target::Auto;
}

/// Runs `executable` on the inputs and reports, host or device memory.
int runExecutable(Executable &executable, const std::vector<HostTensor> &inputs,
                  int64_t macs) {
  return ::deconv::runAndReport(
      "deconv-run",
      [&](const std::vector<const HostTensor *> &in) {
        auto results =
            deviceIo ? executable.runOverDeviceMemory(in) : executable.run(in);
        for (const std::string &note : executable.takeNotes())
          std::fprintf(stderr, "deconv-run: note: %s\n", note.c_str());
        return results;
      },
      inputs, runOptions(), macs);
}

/// A plan from deconv-compile: it runs on the GPU or the emulator.
int runPlan() {
  StatusOr<Executable> plan = ::deconv::loadPlan(
      inputFilename, /*kernelCacheDirectory=*/"",
      target == TargetKind::CudaEmulator ? ::deconv::Target::CudaEmulator
                                         : ::deconv::Target::Cuda);
  if (!plan)
    return fail(plan.message());
  if (target == TargetKind::Cpu)
    return fail("plans run on the CUDA target; give the .mlir file for "
                "--target=cpu");
  if (hasCudaKernelChoices())
    return fail("a plan's kernels were chosen when it was compiled; pass "
                "--cuda-strategy, --cuda-tile, --precision and --tune to "
                "deconv-compile");
  if (inputArgs.size() != plan->getInputs().size())
    return fail("@" + plan->getFunctionName() + " takes " +
                std::to_string(plan->getInputs().size()) + " inputs, got " +
                std::to_string(inputArgs.size()) + " --input");
  StatusOr<std::vector<HostTensor>> inputs = ::deconv::loadInputs(runOptions());
  if (!inputs)
    return fail(inputs.message());
  return runExecutable(*plan, *inputs, /*macs=*/0);
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

  // Checked first, whatever the target; used once the target is known.
  ::deconv::CompileOptions options;
  options.target = toApiTarget(target); // Resolved once the file is read.
  options.function = functionName;
  options.sourceName = inputFilename;
  options.cudaStrategy = cudaStrategy;
  options.cudaTile = cudaTile;
  if (::deconv::Status status = ::deconv::checkCompileOptions(options); !status)
    return fail(status.message());
  if (precision != "exact" && precision != "tf32")
    return fail("unknown --precision '" + precision + "' (exact or tf32)");
  options.precision = precision == "tf32" ? ::deconv::Precision::Tf32
                                          : ::deconv::Precision::Exact;
  if (target == TargetKind::Cpu && hasCudaChoices())
    return fail("--cuda-strategy, --cuda-tile, --precision=tf32, --device-io "
                "and --tune need a CUDA target");
  options.tune = tune;
  options.onWarning = [](const std::string &message) {
    llvm::errs() << "deconv-run: warning: " << message << "\n";
  };
  if (cpuKernel != "auto" && cpuKernel != "phases" && cpuKernel != "columns")
    return fail("--cpu-kernel must be auto, phases or columns, not '" +
                cpuKernel + "'");
  options.cpuKernel = cpuKernel;
  options.cpuTile = cpuTile;
  if (::deconv::Status status = ::deconv::checkCompileOptions(options); !status)
    return fail(status.message());
  if (!maxMemory.empty())
    if (std::string error =
            mlir::deconv::parseMemorySize(maxMemory, options.cpuMaxMemoryBytes);
        !error.empty())
      return fail("--max-memory: " + error);
  if (hasCpuChoices() &&
      (target == TargetKind::Cuda || target == TargetKind::CudaEmulator))
    return fail("--cpu-kernel, --cpu-tile and --max-memory need --target=cpu");

  auto buffer = llvm::MemoryBuffer::getFile(inputFilename);
  if (!buffer)
    return fail("cannot open '" + inputFilename +
                "': " + buffer.getError().message());
  if (mlir::deconv::isPlanFile((*buffer)->getBuffer()))
    return runPlan();
  StatusOr<mlir::deconv::CheckedRun> checked = mlir::deconv::checkRunInputs(
      **buffer, inputFilename, functionName, runOptions());
  if (!checked)
    return fail(checked.message());
  options.function = checked->function;
  // Tuning times ops of these inputs' sizes: compile the function
  // specialized to them, where every size is static.
  if (tune)
    for (const HostTensor &input : checked->inputs)
      options.staticInputDims.push_back(input.getShape());

  // auto takes the GPU when one opens, else the CPU, and says which.
  StatusOr<::deconv::TargetChoice> choice =
      ::deconv::chooseTarget(toApiTarget(target));
  if (!choice)
    return fail(choice.message());
  if (target == TargetKind::Auto) {
    if (choice->target == ::deconv::Target::Cpu) {
      // What only a CUDA target honours does not fall back quietly.
      if (hasCudaChoices())
        return fail(choice->reason);
      llvm::errs() << "deconv-run: target cpu (" << choice->reason << ")\n";
    } else {
      if (hasCpuChoices())
        return fail("--cpu-kernel, --cpu-tile and --max-memory need "
                    "--target=cpu (a GPU was found)");
      llvm::errs() << "deconv-run: target cuda (" << choice->reason << ")\n";
    }
  }
  options.target = choice->target;

  auto compileStart = std::chrono::steady_clock::now();
  StatusOr<Executable> executable =
      ::deconv::compileSource((*buffer)->getBuffer(), options);
  if (!executable)
    return fail(executable.message());
  if (benchmarkRuns > 0 && executable->getTarget() == ::deconv::Target::Cpu)
    std::printf("compile: %.1f ms (lowering and JIT)\n",
                std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - compileStart)
                    .count());
  return runExecutable(*executable, checked->inputs, checked->multiplyAdds);
}
