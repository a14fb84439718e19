//===- RegisterTileStrategy.cpp - memory-bound direct kernels -------------===//
//
// The `depthwise` (Cin/G == 1) and `thin_channel` (few output channels per
// group) strategies: layers whose GEMMs are too thin for a tile, so they are
// bound by memory, and what a kernel must not waste is bandwidth and index
// arithmetic. Each thread computes a register tile: C output channels of one
// (n, g) times T = S x R consecutive outputs of the innermost axis (S its
// stride), starting at a multiple of S. Output t of the tile is then in
// phase t mod S and position R*j + t/S, both known when the source is
// written, so the innermost axis's taps, their weights' indices and the
// input window they read are constants, and the tap loop is unrolled into
// straight-line FMAs on registers: per input channel and tap of the outer
// axes, the thread loads a window of W inputs once (zero outside the input,
// as the CPU's padded input reads), C x K weights, and does C x R x K FMAs.
// The outer axes take their phase and tap range at run time (DeconvPhases.h
// over CExpressionMath). Index arithmetic is paid per thread, not per
// output as in `direct`; stores are 16-byte vectors where the row length
// keeps them aligned. Phases without taps (stride > kernel, dilation
// sharing a factor with the stride) get the bias in the same launch.
// Channels-last operands are read and written where they lie (the planner
// then plans no transposes), with consecutive threads on consecutive
// channels so a warp's loads and stores stay coalesced.
//
//===----------------------------------------------------------------------===//

#include "CExpressionMath.h"
#include "GemmKernelWriter.h"

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Target/CUDA/KernelStrategy.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::deconv;

namespace {

constexpr uint32_t kBlockSize = 128;
/// Accumulators a thread aims for (C x T): enough outputs to amortize its
/// index arithmetic and window loads, few enough to keep occupancy.
constexpr int64_t kTargetAccumulators = 32;
/// Hard limits of the unrolled code: accumulators and FMAs per step.
constexpr int64_t kMaxAccumulators = 128;
constexpr int64_t kMaxUnrolledFmas = 4096;
/// Inputs of the innermost axis a thread keeps in registers at most.
constexpr int64_t kMaxWindow = 64;
/// Channels a thread keeps at most (more are split into chunks).
constexpr int64_t kMaxChannels = 8;
/// Registers of accumulators, innermost weights and input window a thread
/// may hold (the rest of 255 is for indices and the compiler).
constexpr int64_t kRegisterBudget = 112;

/// How a thread's work is laid out for an op.
struct RegisterTile {
  int64_t channels = 1;  ///< C: output channels per thread.
  int64_t chunks = 1;    ///< Threads across Cout/G (C x chunks >= Cout/G).
  int64_t positions = 1; ///< R: positions of each phase per thread.
  int64_t stride = 1;    ///< S of the innermost axis.
  int64_t kernel = 1;    ///< K of the innermost axis.

