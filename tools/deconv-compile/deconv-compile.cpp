//===- deconv-compile.cpp - compile a deconv graph to a plan
//---------------===//
//
// deconv-compile FILE.mlir -o FILE.plan [--function=NAME] [--arch=sm_90,...]
//                [--cuda-strategy=auto|NAME] [--cuda-tile=auto|RxC]
//                [--precision=exact|tf32]
//                [--tune [--tune-target=cuda|cuda-emulator]] [--describe]
//
// Writes the plan the CUDA runtime executes without MLIR: kernel sources, and
// CUBINs for the named architectures where a kernel has no dynamic size (the
// runtime specializes the others). `--describe` prints the plan. `--tune`
// times the candidates of each op on the device instead of trusting the
// cost model, and says so in the description.
//
//===----------------------------------------------------------------------===//

#include "deconv/Driver/Driver.h"
#include "deconv/Driver/InitAllDialects.h"
#include "deconv/Runtime/Plan.h"
#include "deconv/Support/FirstError.h"
#include "deconv/Support/ToolOptions.h"
#include "deconv/Target/CUDA/Autotuner.h"
#include "deconv/Target/CUDA/PlanBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                                llvm::cl::desc("<FILE.mlir>"),
                                                llvm::cl::Required);
static llvm::cl::opt<std::string> outputFilename("o",
                                                 llvm::cl::desc("Plan file"),
                                                 llvm::cl::value_desc("FILE"));
static llvm::cl::opt<std::string>
    functionName("function",
                 llvm::cl::desc("Function to compile (default: "
                                "@main, or the only function)"),
                 llvm::cl::init(""));
static llvm::cl::list<std::string>
    archs("arch", llvm::cl::desc("Architectures to compile CUBINs for"),
          llvm::cl::CommaSeparated);
static llvm::cl::opt<bool> describe("describe",
                                    llvm::cl::desc("Print the plan"));
static llvm::cl::opt<std::string>
    cudaStrategy("cuda-strategy",
                 llvm::cl::desc("Force one kernel strategy for every op"),
                 llvm::cl::value_desc("auto|NAME"), llvm::cl::init("auto"));
static llvm::cl::opt<std::string> cudaTile(
    "cuda-tile",
    llvm::cl::desc("The block tile of the GEMM strategies (e.g. 128x64)"),
    llvm::cl::value_desc("auto|RxC"), llvm::cl::init("auto"));
static llvm::cl::opt<std::string> precision(
    "precision",
    llvm::cl::desc("exact (default): f32 math for f32 data; tf32: TF32 "
                   "tensor cores where a strategy has them"),
    llvm::cl::init("exact"));

static llvm::cl::opt<bool>
    tune("tune", llvm::cl::desc("Time every strategy and tile of each op "
                                "with static sizes on the device and keep "
                                "the fastest (recorded in the kernel cache "
                                "directory for the next compile)"));
static llvm::cl::opt<std::string>
    tuneTarget("tune-target",
               llvm::cl::desc("The device --tune times on: cuda (the GPU) "
                              "or cuda-emulator"),
               llvm::cl::init("cuda"));

static int fail(const std::string &message) {
  llvm::errs() << "deconv-compile: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  std::string overview = "deconv-compile: deconv IR to a plan\n\n"
                         "CUDA kernel strategies (--cuda-strategy):\n" +
                         mlir::deconv::describeKernelStrategies();
  mlir::deconv::showOnlyOptions(
      {std::addressof(outputFilename), std::addressof(functionName),
       std::addressof(archs), std::addressof(describe),
       std::addressof(cudaStrategy), std::addressof(cudaTile),
       std::addressof(precision), std::addressof(tune),
       std::addressof(tuneTarget)});
  llvm::cl::ParseCommandLineOptions(argc, argv, overview);
  if (outputFilename.empty() && !describe)
    return fail("name the plan file with -o (or pass --describe)");
  mlir::deconv::CudaTargetOptions options;
  options.archs.assign(archs.begin(), archs.end());
  if (std::string error = mlir::deconv::applyCudaFlags(options, cudaStrategy,
                                                       cudaTile, precision);
      !error.empty())
    return fail(error);
  if (tune) {
    if (tuneTarget != "cuda" && tuneTarget != "cuda-emulator")
      return fail("--tune-target must be cuda or cuda-emulator, not '" +
                  tuneTarget + "'");
    if (std::string error = mlir::deconv::prepareTuning(
            options, tuneTarget == "cuda" ? ::deconv::CudaBackend::Gpu
                                          : ::deconv::CudaBackend::Emulator);
        !error.empty())
      return fail("--tune needs a device: " + error);
    options.warn = [](const std::string &message) {
      llvm::errs() << "deconv-compile: warning: " << message << "\n";
    };
  } else if (tuneTarget.getNumOccurrences()) {
    return fail("--tune-target needs --tune");
  }

  DialectRegistry registry;
  mlir::deconv::registerCoreDialects(registry);
  MLIRContext context(registry);
  auto buffer = llvm::MemoryBuffer::getFile(inputFilename);
  if (!buffer)
    return fail("cannot open '" + inputFilename +
                "': " + buffer.getError().message());
  std::string error;
  FailureOr<mlir::deconv::LoadedFunction> source =
      mlir::deconv::loadFunctionFromFile(context, std::move(*buffer),
                                         inputFilename, functionName, error);
  if (failed(source))
    return fail(error);
  OwningOpRef<ModuleOp> module = std::move(source->module);
  func::FuncOp function = source->function;
  std::string name = function.getName().str();

  mlir::deconv::FirstError firstError(&context);
  FailureOr<::deconv::Plan> plan =
      mlir::deconv::buildPlan(*module, name, options);
  if (failed(plan))
    return fail(firstError.take("cannot plan @" + name));
  if (!outputFilename.empty())
    if (::deconv::Status status =
            ::deconv::writePlanFile(outputFilename, *plan);
        !status)
      return fail(status.message());
  if (describe)
    llvm::outs() << ::deconv::describePlan(*plan);
  return 0;
}
