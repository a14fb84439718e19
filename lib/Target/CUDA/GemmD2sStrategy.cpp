//===- GemmD2sStrategy.cpp - kernel == stride as one GEMM -----------------===//
//
// The `gemm_d2s` strategy, for kernels as large as their stride with no
// dilation (U-Net, nnU-Net, Mask R-CNN): each input position then feeds a
// block of K outputs of its own, and the deconvolution is one plain GEMM per
// group, [N*I, Cin/G] x [Cin/G, Cout/G*K], whose epilogue stores each row's
// K taps to their outputs o = i*S + t - B (depth to space). No two rows
// share an output, so nothing is accumulated twice and nothing is atomic.
// A (the input, channels-first: a row's channels are an image apart) needs
// no gather; B is the weight, whose rows are contiguous, packed into whole
// tiles (locateWeight); the main loop and the tile are GemmKernelWriter's.
//
//===----------------------------------------------------------------------===//

#include "CExpressionMath.h"
#include "GemmKernelWriter.h"

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Target/CUDA/KernelStrategy.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::deconv;

namespace {

/// N*I rows, Cout/G x taps columns, Cin/G deep, one per group.
GemmShape getShape(GroupedDeconvOp op) {
  ArrayRef<int64_t> input = op.getInput().getType().getShape();
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  GemmShape shape{1, weight[2], weight[1], input[1]};
  for (size_t d = 0; d < input.size(); ++d)
    if (d == 0 || d >= 3)
      shape.rows *= ShapedType::isDynamic(input[d]) ? 8 : input[d];
  for (size_t d = 3; d < weight.size(); ++d)
    shape.columns *= weight[d];
  return shape;
}

FailureOr<GemmTile> chooseTile(GroupedDeconvOp op,
                               const CudaTargetOptions &options,
                               std::string &error) {
  return chooseGemmTile(op, options, getShape(op), error);
}

/// Where element (k, column) of group `batch`'s B lies in the weight
/// (G, Cin/G, Cout/G x taps): (inside, index), over IntegerMath or
/// CExpressionMath.
template <typename Math>
std::pair<typename Math::Bool, typename Math::Value>
locateWeight(Math &math, int64_t depth, int64_t columns,
             typename Math::Value batch, typename Math::Value k,
             typename Math::Value column) {
  auto inside = math.both(math.lessThan(k, math.constant(depth)),
                          math.lessThan(column, math.constant(columns)));
  return {
      inside,
      math.add(math.mul(math.add(math.mul(batch, depth), k), columns), column)};
}

class GemmD2sStrategy final : public KernelStrategy {
public:
  StringRef getName() const override { return "gemm_d2s"; }
  StringRef getDescription() const override {
    return "kernel == stride, no dilation: one GEMM per group whose epilogue "
           "stores each row's taps to their outputs";
  }
  std::string whyNot(GroupedDeconvOp op,
                     const CudaTargetOptions &options) const override {
    if (std::string why = whyNotFloatOp(op); !why.empty())
      return why;
    ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
    for (auto [a, axis] : llvm::enumerate(getPhaseAxes(op))) {
      std::string which = " on spatial axis " + std::to_string(a);
      if (axis.kernel != axis.stride)
        return "the kernel (" + std::to_string(axis.kernel) +
               ") differs from the stride (" + std::to_string(axis.stride) +
               ")" + which;
      if (axis.dilation != 1)
        return "dilation " + std::to_string(axis.dilation) + which;
      // O = (I-1)*S + K - B - A' with A' = A - op; the outputs past the
      // taps (a negative crop) would get no value.
      int64_t postCrop = axis.stride - axis.preCrop - axis.outputOffset;
      if (axis.preCrop < 0 || postCrop < 0)
        return "a negative crop" + which + " extends the output past the taps";
    }
    GemmShape shape = getShape(op);
    if (shape.columns > (int64_t(1) << 30) || weight[1] > (int64_t(1) << 30))
      return "Cout/G x taps or Cin/G exceeds the 2^30 a tile's 32-bit "
             "indices take";
    if (shape.batches > 65535)
      return "groups (" + std::to_string(shape.batches) +
             ") exceed the 65535 blocks of a grid's z dimension";
    std::string error;
    FailureOr<GemmTile> tile = chooseTile(op, options, error);
    if (failed(tile))
      return error;
    if (int64_t packed = getPackedWeightLayout(*tile, shape.batches, weight[1],
                                               shape.columns)
                             .getElements();
        packed > (int64_t(1) << 31))
      return "the packed weights (" + std::to_string(packed) +
             " elements) exceed 2^31";
    return "";
  }
  double estimateSeconds(GroupedDeconvOp op, const CudaTargetOptions &options,
                         const DeviceModel &device) const override {
    return estimateGemmSeconds(op, options, device, getShape(op));
  }
  std::vector<std::string>
  getTileNames(GroupedDeconvOp op,
               const CudaTargetOptions &options) const override {
    return getGemmTileNames(op, options);
  }
  FailureOr<std::vector<StrategyKernel>>
  emit(GroupedDeconvOp op, StringRef namePrefix,
       const CudaTargetOptions &options,
       const OperandLayout &layout) const override;
};

FailureOr<std::vector<StrategyKernel>>
GemmD2sStrategy::emit(GroupedDeconvOp op, StringRef namePrefix,
                      const CudaTargetOptions &options,
                      const OperandLayout &layout) const {
  assert(!layout.inputChannelsLast && !layout.resultChannelsLast &&
         "takes the canonical layout only");
  FailureOr<GemmKernelStart> start =
      beginGemmKernel(*this, op, namePrefix, options, getShape(op));
  if (failed(start))
    return failure();
  const SmallVector<PhaseAxis> &axes = start->axes;
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  const Type element = start->element;
  const size_t rank = axes.size();
  const int64_t groups = start->groups, inPerGroup = start->inPerGroup,
                outPerGroup = start->outPerGroup;
  const bool hasBias = start->hasBias;
  const GemmTile &tile = start->tile;
  StrategyKernel &result = start->result;
  ::deconv::PlanKernel &kernel = result.kernel;
  const std::string &batch = start->batch;
  const std::vector<std::string> &inputSizes = start->inputSizes,
                                 &outputSizes = start->outputSizes;
  CExpressionMath math;
  auto constant = [](int64_t value) {
    return CExpressionMath::constant(value);
  };
  std::string imageSize, outputImage, rows = batch;
  int64_t taps = 1;
  for (size_t a = 0; a < rank; ++a) {
    imageSize = a ? "(" + imageSize + ") * " + inputSizes[a] : inputSizes[a];
    outputImage =
        a ? "(" + outputImage + ") * " + outputSizes[a] : outputSizes[a];
    rows = "(" + rows + ") * " + inputSizes[a];
    taps *= weight[3 + a];
  }
  const int64_t columns = outPerGroup * taps;
  const PackedWeightLayout packed =
      getPackedWeightLayout(tile, groups, inPerGroup, columns);
  std::vector<StrategyKernel> kernels;
  kernels.push_back(emitWeightPackingKernel(
      op, namePrefix.str() + "_pack", getName(), packed,
      [inPerGroup, columns](auto &math, auto batch, auto k, auto column) {
        return locateWeight(math, inPerGroup, columns, batch, k, column);
      }));
  kernel.grid = {"deconv_ceildiv(" + rows + ", " + std::to_string(tile.rows) +
                     ")",
                 std::to_string((columns + tile.columns - 1) / tile.columns),
                 std::to_string(groups)};

  KernelText text;
  text.line("const long long g = blockIdx.z;");
  text.line("const long long rows = " + rows + ";");
  text.line("const long long depth = " + constant(inPerGroup) + ";");
  text.line("const long long imageSize = " + imageSize + ";");
  text.line("const long long rowBase = (long long)blockIdx.x * " +
            std::to_string(tile.rows) + ";");
  text.line("const long long columnBase = (long long)blockIdx.y * " +
            std::to_string(tile.columns) + ";");

  // A row is (n, i...) with the innermost input position fastest; a column
  // is (co, t...) with the innermost tap fastest.
  auto splitRow = [&](const std::string &row) {
    text.line("long long rowRest = " + row + ";");
    for (size_t a = rank; a-- > 0;) {
      std::string suffix = std::to_string(a);
      text.line("const long long i" + suffix + " = rowRest % " + inputSizes[a] +
                ";");
      text.line("rowRest /= " + inputSizes[a] + ";");
    }
    text.line("const long long n = rowRest;");
  };
  std::vector<std::string> imageIndex;
  for (size_t a = 0; a < rank; ++a)
    imageIndex.push_back("i" + std::to_string(a));

  GemmOperands operands;
  operands.prepareLoads = [&](KernelText &text) {
    text.line("const bool rowInside = loadRow < rows;");
    splitRow("rowInside ? loadRow : 0");
    // A's element (row, ci) is an image apart per channel.
    text.line("const long long aStart = ((n * " + constant(groups) +
              " + g) * " + constant(inPerGroup) + ") * imageSize + " +
              linearIndex(imageIndex, inputSizes) + ";");
  };
  operands.loadA = [&](KernelText &, const std::string &k) {
    return std::make_pair(std::string("true"),
                          "input + (aStart + (" + k + ") * imageSize)");
  };
  operands.packedB = "weight + (long long)blockIdx.z * " +
                     constant(packed.depth * packed.columns);
  operands.openRow = [&](KernelText &text, const std::string &row) {
    text.line("const long long row = " + row + ";");
    text.open("if (row < rows)");
    splitRow("row");
  };
  operands.store = [&](KernelText &text, const std::string &column,
                       const std::string &accumulator) {
    text.line("const long long column = " + column + ";");
    text.open("if (column < " + constant(columns) + ")");
    text.line("const long long co = column / " + constant(taps) + ";");
    text.line("long long tapRest = column % " + constant(taps) + ";");
    std::vector<std::string> outputIndex = {"n", "g", "co"};
    std::string inside;
    for (size_t a = rank; a-- > 0;) {
      std::string suffix = std::to_string(a);
      text.line("const long long t" + suffix + " = tapRest % " +
                constant(weight[3 + a]) + ";");
      text.line("tapRest /= " + constant(weight[3 + a]) + ";");
    }
    for (size_t a = 0; a < rank; ++a) {
      std::string suffix = std::to_string(a);
      // o = i*S + t - B.
      text.line("const long long o" + suffix + " = " +
                math.add(math.mul("i" + suffix, axes[a].stride),
                         math.add("t" + suffix, -axes[a].preCrop)) +
                ";");
      outputIndex.push_back("o" + suffix);
      inside += std::string(a ? " && " : "") + "o" + suffix + " >= 0 && o" +
                suffix + " < " + outputSizes[a];
    }
    std::vector<std::string> resultShape = {batch, constant(groups),
                                            constant(outPerGroup)};
    resultShape.insert(resultShape.end(), outputSizes.begin(),
                       outputSizes.end());
    text.open("if (" + inside + ")");
    text.line("const float value = " + accumulator +
              (hasBias
                   ? " + " + widenToFloat(element, "bias[g * " +
                                                       constant(outPerGroup) +
                                                       " + co]")
                   : "") +
              ";");
    text.line("result[" + linearIndex(outputIndex, resultShape) +
              "] = " + narrowFromFloat(element, "value") + ";");
    text.close();
    text.close();
  };
  writeGemmMainLoop(text, tile, element, operands, packed);

  finishGemmKernel(op, result, tile, text.body);
  kernels.push_back(std::move(result));
  return kernels;
}

} // namespace

const KernelStrategy &mlir::deconv::getGemmD2sStrategy() {
  static const GemmD2sStrategy strategy;
  return strategy;
}
