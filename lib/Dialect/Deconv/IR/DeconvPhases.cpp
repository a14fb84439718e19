//===- DeconvPhases.cpp - the stride-phase decomposition ------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include <numeric>
#include <tuple>

using namespace mlir;
using namespace mlir::deconv;

/// The inverse of `a` modulo `m` (a and m coprime, m >= 1).
static int64_t modularInverse(int64_t a, int64_t m) {
  if (m == 1)
    return 0;
  int64_t oldR = a % m, r = m, oldS = 1, s = 0;
  while (r != 0) {
    int64_t quotient = oldR / r;
    std::tie(oldR, r) = std::make_pair(r, oldR - quotient * r);
    std::tie(oldS, s) = std::make_pair(s, oldS - quotient * s);
  }
  return ((oldS % m) + m) % m;
}

PhaseAxis mlir::deconv::getPhaseAxis(int64_t stride, int64_t dilation,
                                     int64_t kernel,
                                     const AxisGeometry &geometry) {
  PhaseAxis axis;
  axis.stride = stride;
  axis.dilation = dilation;
  axis.kernel = kernel;
  axis.preCrop = geometry.preCrop;
  axis.outputOffset = geometry.outputOffset;
  axis.gcd = std::gcd(stride, dilation);
  axis.phaseStride = stride / axis.gcd;
  axis.inputStep = dilation / axis.gcd;
  axis.inverse = modularInverse(axis.inputStep, axis.phaseStride);
  return axis;
}

llvm::SmallVector<PhaseAxis> mlir::deconv::getPhaseAxes(GroupedDeconvOp op) {
  llvm::Expected<llvm::SmallVector<AxisGeometry>> geometry = op.resolveAxes();
  // Verified ops resolve; a caller with an unverified op gets no axes.
  if (!geometry) {
    llvm::consumeError(geometry.takeError());
    return {};
  }
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  llvm::SmallVector<PhaseAxis> axes;
  for (auto [a, axis] : llvm::enumerate(*geometry))
    axes.push_back(getPhaseAxis(op.getStride()[a], op.getDilation()[a],
                                weight[3 + a], axis));
  return axes;
}
