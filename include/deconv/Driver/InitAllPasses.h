//===- InitAllPasses.h - every pass and pipeline of deconv ------*- C++ -*-===//
//
// Registers each pass of the project (front half, conversions, CPU target)
// and the named pipelines, for tools that take passes on the command line
// (deconv-opt). `deconv-opt --help` lists exactly these; each has a lit test.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DRIVER_INITALLPASSES_H
#define DECONV_DRIVER_INITALLPASSES_H

#include "deconv/Conversion/Passes.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"
#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/CPU/Passes.h"

namespace mlir::deconv {

inline void registerAllPasses() {
  registerDeconvPasses();
  registerFrontHalfPipeline();
  registerDeconvConversionPasses();
  registerDeconvCpuPasses();
  registerCpuLoweringPipeline();
}

} // namespace mlir::deconv

#endif // DECONV_DRIVER_INITALLPASSES_H
