//===- deconv-opt.cpp - the deconv optimizer driver
//------------------------===//
//
// mlir-opt for deconv: parses, verifies, runs passes on and prints textual IR
// holding the deconv dialect and the upstream dialects the project uses.
//
//===----------------------------------------------------------------------===//

#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/IR/DeconvDialect.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"
#include "deconv/Support/NestingDepth.h"
#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  // MlirOptMain parses the input itself: refuse text nested deep enough to
  // overflow its parser's stack first.
  if (std::string deep = mlir::deconv::checkInputNestingDepth(argc, argv);
      !deep.empty()) {
    llvm::errs() << "deconv-opt: " << deep << "\n";
    return 1;
  }
  mlir::registerTransformsPasses();
  mlir::deconv::registerDeconvPasses();
  mlir::deconv::registerFrontHalfPipeline();
  mlir::deconv::registerDeconvConversionPasses();
  mlir::deconv::registerCpuLoweringPipeline();
  mlir::deconv::registerDeconvCpuPasses();

  mlir::DialectRegistry registry;
  mlir::deconv::registerCpuTargetDialects(registry);
  registry.insert<mlir::deconv::DeconvDialect, mlir::arith::ArithDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
                  mlir::tensor::TensorDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "deconv optimizer driver\n", registry));
}
