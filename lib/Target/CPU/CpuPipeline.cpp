//===- CpuPipeline.cpp - the CPU target's pass pipeline -------------------===//
//
// From deconv IR to the LLVM dialect: the front half, the register-blocked
// vector micro-kernels (or loop nests), bufferization with ownership-based
// deallocation, OpenMP for the outer parallel loops, then LLVM. Also the
// dialects, interface models and translations that pipeline needs, and the
// micro-kernel tile chosen for the host.
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/CPU/Passes.h"

#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/IR/DeconvDialect.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::deconv;

void mlir::deconv::registerCpuTargetDialects(DialectRegistry &registry) {
  registry.insert<DeconvDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, func::FuncDialect,
                  linalg::LinalgDialect, LLVM::LLVMDialect,
                  memref::MemRefDialect, omp::OpenMPDialect, scf::SCFDialect,
                  tensor::TensorDialect, vector::VectorDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

/// The micro-kernel tile for the host: as many accumulators as leave room
/// in the vector registers for a tile's weight vectors and one broadcast.
/// AVX-512: 8 positions x 3 vectors of 16 lanes (24 of 32 registers);
/// AVX2: 6 x 2 of 8 (12 of 16); NEON: 8 x 3 of 4 (24 of 32); else SSE's
/// 16 registers of 4 lanes, 6 x 2.
static DeconvToVectorsPassOptions
getVectorOptions(const CpuTargetOptions &options) {
  DeconvToVectorsPassOptions tile;
  tile.form = options.kernelForm;
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](llvm::StringRef feature) { return features.lookup(feature); };
  if (has("avx512f")) {
    tile.vectorWidth = 16;
    tile.tileRows = 8;
    tile.tileVectors = 3;
  } else if (has("avx2") && has("fma")) {
    tile.vectorWidth = 8;
    tile.tileRows = 6;
    tile.tileVectors = 2;
  } else if (has("neon")) {
    tile.vectorWidth = 4;
    tile.tileRows = 8;
    tile.tileVectors = 3;
  } else {
    tile.vectorWidth = 4;
    tile.tileRows = 6;
    tile.tileVectors = 2;
  }
  if (options.vectorWidth > 0) {
    tile.vectorWidth = options.vectorWidth;
    tile.tileRows = options.tileRows;
    tile.tileVectors = options.tileVectors;
  }
  return tile;
}

std::string mlir::deconv::parseCpuTile(StringRef text,
                                       CpuTargetOptions &options) {
  SmallVector<StringRef> parts;
  text.split(parts, 'x');
  int64_t values[3];
  bool valid = parts.size() == 3;
  for (size_t i = 0; valid && i < 3; ++i)
    valid = !parts[i].getAsInteger(10, values[i]) && values[i] >= 1 &&
            values[i] <= 64;
  if (!valid)
    return "a CPU tile is LANESxROWSxVECTORS with each from 1 to 64 (e.g. "
           "8x6x2), not '" +
           text.str() + "'";
  options.vectorWidth = values[0];
  options.tileRows = values[1];
  options.tileVectors = values[2];
  return "";
}

void mlir::deconv::buildCpuLoweringPipeline(OpPassManager &pm,
                                            const CpuTargetOptions &options) {
  buildFrontHalfPipeline(pm);
  pm.addPass(createIntegerDeconvAsFloatsPass());
  pm.addPass(createQuantizationToLinalgPass());
  pm.addPass(createDeconvToVectorsPass(getVectorOptions(options)));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  // Returned buffers the function does not own (arguments, constants) were
  // cloned by the deallocation pipeline; clones become alloc + copy.
  pm.addPass(createConvertBufferizationToMemRefPass());

#ifdef DECONV_LIBOMP_PATH
  // The outermost parallel loop of each nest runs on all cores.
  pm.addPass(createSerializeNestedParallelPass());
  pm.addPass(createConvertSCFToOpenMPPass());
  // The conversion wraps loop bodies in memref.alloca_scope, which must be
  // gone before the loops become blocks; ours allocate nothing, so the
  // canonicalizer inlines them.
  pm.addPass(createCanonicalizerPass());
#endif
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true; // bf16 conversions as integer ops: no libcalls.
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass()); // math.roundeven (quantize).
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
#ifdef DECONV_LIBOMP_PATH
  pm.addPass(createConvertOpenMPToLLVMPass());
#endif
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::deconv::registerCpuLoweringPipeline() {
  PassPipelineRegistration<>(
      "deconv-lower-to-llvm",
      "The CPU target's pipeline: front half, loop nests, bufferization, "
      "deallocation, LLVM dialect",
      [](OpPassManager &pm) { buildCpuLoweringPipeline(pm); });
}
