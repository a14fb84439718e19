//===- FrontHalfPipeline.cpp - the front half as one pipeline -------------===//
//
// -deconv-front-half: fuse quantized layers into integer deconvolutions,
// fold dequantized constants, resolve padding, normalize layouts, expand
// groups. After it every `deconv.deconv` is a
// `deconv.grouped_deconv`, the one form the lowering takes. Running it again
// changes nothing.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

void mlir::deconv::buildFrontHalfPipeline(OpPassManager &pm,
                                          QuantizedFusion fusion) {
  if (fusion != QuantizedFusion::None)
    pm.addPass(createFuseQuantizedPass(
        FuseQuantizedPassOptions{/*symmetricWeightsOnly=*/fusion ==
                                 QuantizedFusion::SymmetricWeightsOnly}));
  pm.addPass(createFoldDequantizePass());
  pm.addPass(createResolvePaddingPass());
  pm.addPass(createNormalizeLayoutPass());
  pm.addPass(createExpandGroupsPass());
}

void mlir::deconv::registerFrontHalfPipeline() {
  PassPipelineRegistration<>(
      "deconv-front-half",
      "Reduce every deconv.deconv to the canonical deconv.grouped_deconv",
      [](OpPassManager &pm) { buildFrontHalfPipeline(pm); });
}
