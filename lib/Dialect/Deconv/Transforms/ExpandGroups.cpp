//===- ExpandGroups.cpp - deconv.deconv to deconv.grouped_deconv ----------===//
//
// -deconv-expand-groups: the group axis becomes a tensor dimension. Data
// (N, Cin, I...) is viewed as (N, G, Cin/G, I...), weights (Cin, Cout/G, K...)
// as (G, Cin/G, Cout/G, K...), the bias (Cout) as (G, Cout/G); the canonical
// op's (N, G, Cout/G, O...) result is viewed back as (N, Cout, O...). Each
// view is a reshape (free on contiguous data), folded for constants.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_EXPANDGROUPSPASS
#include "deconv/Dialect/Deconv/Transforms/Passes.h.inc"

namespace {

LogicalResult expandGroups(DeconvOp op) {
  if (op.getDataFormat().value_or(DataFormat::ChannelsFirst) !=
          DataFormat::ChannelsFirst ||
      op.getKernelFormat().value_or(KernelFormat::CinCoutK) !=
          KernelFormat::CinCoutK)
    return op.emitOpError()
           << "needs channels_first data and cin_cout_k weights to expand "
              "groups; run -deconv-normalize-layout first";
  llvm::Expected<DeconvGeometry> geometry = op.resolveGeometry();
  if (!geometry)
    return op.emitOpError() << llvm::toString(geometry.takeError());

  OpBuilder builder(op);
  Location loc = op.getLoc();
  const int64_t groups = geometry->groups;
  const int64_t inPerGroup = geometry->inChannels / groups;
  const int64_t outPerGroup = geometry->outChannels / groups;
  const int64_t rank = op.getInput().getType().getRank();

  // (N, Cin, I...) -> (N, G, Cin/G, I...).
  SmallVector<int64_t> inputShape(op.getInput().getType().getShape());
  inputShape.insert(inputShape.begin() + 1, groups);
  inputShape[2] = inPerGroup;
  Value input = expandTensor(builder, loc, op.getInput(), inputShape,
                             splitDimension(rank, 1));

  // (Cin, Cout/G, K...) -> (G, Cin/G, Cout/G, K...).
  SmallVector<int64_t> weightShape = {groups, inPerGroup, outPerGroup};
  llvm::append_range(weightShape, geometry->kernelSizes);
  Value weight = expandTensor(builder, loc, op.getWeight(), weightShape,
                              splitDimension(rank, 0));

  // (Cout) -> (G, Cout/G).
  Value bias;
  if (op.getBias())
    bias = expandTensor(builder, loc, op.getBias(), {groups, outPerGroup},
                        splitDimension(1, 0));

  SmallVector<int64_t> resultShape = {geometry->batchSize, groups,
                                      outPerGroup};
  SmallVector<int64_t> pre, post;
  for (const AxisGeometry &axis : geometry->axes) {
    resultShape.push_back(axis.outputSize);
    pre.push_back(axis.preCrop);
    post.push_back(axis.postCrop);
  }
  auto resultType = RankedTensorType::get(
      resultShape, op.getResult().getType().getElementType());
  auto grouped = GroupedDeconvOp::create(
      builder, loc, resultType, input, weight, bias, geometry->strides,
      geometry->dilations, pre, post, op.getQuantizationAttr());

  // (N, G, Cout/G, O...) -> (N, Cout, O...), then to the declared type if it
  // wrote `?` for sizes the op knows.
  Value result = collapseTensor(builder, loc, grouped.getResult(),
                                splitDimension(rank, 1));
  if (result.getType() != op.getResult().getType())
    result = tensor::CastOp::create(builder, loc, op.getResult().getType(),
                                    result);
  Value oldWeight = op.getWeight(), oldBias = op.getBias();
  op.getResult().replaceAllUsesWith(result);
  op.erase();
  eraseIfDeadConstant(oldWeight);
  eraseIfDeadConstant(oldBias);
  return success();
}

// --deconv-expand-groups
struct ExpandGroupsPass : impl::ExpandGroupsPassBase<ExpandGroupsPass> {
  void runOnOperation() override {
    SmallVector<DeconvOp> ops;
    getOperation()->walk([&](DeconvOp op) { ops.push_back(op); });
    for (DeconvOp op : ops)
      if (failed(expandGroups(op)))
        return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::deconv