  int64_t outputs() const { return stride * positions; } ///< T.
  std::string describe() const {
    return std::to_string(channels) +
           (channels == 1 ? " channel x " : " channels x ") +
           std::to_string(outputs()) + " outputs per thread";
  }
};

/// The innermost axis as the unrolled code sees it: per phase p its taps
/// and input shift (the output size only matters for the positions, which
/// the stores guard), and the window of inputs R*j + lo .. R*j + hi a
/// thread's taps read (lo > hi: no phase has taps).
struct InnermostTaps {
  std::vector<Phase<int64_t>> phases;
  int64_t lo = 0, hi = -1;
  int64_t width() const { return hi - lo + 1; }
};

InnermostTaps getInnermostTaps(const PhaseAxis &axis,
                               const RegisterTile &tile) {
  IntegerMath integers;
  InnermostTaps taps;
  for (int64_t p = 0; p < tile.stride; ++p) {
    taps.phases.push_back(computePhase(integers, axis, p, int64_t(0)));
    const Phase<int64_t> &phase = taps.phases.back();
    for (int64_t m = 0; m < phase.tapCount; ++m)
      for (int64_t r = 0; r < tile.positions; ++r) {
        int64_t offset = r + phase.inputShift - m * axis.inputStep;
        bool first = taps.hi < taps.lo;
        taps.lo = first ? offset : std::min(taps.lo, offset);
        taps.hi = first ? offset : std::max(taps.hi, offset);
      }
  }
  return taps;
}

RegisterTile chooseRegisterTile(GroupedDeconvOp op) {
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  const PhaseAxis axis = getPhaseAxes(op).back();
  const int64_t outPerGroup = weight[2];
  RegisterTile tile;
  tile.stride = axis.stride;
  tile.kernel = weight.back();
  // The most channels (balanced chunks of at most kMaxChannels) whose
  // accumulators, weights of the innermost taps and input window fit the
  // register budget; R is the largest power of two (at most 8) within the
  // accumulator target.
  for (int64_t most =
           std::clamp<int64_t>(kMaxAccumulators / tile.stride, 1, kMaxChannels);
       most >= 1; --most) {
    tile.chunks = (outPerGroup + most - 1) / most;
    tile.channels = (outPerGroup + tile.chunks - 1) / tile.chunks;
    tile.positions = 1;
    while (tile.positions < 8 &&
           tile.channels * tile.stride * tile.positions * 2 <=
               kTargetAccumulators)
      tile.positions *= 2;
    if (tile.channels * (tile.outputs() + tile.kernel) +
            getInnermostTaps(axis, tile).width() <=
        kRegisterBudget)
      break;
  }
  return tile;
}

/// Why the register tile cannot take `op`, whatever its channels.
std::string whyNotRegisterTile(GroupedDeconvOp op) {
  RegisterTile tile = chooseRegisterTile(op);
  int64_t window = getInnermostTaps(getPhaseAxes(op).back(), tile).width();
  if (window > kMaxWindow)
    return "the innermost axis's taps read a window of " +
           std::to_string(window) + " inputs per thread (at most " +
           std::to_string(kMaxWindow) + ")";
  if (tile.channels * tile.outputs() > kMaxAccumulators)
    return "the innermost stride (" + std::to_string(tile.stride) +
           ") needs more than " + std::to_string(kMaxAccumulators) +
           " accumulators per thread";
  if (tile.channels * tile.positions * tile.kernel > kMaxUnrolledFmas)
    return "the innermost kernel size (" + std::to_string(tile.kernel) +
           ") unrolls to more than " + std::to_string(kMaxUnrolledFmas) +
           " FMAs per step";
  return "";
}

double estimateRegisterTileSeconds(GroupedDeconvOp op,
                                   const DeviceModel &device) {
  // Memory-bound by design: the bytes at most of the bandwidth (the input
  // re-read once per chunk, mostly from L2). Instructions: an FMA per
  // multiply-add plus about one for the window's and weights' loads, a store
  // per output, and index arithmetic once per thread.
  RegisterTile tile = chooseRegisterTile(op);
  const double opBytes = static_cast<double>(countOpBytes(op));
  double bytes = opBytes + static_cast<double>(tile.chunks - 1) * opBytes / 8;
  double memory = bytes / (0.8 * device.memoryBytesPerSecond);
  double instructions =
      2.0 * static_cast<double>(countOpMacs(op)) +
      2.0 * static_cast<double>(countOpOutputs(op)) +
      estimateIndexInstructions(
          op, static_cast<double>(tile.channels * tile.outputs()));
  double compute = instructions / (0.5 * device.fp32FlopsPerSecond);
  return std::max(memory, compute) + device.launchSeconds;
}

/// Writes the kernel of one op.
class RegisterTileWriter {
public:
  RegisterTileWriter(GroupedDeconvOp op, StrategyKernel &kernel,
                     const OperandLayout &layout)
      : op(op), kernel(kernel), layout(layout), axes(getPhaseAxes(op)),
        tile(chooseRegisterTile(op)),
        element(op.getResult().getType().getElementType()) {}

