//===- IrFuzzer.cpp - textual IR through the compiler
//----------------------===//
//
// Any text as a module: parsed, verified, reduced by the front half,
// lowered to loop nests, and planned for the CUDA target (kernel sources
// only: nothing is compiled or run), or refused with a diagnostic, never a
// crash. Text nested too deep for MLIR's recursive parser is refused first,
// as the tools do.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"
#include "deconv/Support/NestingDepth.h"
#include "deconv/Driver/InitAllDialects.h"
#include "deconv/Target/CUDA/PlanBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/SourceMgr.h"

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  if (!mlir::deconv::checkNestingDepth(text).empty())
    return 0;
  static DialectRegistry registry = [] {
    DialectRegistry registry;
    mlir::deconv::registerAllDialects(registry);
    return registry;
  }();
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text),
                               llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 0;
  // Planned on a copy: the planner runs the front half itself.
  OwningOpRef<ModuleOp> planned = module->clone();
  for (auto function : planned->getOps<func::FuncOp>()) {
    if (function.isExternal())
      continue;
    mlir::deconv::CudaTargetOptions options; // No archs: no NVRTC.
    (void)mlir::deconv::buildPlan(*planned, function.getName(), options);
    break; // The front half ran on the whole module.
  }
  PassManager pm(&context);
  mlir::deconv::buildFrontHalfPipeline(pm);
  pm.addPass(mlir::deconv::createDeconvToLoopsPass());
  (void)pm.run(*module);
  return 0;
}
