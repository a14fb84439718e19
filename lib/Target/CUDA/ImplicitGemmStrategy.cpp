//===- ImplicitGemmStrategy.cpp - a GEMM per stride phase -----------------===//
//
// The `implicit_gemm` strategy. Per stride phase p a deconvolution is a GEMM:
// M = N x (positions of the phase), Ngemm = Cout/G, K = Cin/G x (taps of the
// phase), with A gathered from the input on the fly (never materialized as
// im2col) and B the taps' weights. One launch covers every group and phase
// (grid z = G x phases); a block computes a 64 x 64 tile of one phase's C,
// walking K in slices staged through shared memory. The tile is computed by
//   - tensor cores for f16 and bf16 data (mma.sync m16n8k16, f32
//     accumulation; fragments through ldmatrix) and for f32 data under the
//     tf32 policy (mma.sync m16n8k8 on operands rounded with cvt.rna.tf32):
//     four warps of 32 x 32 each, 32-deep slices;
//   - FFMA otherwise (exact f32, or GPUs before sm_80): 256 threads with a
//     4 x 4 register tile each, 16-deep slices.
// f16/bf16 data accumulate in f32 and round once on store. A phase without
// taps has K = 0: its blocks write the bias, so bias fills need no launch of
// their own.
//
// Every phase constant is the expression DeconvPhases.h derives, built over
// CExpressionMath from the phase index the block takes from blockIdx.z.
//
//===----------------------------------------------------------------------===//

#include "CExpressionMath.h"

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Target/CUDA/KernelStrategy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::deconv;