  void write();

private:
  std::string constant(int64_t value) {
    return CExpressionMath::constant(value);
  }
  void writeThreadIndex();
  void writeOuterTapLoops(size_t axis);
  void writeInnermostStep();
  void writeStores();

  /// Offset of (n, channel, position...) in a tensor of `sizes` spatial
  /// sizes and `channels` channels, in `channelsLast` order or not.
  std::string offsetOf(bool channelsLast, const std::string &channel,
                       const std::vector<std::string> &positions,
                       const std::vector<std::string> &sizes, int64_t channels);

  GroupedDeconvOp op;
  StrategyKernel &kernel;
  OperandLayout layout;
  SmallVector<PhaseAxis> axes;
  RegisterTile tile;
  Type element;
  CExpressionMath math;
  KernelText text;
  std::string batch;
  std::vector<std::string> inputSizes, outputSizes;
  std::vector<std::string> weightShape;
  int64_t groups = 1, inPerGroup = 1, outPerGroup = 1;
};

void RegisterTileWriter::write() {
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  groups = weight[0];
  inPerGroup = weight[1];
  outPerGroup = weight[2];
  const size_t rank = axes.size();
  batch = getInputDimension(op, kernel, 0);
  for (size_t a = 0; a < rank; ++a) {
    inputSizes.push_back(getInputDimension(op, kernel, 3 + a));
    outputSizes.push_back(computeOutputSize(math, axes[a], inputSizes[a]));
  }
  weightShape = {constant(groups), constant(inPerGroup), constant(outPerGroup)};
  for (size_t a = 0; a < rank; ++a)
    weightShape.push_back(constant(weight[3 + a]));

  writeThreadIndex();
  for (int64_t c = 0; c < tile.channels; ++c)
    for (int64_t t = 0; t < tile.outputs(); ++t)
      text.line("float acc" + std::to_string(c) + "_" + std::to_string(t) +
                " = 0.f;");
  text.open("for (long long ci = 0; ci < " + constant(inPerGroup) + "; ++ci)");
  writeOuterTapLoops(0);
  text.close();
  writeStores();
  frameKernelSource(op, kernel, std::to_string(kBlockSize), "", text.body);
}

std::string
RegisterTileWriter::offsetOf(bool channelsLast, const std::string &channel,
                             const std::vector<std::string> &positions,
                             const std::vector<std::string> &sizes,
                             int64_t channels) {
  std::vector<std::string> index = {"n"}, shape = {batch};
  if (!channelsLast) {
    index.push_back(channel);
    shape.push_back(constant(channels));
  }
  index.insert(index.end(), positions.begin(), positions.end());
  shape.insert(shape.end(), sizes.begin(), sizes.end());
  if (channelsLast) {
    index.push_back(channel);
    shape.push_back(constant(channels));
  }
  return linearIndex(index, shape);
}

void RegisterTileWriter::writeThreadIndex() {
  const size_t rank = axes.size();
  // Threads: (n, g, chunk, o outer..., tile j) with j fastest, so a warp's
  // tiles are consecutive in a channels-first row; channels-last, (n, o
  // outer..., j, g, chunk): a warp's channels are consecutive.
  std::string tiles = math.ceilDiv(outputSizes.back(), tile.outputs());
  std::vector<std::pair<std::string, std::string>> extents; // Slowest first.
  auto positionsAndTiles = [&] {
    for (size_t a = 0; a + 1 < rank; ++a)
      extents.emplace_back("o" + std::to_string(a), outputSizes[a]);
    extents.emplace_back("j", tiles);
  };
  extents.emplace_back("n", batch);
  if (layout.resultChannelsLast)
    positionsAndTiles();
  extents.emplace_back("g", constant(groups));
  extents.emplace_back("chunk", constant(tile.chunks));
  if (!layout.resultChannelsLast)
    positionsAndTiles();
  std::string total = extents.front().second;
  for (size_t i = 1; i < extents.size(); ++i)
    total = "(" + total + ") * " + extents[i].second;
  kernel.kernel.block = {kBlockSize, 1, 1};
  kernel.kernel.grid = {"deconv_ceildiv(" + total + ", " +
                            std::to_string(kBlockSize) + ")",
                        "1", "1"};

  text.line("long long rest = (long long)blockIdx.x * " +
            std::to_string(kBlockSize) + " + threadIdx.x;");
  text.line("if (rest >= " + total + ")");
  text.line("  return;");
  for (size_t i = extents.size(); i-- > 1;)
    text.line("const long long " + extents[i].first + " = rest % " +
              extents[i].second + "; rest /= " + extents[i].second + ";");
  text.line("const long long n = rest;");
  // Output channels of the thread; a partial last chunk repeats its last
  // channel (read, never stored).
  for (int64_t c = 0; c < tile.channels; ++c)
    text.line("const long long co" + std::to_string(c) + " = min(chunk * " +
              constant(tile.channels) + " + " + constant(c) + ", " +
              constant(outPerGroup - 1) + ");");
  // The outer axes' phase, taps and input range at run time.
  for (size_t a = 0; a + 1 < rank; ++a) {
    std::string suffix = std::to_string(a);
    std::string o = "o" + suffix;
    text.line("const long long q" + suffix + " = " + o + " / " +
              constant(axes[a].stride) + ";");
    Phase<std::string> phase = computePhase(
        math, axes[a], math.rem(o, axes[a].stride), outputSizes[a]);
    text.line("const long long firstTap" + suffix + " = " + phase.firstTap +
              ";");
    text.line("const long long taps" + suffix + " = " + phase.tapCount + ";");
    text.line("const long long shift" + suffix + " = " + phase.inputShift +
              ";");
    phase.firstTap = "firstTap" + suffix;
    phase.tapCount = "taps" + suffix;
    phase.inputShift = "shift" + suffix;
    TapRange<std::string> range =
        computeTapRange(math, axes[a], phase, "q" + suffix, inputSizes[a]);
    text.line("const long long start" + suffix + " = " + range.start + ";");
    text.line("const long long lo" + suffix + " = " + range.lo + ";");
    text.line("const long long hi" + suffix + " = " + range.hi + ";");
  }
}

void RegisterTileWriter::writeOuterTapLoops(size_t a) {
  const size_t rank = axes.size();
  if (a + 1 == rank) {
    writeInnermostStep();
    return;
  }
  std::string suffix = std::to_string(a);
  text.open("for (long long m" + suffix + " = lo" + suffix + "; m" + suffix +
            " < hi" + suffix + "; ++m" + suffix + ")");
  text.line("const long long i" + suffix + " = start" + suffix + " - m" +
            suffix + " * " + constant(axes[a].inputStep) + ";");
  text.line("const long long k" + suffix + " = firstTap" + suffix + " + m" +
            suffix + " * " + constant(axes[a].phaseStride) + ";");
  writeOuterTapLoops(a + 1);
  text.close();
}

void RegisterTileWriter::writeInnermostStep() {
  const size_t rank = axes.size(), last = rank - 1;
  const PhaseAxis &axis = axes[last];
  const InnermostTaps taps = getInnermostTaps(axis, tile);
  if (taps.width() <= 0)
    return; // No phase of the innermost axis has taps: bias only.

  // The input row of (n, g, ci, i outer...) and the window it reads:
  // inputs R*j + lo + w, zero outside the input; channels-last, they are
  // G x Cin/G elements apart.
  std::vector<std::string> inputIndex;
  for (size_t a = 0; a < last; ++a)
    inputIndex.push_back("i" + std::to_string(a));
  inputIndex.push_back("0LL");
  text.line("const long long inputRow = " +
            offsetOf(layout.inputChannelsLast,
                     "g * " + constant(inPerGroup) + " + ci", inputIndex,
                     inputSizes, groups * inPerGroup) +
            ";");
  const std::string inputStep =
      layout.inputChannelsLast ? " * " + constant(groups * inPerGroup) : "";
  text.line("const long long windowStart = j * " + constant(tile.positions) +
            " + " + constant(taps.lo) + ";");
  for (int64_t w = 0; w < taps.width(); ++w) {
    std::string index = math.add("windowStart", w);
    text.line(
        "const float x" + std::to_string(w) + " = (" + index + " >= 0 && " +
        index + " < " + inputSizes[last] + ") ? " +
        widenToFloat(element, "input[inputRow + " + index + inputStep + "]") +
        " : 0.f;");
  }
  for (int64_t c = 0; c < tile.channels; ++c) {
    std::string cs = std::to_string(c);
    std::vector<std::string> weightIndex = {"g", "ci", "co" + cs};
    for (size_t a = 0; a < last; ++a)
      weightIndex.push_back("k" + std::to_string(a));
    weightIndex.push_back("0LL");
    text.line("const long long weightRow" + cs + " = " +
              linearIndex(weightIndex, weightShape) + ";");
    for (int64_t p = 0; p < tile.stride; ++p) {
      const Phase<int64_t> &phase = taps.phases[p];
      for (int64_t m = 0; m < phase.tapCount; ++m) {
        int64_t k = phase.firstTap + m * axis.phaseStride;
        std::string w = "w" + cs + "_" + std::to_string(k);
        text.line("const float " + w + " = " +
                  widenToFloat(element, "weight[weightRow" + cs + " + " +
                                            constant(k) + "]") +
                  ";");
        for (int64_t r = 0; r < tile.positions; ++r) {
          int64_t offset = r + phase.inputShift - m * axis.inputStep;
          std::string acc =
              "acc" + cs + "_" + std::to_string(r * tile.stride + p);
          text.line(acc + " = fmaf(" + w + ", x" +
                    std::to_string(offset - taps.lo) + ", " + acc + ");");
        }
      }
    }
  }
}

void RegisterTileWriter::writeStores() {
  const size_t rank = axes.size();
  const int64_t outputs = tile.outputs();
  const bool hasBias = static_cast<bool>(op.getBias());
  // 16-byte stores: 4 floats or 8 16-bit values, when every row and every
  // tile starts on a multiple of them (the innermost size a static multiple).
  const int64_t vector = element.isF32() ? 4 : 8;
  std::optional<int64_t> lastSize =
      CExpressionMath::literal(outputSizes.back());
  const bool vectorStores = !layout.resultChannelsLast && lastSize &&
                            *lastSize % vector == 0 && outputs % vector == 0;
  // Channels-last, consecutive outputs of a channel are G x Cout/G apart.
  const std::string resultStep =
      layout.resultChannelsLast ? " * " + constant(groups * outPerGroup) : "";
  text.line("const long long o" + std::to_string(rank - 1) + " = j * " +
            constant(outputs) + ";");
  for (int64_t c = 0; c < tile.channels; ++c) {
    std::string cs = std::to_string(c);
    bool partial = tile.chunks * tile.channels > outPerGroup;
    if (partial) {
      text.open("if (chunk * " + constant(tile.channels) + " + " + constant(c) +
                " < " + constant(outPerGroup) + ")");
    } else {
      text.line("{");
      ++text.indent;
    }
    std::vector<std::string> positions;
    for (size_t a = 0; a < rank; ++a)
      positions.push_back("o" + std::to_string(a));
    text.line("const long long at = " +
              offsetOf(layout.resultChannelsLast,
                       "g * " + constant(outPerGroup) + " + co" + cs, positions,
                       outputSizes, groups * outPerGroup) +
              ";");
    if (hasBias)
      text.line("const float b = " +
                widenToFloat(element, "bias[g * " + constant(outPerGroup) +
                                          " + co" + cs + "]") +
                ";");
    auto value = [&](int64_t t) {
      return "acc" + cs + "_" + std::to_string(t) + (hasBias ? " + b" : "");
    };
    if (vectorStores) {
      for (int64_t v = 0; v < outputs / vector; ++v) {
        // The row length is a multiple of the vector: a vector is wholly
        // inside the row or wholly past it.
        text.open("if (o" + std::to_string(rank - 1) + " + " +
                  constant(v * vector) + " < " + outputSizes.back() + ")");
        text.line("float4 packed;");
        const char *lanes[] = {"x", "y", "z", "w"};
        for (int64_t l = 0; l < 4; ++l) {
          int64_t t = v * vector + l * (vector / 4);
          std::string bits =
              element.isF32()
                  ? value(t)
                  : "__uint_as_float((unsigned)" +
                        narrowFromFloat(element, value(t)) + " | (unsigned)" +
                        narrowFromFloat(element, value(t + 1)) + " << 16)";
          text.line(std::string("packed.") + lanes[l] + " = " + bits + ";");
        }
        text.line("deconv_pointer_cast<float4>(result + (at + " +
                  constant(v * vector) + "))[0] = packed;");
        text.close();
      }
    } else {
      for (int64_t t = 0; t < outputs; ++t)
        text.line("if (o" + std::to_string(rank - 1) + " + " + constant(t) +
                  " < " + outputSizes.back() + ") result[at + " + constant(t) +
                  resultStep + "] = " + narrowFromFloat(element, value(t)) +
                  ";");
    }
    text.close();
  }
}

/// The two strategies share the kernel and differ in the ops they take.
class RegisterTileStrategy : public KernelStrategy {
public:
  double estimateSeconds(GroupedDeconvOp op, const CudaTargetOptions &,
                         const DeviceModel &device) const override {
    return estimateRegisterTileSeconds(op, device);
  }
  bool takesChannelsLast() const override { return true; }
  FailureOr<std::vector<StrategyKernel>>
  emit(GroupedDeconvOp op, StringRef namePrefix,
       const CudaTargetOptions &options,
       const OperandLayout &layout) const override {
    if (std::string why = whyNot(op, options); !why.empty())
      return op.emitOpError("CUDA strategy '")
             << getName() << "' cannot take this op: " << why;
    StrategyKernel kernel;
    kernel.kernel.name = namePrefix.str();
    kernel.kernel.strategy = getName().str();
    kernel.kernel.configuration = chooseRegisterTile(op).describe();
    kernel.operands = getKernelOperands(op);
    RegisterTileWriter(op, kernel, layout).write();
    std::vector<StrategyKernel> kernels;
    kernels.push_back(std::move(kernel));
    return kernels;
  }
};

class DepthwiseStrategy final : public RegisterTileStrategy {
public:
  StringRef getName() const override { return "depthwise"; }
  StringRef getDescription() const override {
    return "register tiles of a phase's outputs per thread, taps unrolled "
           "(one input channel per group)";
  }
  std::string whyNot(GroupedDeconvOp op,
                     const CudaTargetOptions &) const override {
    if (std::string why = whyNotFloatOp(op); !why.empty())
      return why;
    int64_t inPerGroup = op.getWeight().getType().getShape()[1];
    if (inPerGroup != 1)
      return "it takes one input channel per group, not " +
             std::to_string(inPerGroup);
    return whyNotRegisterTile(op);
  }
};

class ThinChannelStrategy final : public RegisterTileStrategy {
public:
  StringRef getName() const override { return "thin_channel"; }
  StringRef getDescription() const override {
    return "register tiles of a phase's outputs per thread, taps unrolled "
           "(at most 32 output channels per group)";
  }
  std::string whyNot(GroupedDeconvOp op,
                     const CudaTargetOptions &) const override {
    if (std::string why = whyNotFloatOp(op); !why.empty())
      return why;
    int64_t outPerGroup = op.getWeight().getType().getShape()[2];
    if (outPerGroup > 32)
      return "it takes at most 32 output channels per group, not " +
             std::to_string(outPerGroup);
    return whyNotRegisterTile(op);
  }
};

} // namespace

const KernelStrategy &mlir::deconv::getDepthwiseStrategy() {
  static const DepthwiseStrategy strategy;
  return strategy;
}

const KernelStrategy &mlir::deconv::getThinChannelStrategy() {
  static const ThinChannelStrategy strategy;
  return strategy;
}
