//===- NormalizeLayout.cpp - channels-first data, cin_cout_k weights ------===//
//
// -deconv-normalize-layout: one data layout and one weight layout for the
// rest of the pipeline. Channels-last data is transposed in and out; the two
// other weight formats are rearranged into (Cin, Cout/G, K...), at compile
// time for constant weights.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_NORMALIZELAYOUTPASS
#include "deconv/Dialect/Deconv/Transforms/Passes.h.inc"

namespace {

/// (Cin, K..., Cout/G) -> (Cin, Cout/G, K...).
Value normalizeCinKCout(OpBuilder &builder, Location loc, Value weight) {
  int64_t rank = cast<RankedTensorType>(weight.getType()).getRank();
  return transposeTensor(builder, loc, weight, lastToSecondPermutation(rank));
}

/// (Cout, K..., Cin/G) -> (Cin, Cout/G, K...). With groups the channels also
/// regroup: output channel g*Cog + j holds input channel g*Cig + i in its last
/// index, so the weight goes through (G, Cog, K..., Cig) -> (G, Cig, Cog, K...).
Value normalizeCoutKCin(OpBuilder &builder, Location loc, Value weight,
                        int64_t groups) {
  auto type = cast<RankedTensorType>(weight.getType());
  const int64_t rank = type.getRank(), numSpatial = rank - 2;
  ArrayRef<int64_t> shape = type.getShape();
  if (groups == 1) {
    SmallVector<int64_t> permutation = {rank - 1};
    for (int64_t dim = 0; dim < rank - 1; ++dim)
      permutation.push_back(dim);
    return transposeTensor(builder, loc, weight, permutation);
  }
  SmallVector<int64_t> expandedShape = {groups, shape[0] / groups};
  SmallVector<ReassociationIndices> expand = {{0, 1}};
  for (int64_t dim = 1; dim < rank; ++dim) {
    expandedShape.push_back(shape[dim]);
    expand.push_back({dim + 1});
  }
  Value expanded = expandTensor(builder, loc, weight, expandedShape, expand);
  SmallVector<int64_t> permutation = {0, numSpatial + 2, 1};
  for (int64_t dim = 2; dim < numSpatial + 2; ++dim)
    permutation.push_back(dim);
  Value regrouped = transposeTensor(builder, loc, expanded, permutation);
  SmallVector<ReassociationIndices> collapse = {{0, 1}};
  for (int64_t dim = 2; dim < numSpatial + 3; ++dim)
    collapse.push_back({dim});
  Value collapsed = collapseTensor(builder, loc, regrouped, collapse);
  eraseIfDeadConstant(expanded);
  eraseIfDeadConstant(regrouped);
  return collapsed;
}

void normalizeLayout(DeconvOp op) {
  const DataFormat dataFormat =
      op.getDataFormat().value_or(DataFormat::ChannelsFirst);
  const KernelFormat kernelFormat =
      op.getKernelFormat().value_or(KernelFormat::CinCoutK);
  if (dataFormat == DataFormat::ChannelsFirst &&
      kernelFormat == KernelFormat::CinCoutK) {
    // Spelled-out defaults carry no information.
    op.removeDataFormatAttr();
    op.removeKernelFormatAttr();
    return;
  }

  OpBuilder builder(op);
  Location loc = op.getLoc();
  const bool channelsLast = dataFormat == DataFormat::ChannelsLast;
  const int64_t rank = op.getInput().getType().getRank();
  Value oldWeight = op.getWeight();

  Value input = op.getInput();
  RankedTensorType resultType = op.getResult().getType();
  if (channelsLast) {
    input = transposeTensor(builder, loc, input, lastToSecondPermutation(rank));
    resultType = RankedTensorType::get(
        applyPermutation(resultType.getShape(), lastToSecondPermutation(rank)),
        resultType.getElementType());
  }
  Value weight = oldWeight;
  if (kernelFormat == KernelFormat::CinKCout)
    weight = normalizeCinKCout(builder, loc, weight);
  else if (kernelFormat == KernelFormat::CoutKCin)
    weight = normalizeCoutKCin(builder, loc, weight,
                               op.getGroupsAttr() ? op.getGroupsAttr().getInt()
                                                  : 1);

  auto normalized = cast<DeconvOp>(builder.clone(*op));
  normalized.getInputMutable().assign(input);
  normalized.getWeightMutable().assign(weight);
  normalized.getResult().setType(resultType);
  normalized.removeDataFormatAttr();
  normalized.removeKernelFormatAttr();

  Value result = normalized.getResult();
  if (channelsLast)
    result = transposeTensor(builder, loc, result,
                             secondToLastPermutation(rank));
  op.getResult().replaceAllUsesWith(result);
  op.erase();
  eraseIfDeadConstant(oldWeight);
}

// --deconv-normalize-layout
struct NormalizeLayoutPass
    : impl::NormalizeLayoutPassBase<NormalizeLayoutPass> {
  void runOnOperation() override {
    SmallVector<DeconvOp> ops;
    getOperation()->walk([&](DeconvOp op) { ops.push_back(op); });
    for (DeconvOp op : ops)
      normalizeLayout(op);
  }
};

} // namespace
} // namespace mlir::deconv
