//===- deconv-opt.cpp - the deconv optimizer driver
//------------------------===//
//
// mlir-opt for deconv: parses, verifies, runs passes on and prints textual IR
// holding the deconv dialect and the upstream dialects the project uses.
//
//===----------------------------------------------------------------------===//

#include "deconv/Driver/InitAllDialects.h"
#include "deconv/Driver/InitAllPasses.h"
#include "deconv/Support/NestingDepth.h"

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
  mlir::deconv::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::deconv::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "deconv optimizer driver\n", registry));
}
