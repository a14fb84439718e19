//===- deconv-translate.cpp - translations out of deconv IR ---------------===//
//
// mlir-translate for deconv. `--emit-cuda` runs the front half and prints one
// CUDA C++ kernel per canonical op; with `--cuda-arch=sm_80,sm_90` it also
// compiles each with NVRTC (no GPU needed) and reports the CUBIN sizes, or
// fails with NVRTC's log. Dynamic sizes are defined as `--cuda-dynamic-size`
// for that check.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Nvrtc.h"
#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/CUDA/CudaEmitter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"

#include <chrono>

using namespace mlir;

static llvm::cl::list<std::string>
    cudaArchs("cuda-arch",
              llvm::cl::desc("With --emit-cuda: also compile each kernel "
                             "with NVRTC for these architectures"),
              llvm::cl::CommaSeparated);
static llvm::cl::opt<int64_t> cudaDynamicSize(
    "cuda-dynamic-size",
    llvm::cl::desc("Value of every dynamic size when compiling with "
                   "--cuda-arch"),
    llvm::cl::init(8));

static LogicalResult emitCuda(Operation *operation, raw_ostream &os) {
  auto module = dyn_cast<ModuleOp>(operation);
  if (!module)
    return operation->emitError("expected a module");
  FailureOr<std::vector<mlir::deconv::CudaKernel>> kernels =
      mlir::deconv::emitCudaKernels(module);
  if (failed(kernels))
    return failure();
  for (const mlir::deconv::CudaKernel &kernel : *kernels) {
    os << kernel.source << "\n";
    std::vector<std::string> options;
    for (const std::string &macro : kernel.dynamicSizeMacros)
      options.push_back("-D" + macro + "=" + std::to_string(cudaDynamicSize));
    for (const std::string &arch : cudaArchs) {
      auto start = std::chrono::steady_clock::now();
      ::deconv::StatusOr<std::string> cubin =
          ::deconv::compileToCubin(kernel.source, kernel.name + ".cu", arch,
                                   options);
      double milliseconds = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - start)
                                .count();
      if (!cubin)
        return module.emitError(cubin.message());
      os << "// " << kernel.name << ": CUBIN for " << arch << ", "
         << cubin->size() << " bytes, "
         << llvm::format("%.1f", milliseconds) << " ms\n";
    }
  }
  return success();
}

int main(int argc, char **argv) {
  TranslateFromMLIRRegistration registration(
      "emit-cuda", "Emit one CUDA C++ kernel per deconv op", emitCuda,
      [](DialectRegistry &registry) {
        mlir::deconv::registerCpuTargetDialects(registry);
      });
  return failed(mlirTranslateMain(argc, argv, "deconv translation tool"));
}
