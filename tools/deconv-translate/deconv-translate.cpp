//===- deconv-translate.cpp - translations out of deconv IR ---------------===//
//
// mlir-translate for deconv. `--emit-cuda` prints, for each function, every
// CUDA C++ kernel its plan launches (the deconvolutions and the layout
// transposes around them); with `--cuda-arch=sm_80,sm_90` it also compiles
// each with NVRTC (no GPU needed) and reports the CUBIN sizes and compile
// times, or fails with NVRTC's log. Dynamic sizes are defined as
// `--cuda-dynamic-size` for that check.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/Transforms/Passes.h"
#include "deconv/Driver/InitAllDialects.h"
#include "deconv/Runtime/Nvrtc.h"
#include "deconv/Support/NestingDepth.h"
#include "deconv/Target/CUDA/PlanBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <chrono>

using namespace mlir;

static llvm::cl::list<std::string>
    cudaArchs("cuda-arch",
              llvm::cl::desc("With --emit-cuda: also compile each kernel "
                             "with NVRTC for these architectures"),
              llvm::cl::CommaSeparated);
static llvm::cl::opt<std::string> cudaStrategy(
    "cuda-strategy",
    llvm::cl::desc("With --emit-cuda: force one kernel strategy for every op "
                   "(auto: the cost model picks)"),
    llvm::cl::init("auto"));
static llvm::cl::opt<std::string>
    cudaPrecision("precision",
                  llvm::cl::desc("With --emit-cuda: exact or tf32"),
                  llvm::cl::init("exact"));
static llvm::cl::opt<std::string> cudaTile(
    "cuda-tile",
    llvm::cl::desc("With --emit-cuda: the GEMM strategies' block tile (e.g. "
                   "128x64; auto: the cost model's)"),
    llvm::cl::init("auto"));
static llvm::cl::opt<bool> cudaResourceUsage(
    "cuda-resource-usage",
    llvm::cl::desc("With --cuda-arch: also print each kernel's registers and "
                   "spills (ptxas)"));
static llvm::cl::opt<int64_t> cudaDynamicSize(
    "cuda-dynamic-size",
    llvm::cl::desc("Value of every dynamic size when compiling with "
                   "--cuda-arch"),
    llvm::cl::init(8));

/// Prints one kernel and, per --cuda-arch, compiles it; each compile's
/// milliseconds go to `times`.
static LogicalResult emitKernel(ModuleOp module,
                                const ::deconv::PlanKernel &kernel,
                                raw_ostream &os, std::vector<double> &times) {
  os << kernel.source << "\n";
  std::vector<std::string> options;
  for (const auto &macro : kernel.macros)
    options.push_back("-D" + macro.first + "=" +
                      std::to_string(cudaDynamicSize));
  if (cudaResourceUsage)
    options.push_back("--ptxas-options=-v");
  for (const std::string &arch : cudaArchs) {
    auto start = std::chrono::steady_clock::now();
    std::string log;
    ::deconv::StatusOr<std::string> cubin =
        ::deconv::compileToCubin(kernel.source, kernel.name + ".cu", arch,
                                 options, ::deconv::CudaBackend::Gpu, &log);
    double milliseconds = std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - start)
                              .count();
    if (!cubin)
      return emitError(module.getLoc(), cubin.message());
    times.push_back(milliseconds);
    os << "// " << kernel.name << ": CUBIN for " << arch << ", "
       << cubin->size() << " bytes, " << llvm::format("%.1f", milliseconds)
       << " ms\n";
    // ptxas's lines on registers and spills, as it prints them.
    for (StringRef line : llvm::split(StringRef(log), '\n'))
      if (line.contains("registers") || line.contains("spill"))
        os << "// " << kernel.name << ": " << arch << ": " << line.trim()
           << "\n";
  }
  return success();
}

static LogicalResult emitCuda(Operation *operation, raw_ostream &os) {
  auto module = dyn_cast<ModuleOp>(operation);
  if (!module)
    return operation->emitError("expected a module");
  mlir::deconv::CudaTargetOptions options;
  if (!cudaArchs.empty())
    options.targetArch = cudaArchs.front();
  if (std::string error = mlir::deconv::applyCudaFlags(options, cudaStrategy,
                                                       cudaTile, cudaPrecision);
      !error.empty())
    return emitError(module.getLoc(), error);
  PassManager pm(module.getContext());
  mlir::deconv::buildCudaFrontHalf(pm, options);
  if (failed(pm.run(module)))
    return failure();
  std::vector<double> times;
  for (auto function : module.getOps<func::FuncOp>()) {
    if (function.isExternal())
      continue;
    FailureOr<::deconv::Plan> plan =
        mlir::deconv::planFunction(function, options);
    if (failed(plan))
      return failure();
    os << "// function @" << function.getName() << ": " << plan->kernels.size()
       << " kernels\n";
    for (const ::deconv::PlanKernel &kernel : plan->kernels)
      if (failed(emitKernel(module, kernel, os, times)))
        return failure();
  }
  // The compile-time report: NVRTC per kernel and architecture.
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    auto at = [&](double share) {
      return times[std::min(times.size() - 1,
                            static_cast<size_t>(share * times.size()))];
    };
    os << "// NVRTC compile times: " << times.size() << " compiles, p50 "
       << llvm::format("%.1f", at(0.5)) << " ms, p99 "
       << llvm::format("%.1f", at(0.99)) << " ms\n";
  }
  return success();
}

int main(int argc, char **argv) {
  // mlirTranslateMain parses the input itself: refuse text nested deep
  // enough to overflow its parser's stack first.
  if (std::string deep = mlir::deconv::checkInputNestingDepth(argc, argv);
      !deep.empty()) {
    llvm::errs() << "deconv-translate: " << deep << "\n";
    return 1;
  }
  TranslateFromMLIRRegistration registration(
      "emit-cuda", "Emit the CUDA C++ kernels of each function's plan",
      emitCuda, [](DialectRegistry &registry) {
        mlir::deconv::registerCoreDialects(registry);
      });
  return failed(mlir::mlirTranslateMain(argc, argv, "deconv translation tool"));
}
