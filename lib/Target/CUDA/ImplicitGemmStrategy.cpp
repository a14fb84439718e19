//===- ImplicitGemmStrategy.cpp - a GEMM per stride phase -----------------===//
//
// The `implicit_gemm` strategy. Per stride phase p a deconvolution is a GEMM:
// M = N x (positions of the phase), Ngemm = Cout/G, K = Cin/G x (taps of the
// phase), with A gathered from the input on the fly (never materialized as
// im2col) and B the taps' weights. One launch covers every group and phase
// (grid z = G x phases); a block finds its group and phase in blockIdx.z,
// the phase's first tap, tap count, input shift and positions as the
// expressions DeconvPhases.h derives (over CExpressionMath), and leaves if
// its rows are past the phase's. The main loop and the tile (tensor cores
// or FFMA) are GemmKernelWriter's. A phase without taps has K = 0: its
// blocks write the bias, so bias fills need no launch of their own. B is
// the weight packed per group and phase (locateWeight), [Cin/G x taps of
// the phase] x Cout/G padded to whole tiles: at compile time for a constant
// weight, else by a packing kernel launched before the GEMM.
//
//===----------------------------------------------------------------------===//

#include "CExpressionMath.h"
#include "GemmKernelWriter.h"

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Target/CUDA/KernelStrategy.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <optional>

using namespace mlir;
using namespace mlir::deconv;

