//===- ImplicitGemmStrategy.cpp - a GEMM per stride phase -----------------===//
//
// The `implicit_gemm` strategy. Per stride phase p a deconvolution is a GEMM:
// M = N x (positions of the phase), Ngemm = Cout/G, K = Cin/G x (taps of the
// phase), with A gathered from the input on the fly (never materialized as
// im2col) and B the taps' weights. One launch covers every group and phase
// (grid z = G x phases); a block computes a 64 x 64 tile of one phase's C in
// 16-deep slices staged through shared memory, 256 threads each holding a
// 4 x 4 register tile, FFMA in f32 (f16/bf16 data are widened on load and
// rounded once on store). A phase without taps has K = 0: its blocks write
// the bias, so bias fills need no launch of their own.
//
// Every phase constant is the expression DeconvPhases.h derives, built over
// CExpressionMath from the phase index the block takes from blockIdx.z.
//
//===----------------------------------------------------------------------===//

#include "CExpressionMath.h"

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"
#include "deconv/Target/CUDA/KernelStrategy.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::deconv;

namespace {

constexpr int64_t kTileM = 64, kTileN = 64, kTileK = 16;
constexpr uint32_t kThreads = 256;

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
    double fillK = std::min(1.0, depth / kTileK);
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
  kernel.block = {kThreads, 1, 1};
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
  text.line("const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;");
  text.line("float acc[4][4] = {};");

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
  auto splitDepth = [&](const std::string &k) {
    text.line("const long long ci = (" + k + ") / tapsAll;");
    text.line("long long tapRest = (" + k + ") % tapsAll;");
    for (size_t a = rank; a-- > 0;) {
      std::string suffix = std::to_string(a);
      text.line("const long long m" + suffix + " = tapRest % taps" + suffix +
                ";");
      text.line("tapRest /= taps" + suffix + ";");
    }
  };

  text.open("for (long long kBase = 0; kBase < depth; kBase += " +
            std::to_string(kTileK) + ")");
  // A: the gathered input, [k][m], consecutive threads on consecutive rows.
  text.open("for (int e = threadIdx.x; e < " + std::to_string(kTileK * kTileM) +
            "; e += " + std::to_string(kThreads) + ")");
  text.line("const long long kk = e / " + std::to_string(kTileM) +
            ", mm = e % " + std::to_string(kTileM) + ";");
  text.line("float value = 0.0f;");
  text.open("if (rowBase + mm < rows && kBase + kk < depth)");
  splitRow("rowBase + mm");
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
  text.line(
      "  value = " +
      widen(element, "input[" + linearIndex(inputIndex, inputShape) + "]") +
      ";");
  text.close();
  text.line("tileA[kk * " + std::to_string(kTileM) + " + mm] = value;");
  text.close();
  // B: the taps' weights, [k][n].
  text.open("for (int e = threadIdx.x; e < " + std::to_string(kTileK * kTileN) +
            "; e += " + std::to_string(kThreads) + ")");
  text.line("const long long kk = e / " + std::to_string(kTileN) +
            ", nn = e % " + std::to_string(kTileN) + ";");
  text.line("float value = 0.0f;");
  text.open("if (columnBase + nn < " + CExpressionMath::constant(outPerGroup) +
            " && kBase + kk < depth)");
  splitDepth("kBase + kk");
  std::vector<std::string> weightIndex = {"g", "ci", "columnBase + nn"};
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
  text.line(
      "value = " +
      widen(element, "weight[" + linearIndex(weightIndex, weightShape) + "]") +
      ";");
  text.close();
  text.line("tileB[kk * " + std::to_string(kTileN) + " + nn] = value;");
  text.close();
  text.line("__syncthreads();");
  // Each thread's 4 x 4 outputs: rows ty*4.., columns tx*4...
  text.open("for (int kk = 0; kk < " + std::to_string(kTileK) + "; ++kk)");
  text.line("const float4 a = deconv_pointer_cast<float4>(tileA + kk * " +
            std::to_string(kTileM) + " + ty * 4)[0];");
  text.line("const float4 b = deconv_pointer_cast<float4>(tileB + kk * " +
            std::to_string(kTileN) + " + tx * 4)[0];");
  text.line("const float as[4] = {a.x, a.y, a.z, a.w}, "
            "bs[4] = {b.x, b.y, b.z, b.w};");
  text.line("for (int i = 0; i < 4; ++i)");
  text.line("  for (int j = 0; j < 4; ++j)");
  text.line("    acc[i][j] = fmaf(as[i], bs[j], acc[i][j]);");
  text.close();
  text.line("__syncthreads();");
  text.close();

  // Epilogue: bias, then each output at o = p + S*q.
  text.open("for (int i = 0; i < 4; ++i)");
  text.line("const long long row = rowBase + ty * 4 + i;");
  text.line("if (row >= rows)");
  text.line("  continue;");
  splitRow("row");
  std::vector<std::string> resultIndex = {"n", "g", "co"},
                           resultShape = {
                               batch, CExpressionMath::constant(groups),
                               CExpressionMath::constant(outPerGroup)};
  for (size_t a = 0; a < rank; ++a) {
    std::string suffix = std::to_string(a);
    resultIndex.push_back(
        math.add(phaseNames[a], math.mul("q" + suffix, axes[a].stride)));
    resultShape.push_back(outputSizes[a]);
  }
  text.open("for (int j = 0; j < 4; ++j)");
  text.line("const long long co = columnBase + tx * 4 + j;");
  text.line("if (co >= " + CExpressionMath::constant(outPerGroup) + ")");
  text.line("  continue;");
  text.line(std::string("const float value = acc[i][j]") +
            (hasBias ? " + " + widen(element, "bias[g * " +
                                                  CExpressionMath::constant(
                                                      outPerGroup) +
                                                  " + co]")
                     : "") +
            ";");
  text.line("result[" + linearIndex(resultIndex, resultShape) +
            "] = " + narrow(element, "value") + ";");
  text.close();
  text.close();

  std::string source;
  llvm::raw_string_ostream os(source);
  os << "// deconv: " << kernel.name
     << " (strategy: implicit_gemm), generated from\n// ";
  op->print(os);
  os << "\n#include \"deconv_device.h\"\n\n";
  for (const auto &[macro, dim] : result.inputDimMacros)
    os << "#ifndef " << macro << "\n#error \"" << macro
       << " (a dynamic size) must be defined\"\n#endif\n";
  os << "\nextern \"C\" __global__ void __launch_bounds__(" << kThreads << ")\n"
     << kernel.name << "(DECONV_GLOBAL(const " << storage
     << ") input, DECONV_GLOBAL(const " << storage << ") weight, "
     << (hasBias ? "DECONV_GLOBAL(const " + storage + ") bias, " : "")
     << "DECONV_GLOBAL(" << storage << ") result) {\n"
     << "  DECONV_SHARED_ARRAY(float, tileA, " << kTileK * kTileM << ");\n"
     << "  DECONV_SHARED_ARRAY(float, tileB, " << kTileK * kTileN << ");\n"
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