namespace {

constexpr int64_t kTileM = 64, kTileN = 64;

/// How a block computes its tile.
enum class Compute { Ffma, MmaF16, MmaBf16, MmaTf32 };

struct TileConfig {
  Compute compute;
  int64_t tileK; ///< Depth of a K slice.
  uint32_t threads;
  /// Shared tiles: FFMA keeps [k][m] and [k][n] floats; the mma variants
  /// keep [m][k] and [n][k] rows of `pitch` elements (padded so that rows
  /// fall on different banks and stay 16-byte aligned for ldmatrix).
  int64_t pitch;
  const char *sharedType;
  const char *describe;
};

/// The tile for `op` under `options`: tensor cores where the data and the
/// precision policy allow them and the architecture has them.
TileConfig chooseTile(GroupedDeconvOp op, const CudaTargetOptions &options) {
  Type element = op.getResult().getType().getElementType();
  unsigned version = 0;
  StringRef arch = options.getTargetArch();
  if (arch.starts_with("sm_"))
    arch.drop_front(3).take_while(llvm::isDigit).getAsInteger(10, version);
  if (version >= 80) {
    if (element.isF16())
      return {Compute::MmaF16,        32, 128, 40, "unsigned short",
              "64x64x32 mma.sync f16"};
    if (element.isBF16())
      return {Compute::MmaBf16,        32, 128, 40, "unsigned short",
              "64x64x32 mma.sync bf16"};
    if (options.precision == CudaPrecision::Tf32)
      return {Compute::MmaTf32, 32, 128, 36, "float", "64x64x32 mma.sync tf32"};
  }
  return {Compute::Ffma, 16, 256, 0, "float", "64x64x16 ffma"};
}

/// Source text for one op, built up line by line.
class KernelText {
public:
  void line(const std::string &text) {
    body.append(2 * indent, ' ');
    body += text;
    body += '\n';
  }
  void open(const std::string &text) {
    line(text + " {");
    ++indent;
  }
  void close() {
    --indent;
    line("}");
  }
  std::string body;
  int indent = 1;
};

std::string storageType(Type type) {
  return type.isF32() ? "float" : "unsigned short";
}

/// `value` (of the storage type) widened to float, and back.
std::string widen(Type type, const std::string &value) {
  if (type.isF16())
    return "deconv_half_to_float(" + value + ")";
  if (type.isBF16())
    return "deconv_bfloat16_to_float(" + value + ")";
  return value;
}
std::string narrow(Type type, const std::string &value) {
  if (type.isF16())
    return "deconv_float_to_half(" + value + ")";
  if (type.isBF16())
    return "deconv_float_to_bfloat16(" + value + ")";
  return value;
}

/// Row-major linear index of `indices` in `sizes`.
std::string linearIndex(const std::vector<std::string> &indices,
                        const std::vector<std::string> &sizes) {
  std::string index = indices.front();
  for (size_t d = 1; d < indices.size(); ++d)
    index = "(" + index + ") * " + sizes[d] + " + " + indices[d];
  return index;
}

class ImplicitGemmStrategy final : public KernelStrategy {
public:
  StringRef getName() const override { return "implicit_gemm"; }
  StringRef getDescription() const override {
    return "a GEMM per stride phase, input gathered into shared-memory tiles "
           "(every op)";
  }
  std::string whyNot(GroupedDeconvOp op,
                     const CudaTargetOptions &) const override {
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
  double estimateSeconds(GroupedDeconvOp op, const CudaTargetOptions &,
                         const DeviceModel &device) const override {
    // A 64-wide tile over Cout/G channels and 16-deep slices of K waste
    // what they do not fill; what they fill runs near a third of the FMA
    // peak (two shared loads per 16 FMAs).
    ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
    double outPerGroup = static_cast<double>(weight[2]);
    double fillN = outPerGroup / (std::ceil(outPerGroup / kTileN) * kTileN);
    double depth = static_cast<double>(weight[1]);
    for (size_t d = 3; d < weight.size(); ++d)
      depth *= static_cast<double>(weight[d]) / op.getStride()[d - 3];
    double fillK = std::min(1.0, depth / 16.0);
    double compute = 2.0 * static_cast<double>(countOpMacs(op)) /
                     (0.33 * fillN * fillK * device.fp32FlopsPerSecond);
    double memory =
        static_cast<double>(countOpBytes(op)) / device.memoryBytesPerSecond;
    return std::max(compute, memory) + device.launchSeconds;
  }
  FailureOr<std::vector<StrategyKernel>>
  emit(GroupedDeconvOp op, StringRef namePrefix,
       const CudaTargetOptions &options) const override;
};

FailureOr<std::vector<StrategyKernel>>
ImplicitGemmStrategy::emit(GroupedDeconvOp op, StringRef namePrefix,
                           const CudaTargetOptions &options) const {
  if (std::string why = whyNot(op, options); !why.empty())
    return op.emitOpError("CUDA strategy 'implicit_gemm' cannot take this "
                          "op: ")
           << why;
  SmallVector<PhaseAxis> axes = getPhaseAxes(op);
  ArrayRef<int64_t> input = op.getInput().getType().getShape();
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  Type element = op.getResult().getType().getElementType();
  const size_t rank = axes.size();
  const int64_t groups = input[1], inPerGroup = input[2],
                outPerGroup = weight[2];
  const bool hasBias = static_cast<bool>(op.getBias());

  StrategyKernel result;
  ::deconv::PlanKernel &kernel = result.kernel;
  kernel.name = namePrefix.str();
  kernel.strategy = getName().str();
  kernel.configuration = chooseTile(op, options).describe;
  result.operands = {KernelOperand::Input, KernelOperand::Weight};
  if (hasBias)
    result.operands.push_back(KernelOperand::Bias);
  result.operands.push_back(KernelOperand::Result);

  // Sizes: literals, or macros for the input's dynamic dimensions.
  CExpressionMath math;
  auto inputDim = [&](unsigned d) -> std::string {
    if (!ShapedType::isDynamic(input[d]))
      return CExpressionMath::constant(input[d]);
    std::string macro = "DECONV_INPUT_DIM" + std::to_string(d);
    if (llvm::none_of(result.inputDimMacros,
                      [&](const auto &entry) { return entry.first == macro; }))
      result.inputDimMacros.emplace_back(macro, d);
    return macro;
  };
  std::string batch = inputDim(0);
  std::vector<std::string> inputSizes, outputSizes, kernelSizes;
  for (size_t a = 0; a < rank; ++a) {
    inputSizes.push_back(inputDim(3 + a));
    outputSizes.push_back(computeOutputSize(math, axes[a], inputSizes[a]));
    kernelSizes.push_back(CExpressionMath::constant(weight[3 + a]));
  }
  // The longest phase: ceil(O / S) positions per axis.
  std::string longestM = batch;
  int64_t phases = 1;
  for (size_t a = 0; a < rank; ++a) {
    longestM =
        "(" + longestM + ") * " + math.ceilDiv(outputSizes[a], axes[a].stride);
    phases *= axes[a].stride;
  }
  kernel.block = {chooseTile(op, options).threads, 1, 1};
  kernel.grid = {"deconv_ceildiv(" + longestM + ", " + std::to_string(kTileM) +
                     ")",
                 std::to_string((outPerGroup + kTileN - 1) / kTileN),
                 std::to_string(groups * phases)};

  std::string storage = storageType(element);
  KernelText text;
  // The block's group and phase (innermost axis fastest).
  text.line("const long long g = blockIdx.z % " +
            CExpressionMath::constant(groups) + ";");
  text.line("long long phaseRest = blockIdx.z / " +
            CExpressionMath::constant(groups) + ";");
  std::vector<std::string> phaseNames(rank);
  for (size_t a = rank; a-- > 0;) {
    phaseNames[a] = "p" + std::to_string(a);
    text.line("const long long " + phaseNames[a] + " = phaseRest % " +
              CExpressionMath::constant(axes[a].stride) + ";");
    text.line("phaseRest /= " + CExpressionMath::constant(axes[a].stride) +
              ";");
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
    phase.phase = phaseNames[a];
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
  text.line("const long long depth = " + CExpressionMath::constant(inPerGroup) +
            " * tapsAll;");
  text.line("const long long rowBase = (long long)blockIdx.x * " +
            std::to_string(kTileM) + ";");
  text.line("if (rowBase >= rows)");
  text.line("  return; // The whole block: this phase has fewer positions.");
  text.line("const long long columnBase = (long long)blockIdx.y * " +
            std::to_string(kTileN) + ";");
  if (chooseTile(op, options).compute == Compute::Ffma) {
    text.line("const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;");
    text.line("float acc[4][4] = {};");
  } else {
    // Four warps, each a 32 x 32 quarter of the tile: 2 x 4 mma tiles.
    text.line("const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;");
    text.line("const int warpRow = (warp % 2) * 32, warpColumn = (warp / 2) * "
              "32;");
    text.line("float acc[2][4][4] = {};");
  }

  // Splits a row index into (n, q...) and a K index into (ci, taps...).
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
  // K indices fit 32 bits (whyNot checks Cin/G x taps), so their division
  // is the cheap one.
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

  // The tile loads: consecutive threads take consecutive rows (A: the
  // input's innermost positions, coalesced) or columns (B).
  const TileConfig tile = chooseTile(op, options);
  const bool mma = tile.compute != Compute::Ffma;
  const std::string tileK = std::to_string(tile.tileK),
                    threads = std::to_string(tile.threads),
                    pitch = std::to_string(tile.pitch);
  // Tensor cores take the 16-bit data as they are; FFMA and tf32 widen.
  const bool rawHalves =
      tile.compute == Compute::MmaF16 || tile.compute == Compute::MmaBf16;
  auto loaded = [&](const std::string &access) {
    return rawHalves ? access : widen(element, access);
  };
  const std::string zero = rawHalves ? "0" : "0.0f";
  const std::string valueType = tile.sharedType;
  auto tileSlot = [&](const char *tileName, const std::string &outer) {
    // FFMA: [k][row]; mma: [row][k] with the padded pitch.
    return mma ? std::string(tileName) + "[" + outer + " * " + pitch + " + kk]"
               : std::string(tileName) + "[kk * " + std::to_string(kTileM) +
                     " + " + outer + "]";
  };

  // Each thread loads the same row of A and column of B in every slice
  // (its index modulo the tile's width): split the row once, here.
  text.line("const long long loadRow = rowBase + threadIdx.x % " +
            std::to_string(kTileM) + ";");
  text.line("const long long loadColumn = columnBase + threadIdx.x % " +
            std::to_string(kTileN) + ";");
  text.line("const bool rowInside = loadRow < rows;");
  splitRow("rowInside ? loadRow : 0");
  text.open("for (long long kBase = 0; kBase < depth; kBase += " + tileK + ")");
  text.open("for (int e = threadIdx.x; e < " +
            std::to_string(tile.tileK * kTileM) + "; e += " + threads + ")");
  text.line("const long long kk = e / " + std::to_string(kTileM) +
            ", mm = e % " + std::to_string(kTileM) + ";");
  text.line(valueType + " value = " + zero + ";");
  text.open("if (rowInside && kBase + kk < depth)");
  splitDepth("kBase + kk");
  std::vector<std::string> inputIndex = {"n", "g", "ci"}, inside;
  for (size_t a = 0; a < rank; ++a) {
    std::string suffix = std::to_string(a);
    auto [inputAt, weightAt] = computeTapIndices(
        math, axes[a], phaseValues[a], math.add("q" + suffix, "shift" + suffix),
        "m" + suffix);
    text.line("const long long i" + suffix + " = " + inputAt + ";");
    inputIndex.push_back("i" + suffix);
    inside.push_back("i" + suffix + " >= 0 && i" + suffix + " < " +
                     inputSizes[a]);
  }
  std::string insideAll = inside.front();
  for (size_t a = 1; a < rank; ++a)
    insideAll += " && " + inside[a];
  std::vector<std::string> inputShape = {batch,
                                         CExpressionMath::constant(groups),
                                         CExpressionMath::constant(inPerGroup)};
  inputShape.insert(inputShape.end(), inputSizes.begin(), inputSizes.end());
  text.line("if (" + insideAll + ")");
  text.line("  value = " +
            loaded("input[" + linearIndex(inputIndex, inputShape) + "]") + ";");
  text.close();
  text.line(tileSlot("tileA", "mm") + " = value;");
  text.close();
  text.open("for (int e = threadIdx.x; e < " +
            std::to_string(tile.tileK * kTileN) + "; e += " + threads + ")");
  text.line("const long long kk = e / " + std::to_string(kTileN) +
            ", nn = e % " + std::to_string(kTileN) + ";");
  text.line(valueType + " value = " + zero + ";");
  text.open("if (loadColumn < " + CExpressionMath::constant(outPerGroup) +
            " && kBase + kk < depth)");
  splitDepth("kBase + kk");
  std::vector<std::string> weightIndex = {"g", "ci", "loadColumn"};
  for (size_t a = 0; a < rank; ++a) {
    std::string suffix = std::to_string(a);
    auto [inputAt, weightAt] =
        computeTapIndices(math, axes[a], phaseValues[a], "0LL", "m" + suffix);
    (void)inputAt;
    weightIndex.push_back(weightAt);
  }
  std::vector<std::string> weightShape = {
      CExpressionMath::constant(groups), CExpressionMath::constant(inPerGroup),
      CExpressionMath::constant(outPerGroup)};
  weightShape.insert(weightShape.end(), kernelSizes.begin(), kernelSizes.end());
  text.line("value = " +
            loaded("weight[" + linearIndex(weightIndex, weightShape) + "]") +
            ";");
  text.close();
  text.line(tileSlot("tileB", "nn") + " = value;");
  text.close();
  text.line("__syncthreads();");
  switch (tile.compute) {
  case Compute::Ffma:
    // Each thread's 4 x 4 outputs: rows ty*4.., columns tx*4...
    text.line("#pragma unroll");
    text.open("for (int kk = 0; kk < " + tileK + "; ++kk)");
    text.line("const float4 a = deconv_pointer_cast<float4>(tileA + kk * " +
              std::to_string(kTileM) + " + ty * 4)[0];");
    text.line("const float4 b = deconv_pointer_cast<float4>(tileB + kk * " +
              std::to_string(kTileN) + " + tx * 4)[0];");
    text.line("const float as[4] = {a.x, a.y, a.z, a.w}, "
              "bs[4] = {b.x, b.y, b.z, b.w};");
    text.line("#pragma unroll");
    text.line("for (int i = 0; i < 4; ++i)");
    text.line("#pragma unroll");
    text.line("  for (int j = 0; j < 4; ++j)");
    text.line("    acc[i][j] = fmaf(as[i], bs[j], acc[i][j]);");
    text.close();
    break;
  case Compute::MmaF16:
  case Compute::MmaBf16: {
    // Fragments by ldmatrix: A's 16 x 16 as four 8 x 8 matrices (rows
    // lane % 16, k halves lane / 16), B's 8 x 16 as two (rows lane % 8).
    std::string mmaName = tile.compute == Compute::MmaF16
                              ? "deconv_mma_m16n8k16_f16"
                              : "deconv_mma_m16n8k16_bf16";
    text.line("#pragma unroll");
    text.open("for (int ks = 0; ks < " + tileK + "; ks += 16)");
    text.line("unsigned a[2][4], b[4][2];");
    text.line("#pragma unroll");
    text.line("for (int mi = 0; mi < 2; ++mi)");
    text.line("  deconv_ldmatrix_x4(a[mi], tileA + (warpRow + mi * 16 + lane % "
              "16) * " +
              pitch + " + ks + (lane / 16) * 8);");
    text.line("#pragma unroll");
    text.line("for (int nj = 0; nj < 4; ++nj)");
    text.line("  deconv_ldmatrix_x2(b[nj], tileB + (warpColumn + nj * 8 + lane "
              "% 8) * " +
              pitch + " + ks + ((lane / 8) % 2) * 8);");
    text.line("#pragma unroll");
    text.line("for (int mi = 0; mi < 2; ++mi)");
    text.line("#pragma unroll");
    text.line("  for (int nj = 0; nj < 4; ++nj)");
    text.line("    " + mmaName + "(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);");
    text.close();
    break;
  }
  case Compute::MmaTf32:
    // Fragments as the ISA lays them out (groupID = lane / 4, threadID =
    // lane % 4), each operand rounded to tf32.
    text.line("#pragma unroll");
    text.open("for (int ks = 0; ks < " + tileK + "; ks += 8)");
    text.line("const int group = lane / 4, member = lane % 4;");
    text.line("unsigned a[2][4], b[4][2];");
    text.line("#pragma unroll");
    text.open("for (int mi = 0; mi < 2; ++mi)");
    text.line("const int r = warpRow + mi * 16 + group;");
    text.line("a[mi][0] = deconv_float_to_tf32(tileA[r * " + pitch +
              " + ks + member]);");
    text.line("a[mi][1] = deconv_float_to_tf32(tileA[(r + 8) * " + pitch +
              " + ks + member]);");
    text.line("a[mi][2] = deconv_float_to_tf32(tileA[r * " + pitch +
              " + ks + member + 4]);");
    text.line("a[mi][3] = deconv_float_to_tf32(tileA[(r + 8) * " + pitch +
              " + ks + member + 4]);");
    text.close();
    text.line("#pragma unroll");
    text.open("for (int nj = 0; nj < 4; ++nj)");
    text.line("const int c = warpColumn + nj * 8 + group;");
    text.line("b[nj][0] = deconv_float_to_tf32(tileB[c * " + pitch +
              " + ks + member]);");
    text.line("b[nj][1] = deconv_float_to_tf32(tileB[c * " + pitch +
              " + ks + member + 4]);");
    text.close();
    text.line("#pragma unroll");
    text.line("for (int mi = 0; mi < 2; ++mi)");
    text.line("#pragma unroll");
    text.line("  for (int nj = 0; nj < 4; ++nj)");
    text.line("    deconv_mma_m16n8k8_tf32(acc[mi][nj], a[mi], b[nj], "
              "acc[mi][nj]);");
    text.close();
    break;
  }
  text.line("__syncthreads();");
  text.close();

  // Epilogue: bias, then each output at o = p + S*q. A row is split once
  // (its n and positions), its outputs are then a channel stride apart.
  std::vector<std::string> resultIndex = {"n", "g", "0LL"},
                           resultShape = {
                               batch, CExpressionMath::constant(groups),
                               CExpressionMath::constant(outPerGroup)};
  std::string channelStride = outputSizes.front();
  for (size_t a = 0; a < rank; ++a) {
    std::string suffix = std::to_string(a);
    resultIndex.push_back(
        math.add(phaseNames[a], math.mul("q" + suffix, axes[a].stride)));
    resultShape.push_back(outputSizes[a]);
    if (a > 0)
      channelStride = "(" + channelStride + ") * " + outputSizes[a];
  }
  auto openRow = [&](const std::string &row) {
    text.line("const long long row = " + row + ";");
    text.open("if (row < rows)");
    splitRow("row");
    text.line("const long long rowStart = " +
              linearIndex(resultIndex, resultShape) + ";");
  };
  auto store = [&](const std::string &column, const std::string &accumulator) {
    text.line("const long long co = " + column + ";");
    text.open("if (co < " + CExpressionMath::constant(outPerGroup) + ")");
    text.line("const float value = " + accumulator +
              (hasBias ? " + " + widen(element, "bias[g * " +
                                                    CExpressionMath::constant(
                                                        outPerGroup) +
                                                    " + co]")
                       : "") +
              ";");
    text.line("result[rowStart + co * (" + channelStride +
              ")] = " + narrow(element, "value") + ";");
    text.close();
  };
  if (!mma) {
    text.line("#pragma unroll");
    text.open("for (int i = 0; i < 4; ++i)");
    openRow("rowBase + ty * 4 + i");
    text.line("#pragma unroll");
    text.open("for (int j = 0; j < 4; ++j)");
    store("columnBase + tx * 4 + j", "acc[i][j]");
    text.close();
    text.close();
    text.close();
  } else {
    // Accumulator i of a lane: row group (+8 for i >= 2), column
    // 2 * member + (i & 1), as the ISA lays out C and D.
    text.line("#pragma unroll");
    text.open("for (int mi = 0; mi < 2; ++mi)");
    text.line("#pragma unroll");
    text.open("for (int half = 0; half < 2; ++half)");
    openRow("rowBase + warpRow + mi * 16 + lane / 4 + half * 8");
    text.line("#pragma unroll");
    text.line("for (int nj = 0; nj < 4; ++nj)");
    text.line("#pragma unroll");
    text.open("  for (int j = 0; j < 2; ++j)");
    store("columnBase + warpColumn + nj * 8 + (lane % 4) * 2 + j",
          "acc[mi][nj][half * 2 + j]");
    text.close();
    text.close();
    text.close();
    text.close();
  }

  std::string source;
  llvm::raw_string_ostream os(source);
  os << "// deconv: " << kernel.name << " (strategy: implicit_gemm, "
     << chooseTile(op, options).describe << "), generated from\n// ";
  op->print(os);
  os << "\n#include \"deconv_device.h\"\n\n";
  for (const auto &[macro, dim] : result.inputDimMacros)
    os << "#ifndef " << macro << "\n#error \"" << macro
       << " (a dynamic size) must be defined\"\n#endif\n";
  const TileConfig config = chooseTile(op, options);
  const int64_t sharedA = config.compute == Compute::Ffma
                              ? config.tileK * kTileM
                              : kTileM * config.pitch,
                sharedB = config.compute == Compute::Ffma
                              ? config.tileK * kTileN
                              : kTileN * config.pitch;
  os << "\nextern \"C\" __global__ void __launch_bounds__(" << config.threads
     << ")\n"
     << kernel.name << "(DECONV_GLOBAL(const " << storage
     << ") input, DECONV_GLOBAL(const " << storage << ") weight, "
     << (hasBias ? "DECONV_GLOBAL(const " + storage + ") bias, " : "")
     << "DECONV_GLOBAL(" << storage << ") result) {\n"
     << "  DECONV_SHARED_ARRAY(" << config.sharedType << ", tileA, " << sharedA
     << ");\n"
     << "  DECONV_SHARED_ARRAY(" << config.sharedType << ", tileB, " << sharedB
     << ");\n"
     << text.body << "}\n";
  kernel.source = std::move(source);
  std::vector<StrategyKernel> kernels;
  kernels.push_back(std::move(result));
  return kernels;
}

} // namespace

const KernelStrategy &mlir::deconv::getImplicitGemmStrategy() {
  static const ImplicitGemmStrategy strategy;
  return strategy;
}