namespace {

/// The longest phase's rows, Cout/G columns, the mean depth, and groups x
/// phases batches.
GemmShape getShape(GroupedDeconvOp op) {
  ArrayRef<int64_t> input = op.getInput().getType().getShape();
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  IntegerMath math;
  GemmShape shape{ShapedType::isDynamic(input[0]) ? 8 : input[0], weight[2],
                  weight[1], input[1]};
  for (auto [a, axis] : llvm::enumerate(getPhaseAxes(op))) {
    int64_t size = ShapedType::isDynamic(input[3 + a]) ? 8 : input[3 + a];
    int64_t outputs = computeOutputSize(math, axis, size);
    shape.rows *= (outputs + axis.stride - 1) / axis.stride;
    shape.depth = shape.depth * weight[3 + a] / axis.stride;
    shape.batches *= axis.stride;
  }
  shape.depth = std::max<int64_t>(shape.depth, 1);
  return shape;
}

FailureOr<GemmTile> chooseTile(GroupedDeconvOp op,
                               const CudaTargetOptions &options,
                               std::string &error) {
  return chooseGemmTile(op, options, getShape(op), error);
}

/// B packed for `tile`: groups x phases matrices as deep as the phase with
/// the most taps.
PackedWeightLayout getPackedLayout(GroupedDeconvOp op, const GemmTile &tile) {
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  IntegerMath math;
  int64_t batches = weight[0], depth = weight[1];
  for (const PhaseAxis &axis : getPhaseAxes(op)) {
    int64_t taps = 0;
    for (int64_t p = 0; p < axis.stride; ++p)
      taps = std::max(taps, computePhase(math, axis, p, int64_t(0)).tapCount);
    batches *= axis.stride;
    depth *= taps;
  }
  return getPackedWeightLayout(tile, batches, depth, weight[2]);
}

/// Where element (k, column) of batch `batch`'s B lies in the weight
/// (G, Cin/G, Cout/G, K...): (inside, index). The batch is (phase, g) with
/// g fastest and the innermost axis's phase next, as the GEMM's blockIdx.z;
/// k is (ci, m...) with the innermost tap fastest, as its A. Instantiated
/// over IntegerMath (packing a constant at compile time) and
/// NamingCExpressionMath (the packing kernel); both also take mul, floorDiv
/// and rem of two values.
template <typename Math>
std::pair<typename Math::Bool, typename Math::Value>
locateWeight(Math &math, ArrayRef<PhaseAxis> axes, ArrayRef<int64_t> weight,
             typename Math::Value batch, typename Math::Value k,
             typename Math::Value column) {
  using V = typename Math::Value;
  const int64_t groups = weight[0], inPerGroup = weight[1],
                outPerGroup = weight[2];
  const size_t rank = axes.size();
  V g = let(math, "g", math.rem(batch, groups));
  V rest = let(math, "phaseRest", math.floorDiv(batch, groups));
  SmallVector<Phase<V>> phases(rank);
  for (size_t a = rank; a-- > 0;) {
    std::string suffix = std::to_string(a);
    V p = let(math, "p" + suffix, math.rem(rest, axes[a].stride));
    if (a > 0)
      rest =
          let(math, "phaseRest" + suffix, math.floorDiv(rest, axes[a].stride));
    phases[a] = computePhase(math, axes[a], p, math.constant(0));
    phases[a].firstTap = let(math, "firstTap" + suffix, phases[a].firstTap);
    phases[a].tapCount = let(math, "taps" + suffix, phases[a].tapCount);
  }
  V tapsAll = math.constant(1);
  for (const Phase<V> &phase : phases)
    tapsAll = math.mul(tapsAll, phase.tapCount);
  tapsAll = let(math, "tapsAll", tapsAll);
  auto inside =
      let(math, "inside",
          math.both(math.lessThan(k, math.mul(tapsAll, inPerGroup)),
                    math.lessThan(column, math.constant(outPerGroup))),
          "bool");
  // Divisors of at least one: where a phase has no taps nothing is inside.
  V divisor = math.max(tapsAll, math.constant(1));
  V ci = let(math, "ci", math.floorDiv(k, divisor));
  V tapRest = let(math, "tapRest", math.rem(k, divisor));
  SmallVector<V> taps(rank);
  for (size_t a = rank; a-- > 0;) {
    std::string suffix = std::to_string(a);
    V count = math.max(phases[a].tapCount, math.constant(1));
    V m = let(math, "m" + suffix, math.rem(tapRest, count));
    if (a > 0)
      tapRest = let(math, "tapRest" + suffix, math.floorDiv(tapRest, count));
    taps[a] =
        let(math, "tap" + suffix,
            computeTapIndices(math, axes[a], phases[a], math.constant(0), m)
                .second);
  }
  V index = math.add(math.mul(g, inPerGroup), ci);
  index = math.add(math.mul(index, outPerGroup), column);
  for (size_t a = 0; a < rank; ++a)
    index = math.add(math.mul(index, axes[a].kernel), taps[a]);
  return {inside, index};
}

class ImplicitGemmStrategy final : public KernelStrategy {
public:
  StringRef getName() const override { return "implicit_gemm"; }
  StringRef getDescription() const override {
    return "a GEMM per stride phase, input gathered into shared-memory tiles "
           "(every float op; integer ops with a symmetric weight on sm_80 and "
           "later)";
  }
  std::string whyNot(GroupedDeconvOp op,
                     const CudaTargetOptions &options) const override {
    if (std::string why = whyNotIntegerGemm(op, options); !why.empty())
      return why;
    std::string error;
    FailureOr<GemmTile> tile = chooseTile(op, options, error);
    if (failed(tile))
      return error;
    if (int64_t packed = getPackedLayout(op, *tile).getElements();
        packed > (int64_t(1) << 31))
      return "the weights packed per phase (" + std::to_string(packed) +
             " elements) exceed 2^31";
    int64_t blocksZ = op.getInput().getType().getShape()[1];
    for (int64_t stride : op.getStride())
      blocksZ *= stride;
    if (blocksZ > 65535)
      return "groups x phases (" + std::to_string(blocksZ) +
             ") exceed the 65535 blocks of a grid's z dimension";
    ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
    int64_t depth = weight[1];
    for (size_t d = 3; d < weight.size(); ++d)
      depth *= weight[d];
    if (depth > (int64_t(1) << 30))
      return "Cin/G x taps (" + std::to_string(depth) +
             ") exceeds the 2^30 a tile's 32-bit K indices take";
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
ImplicitGemmStrategy::emit(GroupedDeconvOp op, StringRef namePrefix,
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
  const PackedWeightLayout packed = getPackedLayout(op, tile);
  SmallVector<int64_t> weightShape(weight);
  std::vector<StrategyKernel> kernels;
  kernels.push_back(emitWeightPackingKernel(
      op, namePrefix.str() + "_pack", getName(), packed,
      [axes, weightShape](auto &math, auto batch, auto k, auto column) {
        return locateWeight(math, axes, weightShape, batch, k, column);
      }));
  // The longest phase: ceil(O / S) positions per axis.
  std::string longestRows = batch;
  int64_t phases = 1;
  for (size_t a = 0; a < rank; ++a) {
    longestRows = "(" + longestRows + ") * " +
                  math.ceilDiv(outputSizes[a], axes[a].stride);
    phases *= axes[a].stride;
  }
  kernel.grid = {
      "deconv_ceildiv(" + longestRows + ", " + std::to_string(tile.rows) + ")",
      std::to_string((outPerGroup + tile.columns - 1) / tile.columns),
      std::to_string(groups * phases)};

  KernelText text;
  // The block's group and phase (innermost axis fastest).
  text.line("const long long g = blockIdx.z % " + constant(groups) + ";");
  text.line("long long phaseRest = blockIdx.z / " + constant(groups) + ";");
  std::vector<std::string> phaseNames(rank);
  for (size_t a = rank; a-- > 0;) {
    phaseNames[a] = "p" + std::to_string(a);
    text.line("const long long " + phaseNames[a] + " = phaseRest % " +
              constant(axes[a].stride) + ";");
    text.line("phaseRest /= " + constant(axes[a].stride) + ";");
  }
  std::vector<Phase<std::string>> phaseValues;
  for (size_t a = 0; a < rank; ++a) {
    Phase<std::string> phase =
        computePhase(math, axes[a], phaseNames[a], outputSizes[a]);
    std::string suffix = std::to_string(a);
    text.line("const long long firstTap" + suffix + " = " + phase.firstTap +
              ";");
    text.line("const long long taps" + suffix + " = " + phase.tapCount + ";");
    text.line("const long long shift" + suffix + " = " + phase.inputShift +
              ";");
    text.line("const long long positions" + suffix + " = max(" + phase.outputs +
              ", 0LL);");
    phase.firstTap = "firstTap" + suffix;
    phase.tapCount = "taps" + suffix;
    phase.inputShift = "shift" + suffix;
    phase.outputs = "positions" + suffix;
    phaseValues.push_back(phase);
  }
  std::string rows = batch, tapsAll = "taps0";
  for (size_t a = 0; a < rank; ++a)
    rows += " * positions" + std::to_string(a);
  for (size_t a = 1; a < rank; ++a)
    tapsAll += " * taps" + std::to_string(a);
  text.line("const long long rows = " + rows + ";");
  text.line("const long long tapsAll = " + tapsAll + ";");
  text.line("const long long depth = " + constant(inPerGroup) + " * tapsAll;");
  text.line("const long long rowBase = (long long)blockIdx.x * " +
            std::to_string(tile.rows) + ";");
  text.line("if (rowBase >= rows)");
  text.line("  return; // The whole block: this phase has fewer positions.");
  text.line("const long long columnBase = (long long)blockIdx.y * " +
            std::to_string(tile.columns) + ";");

  // Rows of C are (n, q...) with the innermost position fastest; K is
  // (ci, tap...) with the innermost tap fastest. K indices fit 32 bits
  // (whyNot), so their divisions are the cheap ones.
  auto splitRow = [&](const std::string &row) {
    text.line("long long rowRest = " + row + ";");
    for (size_t a = rank; a-- > 0;) {
      std::string suffix = std::to_string(a);
      text.line("const long long q" + suffix + " = rowRest % positions" +
                suffix + ";");
      text.line("rowRest /= positions" + suffix + ";");
    }
    text.line("const long long n = rowRest;");
  };
  auto splitDepth = [&](const std::string &k) {
    text.line("const int ci = (int)(" + k + ") / (int)tapsAll;");
    text.line("int tapRest = (int)(" + k + ") % (int)tapsAll;");
    for (size_t a = rank; a-- > 0;) {
      std::string suffix = std::to_string(a);
      text.line("const int m" + suffix + " = tapRest % (int)taps" + suffix +
                ";");
      text.line("tapRest /= (int)taps" + suffix + ";");
    }
  };

  std::vector<std::string> inputShape = {batch, constant(groups),
                                         constant(inPerGroup)};
  inputShape.insert(inputShape.end(), inputSizes.begin(), inputSizes.end());
  std::vector<std::string> resultShape = {batch, constant(groups),
                                          constant(outPerGroup)};
  resultShape.insert(resultShape.end(), outputSizes.begin(), outputSizes.end());
  std::string channelStride = outputSizes.front();
  for (size_t a = 1; a < rank; ++a)
    channelStride = "(" + channelStride + ") * " + outputSizes[a];

  GemmOperands operands;
  operands.prepareLoads = [&](KernelText &text) {
    text.line("const bool rowInside = loadRow < rows;");
    splitRow("rowInside ? loadRow : 0");
  };
  operands.loadA = [&](KernelText &, const std::string &k) {
    splitDepth(k);
    std::vector<std::string> index = {"n", "g", "ci"};
    std::string inside;
    for (size_t a = 0; a < rank; ++a) {
      std::string suffix = std::to_string(a);
      auto [inputAt, weightAt] = computeTapIndices(
          math, axes[a], phaseValues[a],
          math.add("q" + suffix, "shift" + suffix), "m" + suffix);
      text.line("const long long i" + suffix + " = " + inputAt + ";");
      index.push_back("i" + suffix);
      inside += std::string(a ? " && " : "") + "i" + suffix + " >= 0 && i" +
                suffix + " < " + inputSizes[a];
    }
    return std::make_pair(inside,
                          "input + (" + linearIndex(index, inputShape) + ")");
  };
  operands.packedB = "weight + (long long)blockIdx.z * " +
                     constant(packed.depth * packed.columns);
  // An output row is split once; its outputs are a channel stride apart.
  operands.openRow = [&](KernelText &text, const std::string &row) {
    text.line("const long long row = " + row + ";");
    text.open("if (row < rows)");
    splitRow("row");
    std::vector<std::string> index = {"n", "g", "0LL"};
    for (size_t a = 0; a < rank; ++a)
      index.push_back(math.add(
          phaseNames[a], math.mul("q" + std::to_string(a), axes[a].stride)));
    text.line("const long long rowStart = " + linearIndex(index, resultShape) +
              ";");
  };
  // An integer deconvolution's accumulators are requantized (its bias is
  // f32 whatever the result's type).
  std::optional<IntegerEpilogue> integers;
  if (op.isQuantized())
    integers = getIntegerEpilogue(op);
  const Type biasElement =
      hasBias ? op.getBias().getType().getElementType() : element;
  operands.store = [&](KernelText &text, const std::string &column,
                       const std::string &accumulator) {
    text.line("const long long co = " + column + ";");
    text.open("if (co < " + constant(outPerGroup) + ")");
    const std::string channel = "g * " + constant(outPerGroup) + " + co";
    const std::string bias =
        hasBias ? widenToFloat(biasElement, "bias[" + channel + "]") : "";
    std::string value = "value";
    if (integers) {
      integers->requantize(text, value, accumulator, channel, bias);
    } else {
      text.line("const float value = " + accumulator +
                (hasBias ? " + " + bias : "") + ";");
      value = narrowFromFloat(element, value);
    }
    text.line("result[rowStart + co * (" + channelStride + ")] = " + value +
              ";");
    text.close();
  };
  writeGemmMainLoop(text, tile, op.getWeight().getType().getElementType(),
                    operands, packed);

  finishGemmKernel(op, result, tile, text.body,
                   integers ? integers->tables : "");
  kernels.push_back(std::move(result));
  return kernels;
}

} // namespace

const KernelStrategy &mlir::deconv::getImplicitGemmStrategy() {
  static const ImplicitGemmStrategy strategy;
  return strategy;
}
