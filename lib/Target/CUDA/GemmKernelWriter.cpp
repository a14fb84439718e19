//===- GemmKernelWriter.cpp - the GEMM main loop of CUDA kernels ----------===//
//
// Each thread loads the same row of A and column of B in every K slice (the
// thread count is a multiple of the tile's width and height), so a strategy
// splits those into indices once, before the loop. Tensor-core tiles keep
// [row][k] shared tiles whose 16-byte rows ldmatrix turns into mma
// fragments (f16/bf16) or whose elements are read in the ISA's fragment
// layout (tf32); FFMA tiles keep [k][row] tiles read as float4.
//
//===----------------------------------------------------------------------===//

#include "GemmKernelWriter.h"

#include "CExpressionMath.h"

#include "deconv/Target/CUDA/QuantizationKernel.h"
#include "deconv/Target/CUDA/TransposeKernel.h"
#include "deconv/Target/RuntimeTypes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::deconv;

void KernelText::line(const std::string &text) {
  body.append(2 * indent, ' ');
  body += text;
  body += '\n';
}

void KernelText::open(const std::string &text) {
  line(text + " {");
  ++indent;
}

void KernelText::close() {
  --indent;
  line("}");
}

std::string mlir::deconv::getStorageType(Type element) {
  return getCudaStorageType(*toRuntimeElementType(element));
}

std::string mlir::deconv::widenToFloat(Type element, const std::string &value) {
  return widenToFloat(*toRuntimeElementType(element), value);
}

std::string mlir::deconv::narrowFromFloat(Type element,
                                          const std::string &value) {
  return narrowFromFloat(*toRuntimeElementType(element), value);
}

std::string mlir::deconv::linearIndex(const std::vector<std::string> &indices,
                                      const std::vector<std::string> &sizes) {
  std::string index = indices.front();
  for (size_t d = 1; d < indices.size(); ++d)
    index = "(" + index + ") * " + sizes[d] + " + " + indices[d];
  return index;
}

StrategyKernel mlir::deconv::startGemmKernel(GroupedDeconvOp op, StringRef name,
                                             StringRef strategy,
                                             const GemmTile &tile) {
  StrategyKernel kernel;
  kernel.kernel.name = name.str();
  kernel.kernel.strategy = strategy.str();
  kernel.kernel.configuration = tile.describe();
  kernel.kernel.block = {tile.threads, 1, 1};
  kernel.kernel.sharedBytes = std::to_string(getGemmSharedBytes(tile));
  kernel.operands = {KernelOperand::Input, KernelOperand::PackedWeight};
  if (op.getBias())
    kernel.operands.push_back(KernelOperand::Bias);
  kernel.operands.push_back(KernelOperand::Result);
  return kernel;
}

PackedWeightLayout mlir::deconv::getPackedWeightLayout(const GemmTile &tile,
                                                       int64_t batches,
                                                       int64_t depth,
                                                       int64_t columns) {
  auto roundUp = [](int64_t value, int64_t multiple) {
    return std::max<int64_t>(1, (value + multiple - 1) / multiple) * multiple;
  };
  PackedWeightLayout layout;
  layout.batches = batches;
  layout.depth = roundUp(depth, tile.depth);
  layout.columns = roundUp(columns, tile.columns);
  layout.depthInner = tile.usesTensorCores();
  return layout;
}

StrategyKernel mlir::deconv::emitWeightPackingKernel(
    GroupedDeconvOp op, StringRef name, StringRef strategy,
    const PackedWeightLayout &layout, HostWeightSource host,
    const DeviceWeightSource &device) {
  const int64_t threads = 256, elements = layout.getElements();
  StrategyKernel kernel;
  kernel.kernel.name = name.str();
  kernel.kernel.strategy = strategy.str();
  kernel.kernel.configuration =
      "weight packing, " + std::to_string(layout.batches) + " x " +
      std::to_string(layout.depth) + " x " + std::to_string(layout.columns);
  kernel.kernel.block = {static_cast<uint32_t>(threads), 1, 1};
  kernel.kernel.grid = {std::to_string((elements + threads - 1) / threads), "1",
                        "1"};
  kernel.operands = {KernelOperand::Weight, KernelOperand::PackedWeight};
  // Element i is (batch, column, k) or (batch, k, column), the last fastest.
  auto split = [layout](int64_t i) {
    int64_t batch = i / (layout.depth * layout.columns),
            rest = i % (layout.depth * layout.columns);
    int64_t inner = layout.depthInner ? layout.depth : layout.columns;
    int64_t k = layout.depthInner ? rest % inner : rest / inner,
            column = layout.depthInner ? rest / inner : rest % inner;
    return std::make_tuple(batch, k, column);
  };
  kernel.packing = WeightPacking{elements, [split, host](int64_t i) {
                                   auto [batch, k, column] = split(i);
                                   return host(batch, k, column);
                                 }};

  auto constant = [](int64_t value) {
    return CExpressionMath::constant(value);
  };
  const std::string inner =
      constant(layout.depthInner ? layout.depth : layout.columns);
  KernelText text;
  text.line("const long long i = (long long)blockIdx.x * " + constant(threads) +
            " + threadIdx.x;");
  text.line("if (i >= " + constant(elements) + ")");
  text.line("  return;");
  text.line("const long long batch = i / " +
            constant(layout.depth * layout.columns) + ";");
  text.line("const long long rest = i % " +
            constant(layout.depth * layout.columns) + ";");
  text.line(std::string("const long long k = rest ") +
            (layout.depthInner ? "%" : "/") + " " + inner + ";");
  text.line(std::string("const long long column = rest ") +
            (layout.depthInner ? "/" : "%") + " " + inner + ";");
  auto [condition, index] = device(text, "batch", "k", "column");
  Type element = op.getWeight().getType().getElementType();
  text.line(getStorageType(element) + " value = 0;");
  text.line("if (" + condition + ")");
  text.line("  value = weight[" + index + "];");
  text.line("packed[i] = value;");

  std::string storage = getStorageType(element), source;
  llvm::raw_string_ostream os(source);
  os << "// deconv: " << kernel.kernel.name << " (strategy: " << strategy
     << ", " << kernel.kernel.configuration << "), generated from\n// ";
  op->print(os);
  os << "\n#include \"deconv_device.h\"\n\nextern \"C\" __global__ void "
        "__launch_bounds__("
     << threads << ")\n"
     << kernel.kernel.name << "(DECONV_GLOBAL(const " << storage
     << ") weight, DECONV_GLOBAL(" << storage << ") packed) {\n"
     << text.body << "}\n";
  kernel.kernel.source = std::move(source);
  return kernel;
}

std::vector<KernelOperand> mlir::deconv::getKernelOperands(GroupedDeconvOp op) {
  std::vector<KernelOperand> operands = {KernelOperand::Input,
                                         KernelOperand::Weight};
  if (op.getBias())
    operands.push_back(KernelOperand::Bias);
  operands.push_back(KernelOperand::Result);
  return operands;
}

IntegerEpilogue mlir::deconv::getIntegerEpilogue(GroupedDeconvOp op) {
  QuantizationAttr quantization = op.getQuantizationAttr();
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  const int64_t channels = weight[0] * weight[2];
  IntegerEpilogue epilogue;
  epilogue.resultType =
      *toRuntimeElementType(op.getResult().getType().getElementType());
  auto perChannel = [&](const std::string &name, ArrayRef<float> values) {
    IntegerEpilogue::PerChannel result;
    if (llvm::all_equal(values)) {
      result.literal = getFloatLiteral(values.front());
      return result;
    }
    std::vector<std::string> entries;
    for (float value : values)
      entries.push_back(getFloatLiteral(value));
    result.table = "deconv_" + name;
    epilogue.tables += "static __device__ const float " + result.table + "[" +
                       std::to_string(channels) + "] = {" +
                       llvm::join(entries, ", ") + "};\n";
    return result;
  };
  Requantization tables = getRequantization(quantization, channels);
  epilogue.multiplier = perChannel("multiplier", tables.multipliers);
  epilogue.outputScale = perChannel("output_scale", tables.outputScales);
  epilogue.outputZeroPoint =
      perChannel("output_zero_point", tables.outputZeroPoints);
  return epilogue;
}

void IntegerEpilogue::requantize(KernelText &text, const std::string &name,
                                 const std::string &accumulator,
                                 const std::string &channel,
                                 const std::string &bias) const {
  // __fmul_rn: the product is rounded before the bias is added, never
  // contracted into an FMA.
  text.line("const float " + name + "Real = __fmul_rn((float)(" + accumulator +
            "), " + multiplier.at(channel) + ")" +
            (bias.empty() ? "" : " + " + bias) + ";");
  for (const std::string &line :
       writeQuantizeToInteger(resultType, name, name + "Real",
                              outputScale.at(channel),
                              outputZeroPoint.at(channel)))
    text.line(line);
}

std::string mlir::deconv::getInputDimension(GroupedDeconvOp op,
                                            StrategyKernel &kernel,
                                            unsigned d) {
  int64_t size = op.getInput().getType().getShape()[d];
  if (!ShapedType::isDynamic(size))
    return CExpressionMath::constant(size);
  std::string macro = "DECONV_INPUT_DIM" + std::to_string(d);
  if (llvm::none_of(kernel.inputDimMacros,
                    [&](const auto &entry) { return entry.first == macro; }))
    kernel.inputDimMacros.emplace_back(macro, d);
  return macro;
}

FailureOr<GemmKernelStart> mlir::deconv::beginGemmKernel(
    const KernelStrategy &strategy, GroupedDeconvOp op, StringRef namePrefix,
    const CudaTargetOptions &options, const GemmShape &shape) {
  if (std::string why = strategy.whyNot(op, options); !why.empty())
    return op.emitOpError("CUDA strategy '")
           << strategy.getName() << "' cannot take this op: " << why;
  std::string error;
  FailureOr<GemmTile> tile = chooseGemmTile(op, options, shape, error);
  if (failed(tile)) // whyNot refuses what has no tile.
    return op.emitOpError(error);

  GemmKernelStart start;
  start.axes = getPhaseAxes(op);
  ArrayRef<int64_t> weight = op.getWeight().getType().getShape();
  start.groups = weight[0];
  start.inPerGroup = weight[1];
  start.outPerGroup = weight[2];
  start.element = op.getResult().getType().getElementType();
  start.hasBias = static_cast<bool>(op.getBias());
  start.tile = *tile;
  start.result = startGemmKernel(op, namePrefix, strategy.getName(), *tile);
  CExpressionMath math;
  start.batch = getInputDimension(op, start.result, 0);
  for (size_t a = 0; a < start.axes.size(); ++a) {
    start.inputSizes.push_back(getInputDimension(op, start.result, 3 + a));
    start.outputSizes.push_back(
        computeOutputSize(math, start.axes[a], start.inputSizes[a]));
  }
  return start;
}

void mlir::deconv::frameKernelSource(GroupedDeconvOp op, StrategyKernel &kernel,
                                     StringRef launchBounds, StringRef prologue,
                                     StringRef body, StringRef declarations) {
  auto storage = [](Value value) {
    return getStorageType(cast<ShapedType>(value.getType()).getElementType());
  };
  std::string source;
  llvm::raw_string_ostream os(source);
  os << "// deconv: " << kernel.kernel.name
     << " (strategy: " << kernel.kernel.strategy << ", "
     << kernel.kernel.configuration << "), generated from\n// ";
  op->print(os);
  os << "\n#include \"deconv_device.h\"\n\n";
  for (const auto &[macro, dim] : kernel.inputDimMacros)
    os << "#ifndef " << macro << "\n#error \"" << macro
       << " (a dynamic size) must be defined\"\n#endif\n";
  os << declarations << "\nextern \"C\" __global__ void __launch_bounds__("
     << launchBounds << ")\n"
     << kernel.kernel.name << "(DECONV_GLOBAL(const " << storage(op.getInput())
     << ") input, DECONV_GLOBAL(const " << storage(op.getWeight())
     << ") weight, "
     << (op.getBias()
             ? "DECONV_GLOBAL(const " + storage(op.getBias()) + ") bias, "
             : "")
     << "DECONV_GLOBAL(" << storage(op.getResult()) << ") result) {\n"
     << prologue << body << "}\n";
  kernel.kernel.source = std::move(source);
}

void mlir::deconv::finishGemmKernel(GroupedDeconvOp op, StrategyKernel &kernel,
                                    const GemmTile &tile,
                                    const std::string &body,
                                    StringRef declarations) {
  // One block per SM is enough: without the bound ptxas may trade registers
  // for occupancy and spill the accumulators.
  frameKernelSource(op, kernel, std::to_string(tile.threads) + ", 1",
                    declareGemmTiles(tile), body, declarations);
}

std::string GemmTile::describe() const {
  std::string shape = std::to_string(rows) + "x" + std::to_string(columns) +
                      "x" + std::to_string(depth);
  const std::string pipeline =
      asyncCopies ? ", " + std::to_string(stages) + "-stage cp.async" : "";
  switch (compute) {
  case GemmCompute::Ffma:
    return shape + " ffma" + pipeline;
  case GemmCompute::MmaF16:
    return shape + " mma.sync f16" + pipeline;
  case GemmCompute::MmaBf16:
    return shape + " mma.sync bf16" + pipeline;
  case GemmCompute::MmaTf32:
    return shape + " mma.sync tf32" + pipeline;
  case GemmCompute::MmaS8:
    return shape + " mma.sync s8" + (splitA ? " (input in two halves)" : "") +
           pipeline;
  }
  return shape + pipeline;
}

/// The tile shapes a compute kind comes in, smallest first.
static std::vector<GemmTile> getTileShapes(GemmCompute compute) {
  std::vector<GemmTile> tiles;
  if (compute == GemmCompute::Ffma) {
    GemmTile small; // 16 x 16 threads, 4 x 4 each.
    tiles.push_back(small);
    GemmTile large = small; // 16 x 16 threads, 8 x 8 each.
    large.rows = large.columns = 128;
    large.perThread = 8;
    tiles.push_back(large);
    return tiles;
  }
  // A shared row holds a slice's depth (32 halves or floats, 64 bytes)
  // and a pad (8 halves, 4 floats, 16 bytes) that puts the rows an
  // ldmatrix or a fragment load reads on different banks.
  const bool halves = compute == GemmCompute::MmaF16 ||
                      compute == GemmCompute::MmaBf16,
             bytes = compute == GemmCompute::MmaS8;
  for (auto [warpRows, warpColumns] :
       {std::pair<int64_t, int64_t>{2, 2}, {4, 2}, {4, 4}}) {
    GemmTile tile;
    tile.compute = compute;
    tile.warpRows = warpRows;
    tile.warpColumns = warpColumns;
    tile.rows = 32 * warpRows;
    tile.columns = 32 * warpColumns;
    tile.depth = bytes ? 64 : 32;
    tile.threads = static_cast<uint32_t>(32 * warpRows * warpColumns);
    tile.pitch = bytes ? 80 : halves ? 40 : 36;
    tile.sharedType = bytes    ? "unsigned char"
                      : halves ? "unsigned short"
                               : "float";
    tiles.push_back(tile);
  }
  return tiles;
}

/// The tiles a compute kind comes in on `device`, smallest first.
/// Tensor cores where the data, the policy and the architecture allow.
static GemmCompute chooseCompute(GroupedDeconvOp op,
                                 const CudaTargetOptions &options) {
  Type element = op.getResult().getType().getElementType();
  if (op.isQuantized()) // whyNotIntegerGemm refuses what this cannot take.
    return GemmCompute::MmaS8;
  if (DeviceModel::forArch(options.getTargetArch()).smVersion < 80)
    return GemmCompute::Ffma;
  if (element.isF16())
    return GemmCompute::MmaF16;
  if (element.isBF16())
    return GemmCompute::MmaBf16;
  if (options.precision == CudaPrecision::Tf32)
    return GemmCompute::MmaTf32;
  return GemmCompute::Ffma;
}

/// The tiles of `op`'s compute kind on `device`, smallest first, with the
/// operands' handling and the pipeline's stages.
static std::vector<GemmTile> tilesFor(GroupedDeconvOp op,
                                      const CudaTargetOptions &options,
                                      const DeviceModel &device) {
  std::vector<GemmTile> tiles = getTileShapes(chooseCompute(op, options));
  for (GemmTile &tile : tiles) {
    if (tile.compute == GemmCompute::MmaS8) {
      // whyNotIntegerGemm: the weight is centered; the input may not be.
      Type input = op.getInput().getType().getElementType();
      ArrayRef<int64_t> inputZeroPoint =
          op.getQuantizationAttr().getInputZeroPoint().asArrayRef();
      tile.splitA = !centersIntoInt8(input, inputZeroPoint);
      tile.inputZeroPoint = inputZeroPoint.front();
      tile.flipSignA = !tile.splitA && input.isUnsignedInteger();
      tile.flipSignB =
          op.getWeight().getType().getElementType().isUnsignedInteger();
    }
    tile.asyncCopies = device.smVersion >= 80;
    // Three stages where they fit in the 99 KB of shared memory a block may
    // have on every sm_8x/sm_9x part (sm_86 and sm_89 have no more), else
    // two (the tf32 128x128 tile).
    tile.stages = 2;
    if (tile.asyncCopies && getGemmSharedBytes(tile) / 2 * 3 <= 96 * 1024)
      tile.stages = 3;
  }
  return tiles;
}

static std::string getTileName(const GemmTile &tile) {
  return std::to_string(tile.rows) + "x" + std::to_string(tile.columns);
}

std::vector<std::string>
mlir::deconv::getGemmTileNames(GroupedDeconvOp op,
                               const CudaTargetOptions &options) {
  std::vector<std::string> names;
  for (const GemmTile &tile : getTileShapes(chooseCompute(op, options)))
    names.push_back(getTileName(tile));
  return names;
}

FailureOr<GemmTile>
mlir::deconv::chooseGemmTile(GroupedDeconvOp op,
                             const CudaTargetOptions &options,
                             const GemmShape &shape, std::string &error) {
  DeviceModel device = DeviceModel::forArch(options.getTargetArch());
  std::vector<GemmTile> tiles = tilesFor(op, options, device);
  if (options.tile != "auto") {
    std::string names;
    for (const GemmTile &tile : tiles) {
      std::string name = getTileName(tile);
      if (name == options.tile)
        return tile;
      names += (names.empty() ? "" : ", ") + name;
    }
    error = "no " + options.tile + " tile for " +
            getTileShapes(tiles.front().compute).front().describe() +
            ", only " + names;
    return failure();
  }
  // The largest tile that still gives every SM two blocks.
  for (auto tile = tiles.rbegin(); tile != tiles.rend(); ++tile) {
    int64_t blocks = ((shape.rows + tile->rows - 1) / tile->rows) *
                     ((shape.columns + tile->columns - 1) / tile->columns) *
                     shape.batches;
    if (blocks >= 2 * device.smCount)
      return *tile;
  }
  return tiles.front();
}

/// Modelled time of a GEMM of `columns` x `depth` on `tile` (roofline over
/// the tile's fill).
static double estimateTileSeconds(const GemmTile &tile,
                                  const DeviceModel &device, double usefulMacs,
                                  double bytes, int64_t columns,
                                  int64_t depth) {
  // What a tile does not fill is wasted; what it fills runs at a share of
  // the peak that grows with the tile (fewer shared loads per multiply).
  double fillColumns =
      static_cast<double>(columns) /
      (std::ceil(static_cast<double>(columns) / tile.columns) * tile.columns);
  double fillDepth = std::min(1.0, static_cast<double>(depth) / tile.depth);
  double peak = device.fp32FlopsPerSecond;
  double share = tile.rows >= 128 ? 0.5 : 0.33;
  if (tile.compute == GemmCompute::MmaTf32)
    peak = device.tf32FlopsPerSecond;
  else if (tile.compute == GemmCompute::MmaS8) // Dense int8: twice f16's
    peak = 2 * device.halfFlopsPerSecond /     // rate; a split input
           (tile.splitA ? 3 : 1);              // takes three mma.
  else if (tile.usesTensorCores())
    peak = device.halfFlopsPerSecond;
  if (tile.usesTensorCores())
    share = tile.rows >= 128 ? 0.35 : 0.25;
  double compute = 2.0 * usefulMacs / (share * fillColumns * fillDepth * peak);
  return std::max(compute, bytes / device.memoryBytesPerSecond) +
         device.launchSeconds;
}

double mlir::deconv::estimateGemmSeconds(GroupedDeconvOp op,
                                         const CudaTargetOptions &options,
                                         const DeviceModel &device,
                                         const GemmShape &shape) {
  std::string error;
  FailureOr<GemmTile> tile = chooseGemmTile(op, options, shape, error);
  if (failed(tile)) // whyNot refuses such ops before they are costed.
    return 1e30;
  double seconds = estimateTileSeconds(
      *tile, device, static_cast<double>(countOpMacs(op)),
      static_cast<double>(countOpBytes(op)), shape.columns, shape.depth);
  if (hasConstantWeight(op))
    return seconds;
  // A weight given at run time is packed by a kernel of its own first: it
  // reads the weight and writes about as much.
  int64_t weightBytes =
      op.getResult().getType().getElementType().getIntOrFloatBitWidth() / 8;
  for (int64_t size : op.getWeight().getType().getShape())
    weightBytes *= size;
  return seconds +
         2.0 * static_cast<double>(weightBytes) / device.memoryBytesPerSecond +
         device.launchSeconds;
}

/// Elements of one stage's A and B tiles.
static int64_t tileElementsA(const GemmTile &tile) {
  return tile.usesTensorCores() ? tile.rows * tile.pitch
                                : tile.depth * tile.rows;
}
static int64_t tileElementsB(const GemmTile &tile) {
  return tile.usesTensorCores() ? tile.columns * tile.pitch
                                : tile.depth * tile.columns;
}

static int64_t getSharedElementBytes(const GemmTile &tile) {
  return tile.sharedType == "float"            ? 4
         : tile.sharedType == "unsigned short" ? 2
                                               : 1;
}

int64_t mlir::deconv::getGemmSharedBytes(const GemmTile &tile) {
  // A split input adds a second A tile (the low bits) per stage.
  const int64_t tilesA = tile.splitA ? 2 : 1;
  return tile.stages * (tilesA * tileElementsA(tile) + tileElementsB(tile)) *
         getSharedElementBytes(tile);
}

std::string mlir::deconv::declareGemmTiles(const GemmTile &tile) {
  // The stages of A and B in dynamic shared memory (the larger tiles need
  // more than the 48 KB a kernel may declare statically).
  return "  DECONV_DYNAMIC_SHARED(" + tile.sharedType + ", tiles);\n";
}

/// Emits the compute of one staged slice.
static void writeSliceCompute(KernelText &text, const GemmTile &tile) {
  const std::string pitch = std::to_string(tile.pitch),
                    depth = std::to_string(tile.depth);
  switch (tile.compute) {
  case GemmCompute::Ffma: {
    // Each thread's P x P outputs: rows ty*P.., columns tx*P.., read as
    // float4s of the [k][row] and [k][column] tiles.
    const int64_t p = tile.perThread;
    const std::string rows = std::to_string(tile.rows),
                      columns = std::to_string(tile.columns),
                      per = std::to_string(p);
    text.line("#pragma unroll");
    text.open("for (int kk = 0; kk < " + depth + "; ++kk)");
    text.line("float as[" + per + "], bs[" + per + "];");
    text.line("#pragma unroll");
    text.open("for (int v = 0; v < " + std::to_string(p / 4) + "; ++v)");
    text.line("const float4 a = deconv_pointer_cast<float4>(tileA + kk * " +
              rows + " + ty * " + per + " + v * 4)[0];");
    text.line("const float4 b = deconv_pointer_cast<float4>(tileB + kk * " +
              columns + " + tx * " + per + " + v * 4)[0];");
    text.line("as[v * 4] = a.x, as[v * 4 + 1] = a.y, as[v * 4 + 2] = a.z, "
              "as[v * 4 + 3] = a.w;");
    text.line("bs[v * 4] = b.x, bs[v * 4 + 1] = b.y, bs[v * 4 + 2] = b.z, "
              "bs[v * 4 + 3] = b.w;");
    text.close();
    text.line("#pragma unroll");
    text.line("for (int i = 0; i < " + per + "; ++i)");
    text.line("#pragma unroll");
    text.line("  for (int j = 0; j < " + per + "; ++j)");
    text.line("    acc[i][j] = fmaf(as[i], bs[j], acc[i][j]);");
    text.close();
    return;
  }
  case GemmCompute::MmaF16:
  case GemmCompute::MmaBf16: {
    // Fragments by ldmatrix: A's 16 x 16 as four 8 x 8 matrices (rows
    // lane % 16, k halves lane / 16), B's 8 x 16 as two (rows lane % 8).
    std::string mma = tile.compute == GemmCompute::MmaF16
                          ? "deconv_mma_m16n8k16_f16"
                          : "deconv_mma_m16n8k16_bf16";
    text.line("#pragma unroll");
    text.open("for (int ks = 0; ks < " + depth + "; ks += 16)");
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
    text.line("    " + mma + "(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);");
    text.close();
    return;
  }
  case GemmCompute::MmaS8: {
    // m16n8k32 fragments are the f16 ones with bytes for halves: ldmatrix
    // gives A's 16 x 32 bytes as four 8 x 16 matrices and B's 8 x 32 as
    // two, each lane four consecutive k of a row per register.
    text.line("#pragma unroll");
    text.open("for (int ks = 0; ks < " + depth + "; ks += 32)");
    text.line(std::string("unsigned a[2][4], ") +
              (tile.splitA ? "low[2][4], " : "") + "b[4][2];");
    const std::string rowA = "(warpRow + mi * 16 + lane % 16) * " + pitch +
                             " + ks + (lane / 16) * 16";
    text.line("#pragma unroll");
    text.open("for (int mi = 0; mi < 2; ++mi)");
    text.line("deconv_ldmatrix_x4(a[mi], tileA + " + rowA + ");");
    if (tile.splitA)
      text.line("deconv_ldmatrix_x4(low[mi], tileLow + " + rowA + ");");
    if (tile.flipSignA)
      text.line("for (int r = 0; r < 4; ++r) a[mi][r] ^= 0x80808080u;");
    text.close();
    text.line("#pragma unroll");
    text.open("for (int nj = 0; nj < 4; ++nj)");
    text.line("deconv_ldmatrix_x2(b[nj], tileB + (warpColumn + nj * 8 + lane "
              "% 8) * " +
              pitch + " + ks + ((lane / 8) % 2) * 16);");
    if (tile.flipSignB)
      text.line("b[nj][0] ^= 0x80808080u, b[nj][1] ^= 0x80808080u;");
    text.close();
    text.line("#pragma unroll");
    text.line("for (int mi = 0; mi < 2; ++mi)");
    text.line("#pragma unroll");
    text.open("  for (int nj = 0; nj < 4; ++nj)");
    text.line(
        "deconv_mma_m16n8k32_s8(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);");
    if (tile.splitA) { // 2 * high + low.
      text.line(
          "deconv_mma_m16n8k32_s8(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);");
      text.line(
          "deconv_mma_m16n8k32_s8(acc[mi][nj], low[mi], b[nj], acc[mi][nj]);");
    }
    text.close();
    text.close();
    return;
  }
  case GemmCompute::MmaTf32:
    // Fragments as the ISA lays them out (groupID = lane / 4, threadID =
    // lane % 4), each operand rounded to tf32.
    text.line("#pragma unroll");
    text.open("for (int ks = 0; ks < " + depth + "; ks += 8)");
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
    return;
  }
}

void mlir::deconv::writeGemmMainLoop(KernelText &text, const GemmTile &tile,
                                     Type element, const GemmOperands &operands,
                                     const PackedWeightLayout &packed) {
  const bool mma = tile.usesTensorCores();
  const std::string rows = std::to_string(tile.rows),
                    columns = std::to_string(tile.columns),
                    depth = std::to_string(tile.depth),
                    threads = std::to_string(tile.threads),
                    pitch = std::to_string(tile.pitch),
                    stages = std::to_string(tile.stages);
  const int64_t sizeA = tileElementsA(tile), sizeB = tileElementsB(tile);
  if (!mma) {
    text.line("const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;");
    text.line("float acc[" + std::to_string(tile.perThread) + "][" +
              std::to_string(tile.perThread) + "] = {};");
  } else {
    // Warps of a 32 x 32 quarter each: 2 x 4 mma tiles of 16 x 8.
    text.line("const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;");
    text.line("const int warpRow = (warp % " + std::to_string(tile.warpRows) +
              ") * 32, warpColumn = (warp / " + std::to_string(tile.warpRows) +
              ") * 32;");
    text.line(
        std::string(tile.compute == GemmCompute::MmaS8 ? "int" : "float") +
        " acc[2][4][4] = {};");
  }
  // Each thread loads the same row of A in every slice.
  text.line("const long long loadRow = rowBase + threadIdx.x % " + rows + ";");
  operands.prepareLoads(text);
  text.line("DECONV_GLOBAL(const " + getStorageType(element) +
            ") const packedB = " + operands.packedB + ";");
  text.line("const long long slices = (depth + " + depth + " - 1) / " + depth +
            ";");

  // How each operand reaches shared memory. cp.async copies bytes, so it
  // takes elements stored as they are computed with: B always on sm_80
  // (packed in the storage type, which is the tiles' type there), A where
  // its elements are floats (cp.async has no 2-byte copy). The rest is
  // loaded into registers a slice ahead and stored after the compute.
  const std::string storage = getStorageType(element);
  const bool asyncB = tile.asyncCopies;
  const bool asyncA =
      tile.asyncCopies && storage == "float" && tile.sharedType == "float";
  // Halves and bytes reach the tiles as stored.
  const bool raw = tile.compute == GemmCompute::MmaF16 ||
                   tile.compute == GemmCompute::MmaBf16 ||
                   tile.compute == GemmCompute::MmaS8;
  auto asShared = [&](const std::string &value) {
    return raw || tile.sharedType == storage ? value
                                             : widenToFloat(element, value);
  };
  auto stageA = [&](const std::string &stage) {
    return "tiles + (" + stage + ") * " + std::to_string(sizeA);
  };
  auto stageB = [&](const std::string &stage) {
    return "tiles + " + std::to_string(tile.stages * sizeA) + " + (" + stage +
           ") * " + std::to_string(sizeB);
  };
  // A split input's low bits, after the stages of B.
  auto stageLow = [&](const std::string &stage) {
    return "tiles + " + std::to_string(tile.stages * (sizeA + sizeB)) + " + (" +
           stage + ") * " + std::to_string(sizeA);
  };
  // Where element (kk, at) of a slice lies in a stage: [k][row] for FFMA,
  // [row][k] rows of `pitch` for tensor cores.
  auto placeA = [&](const std::string &kk, const std::string &at) {
    return mma ? at + " * " + pitch + " + " + kk
               : kk + " * " + rows + " + " + at;
  };
  auto placeB = [&](const std::string &kk, const std::string &at) {
    return mma ? at + " * " + pitch + " + " + kk
               : kk + " * " + columns + " + " + at;
  };
  // Element (k, column) of the block's packed B.
  auto packedAt = [&](const std::string &k, const std::string &column) {
    return packed.depthInner
               ? "(columnBase + " + column + ") * " +
                     std::to_string(packed.depth) + " + " + k
               : "(" + k + ") * " + std::to_string(packed.columns) +
                     " + columnBase + " + column;
  };
  assert(packed.depthInner == mma && "B packed for another tile");

  const int64_t perThreadA = tile.depth * tile.rows / tile.threads,
                perThreadB = tile.depth * tile.columns / tile.threads;
  // A's element kk of the slice at `slice` for this thread's row: emits the
  // set-up and returns (condition, pointer).
  auto locateA = [&](const std::string &slice, const std::string &kk,
                     const auto &use) {
    text.open("if (rowInside && " + slice + " + " + kk + " < depth)");
    auto [condition, pointer] = operands.loadA(text, slice + " + " + kk);
    use(condition, pointer);
    text.close();
  };
  // The cp.async copies of one slice into `stage`.
  auto copySlice = [&](const std::string &slice, const std::string &stage) {
    if (asyncA) {
      text.line("#pragma unroll");
      text.open("for (int s = 0; s < " + std::to_string(perThreadA) + "; ++s)");
      text.line("const int kk = (threadIdx.x + s * " + threads + ") / " + rows +
                ";");
      text.line("auto from = input;");
      text.line("unsigned bytes = 0;"); // Zero-filled outside the input.
      locateA(slice, "kk",
              [&](const std::string &condition, const std::string &pointer) {
                text.open("if (" + condition + ")");
                text.line("from = " + pointer + ";");
                text.line("bytes = 4;");
                text.close();
              });
      text.line("deconv_cp_async(" + stageA(stage) + " + " +
                placeA("kk", "threadIdx.x % " + rows) + ", from, 4, bytes);");
      text.close();
    }
    if (asyncB) {
      // 16-byte chunks of whole rows of the packed matrix.
      const int64_t perChunk = 16 / getSharedElementBytes(tile),
                    chunks = tile.depth * tile.columns / perChunk;
      assert(chunks % tile.threads == 0 && "whole chunks per thread");
      const std::string rowChunks = std::to_string(
          (packed.depthInner ? tile.depth : tile.columns) / perChunk);
      text.line("#pragma unroll");
      text.open("for (int s = 0; s < " + std::to_string(chunks / tile.threads) +
                "; ++s)");
      text.line("const int chunk = threadIdx.x + s * " + threads + ";");
      text.line("const int line = chunk / " + rowChunks + ", part = (chunk % " +
                rowChunks + ") * " + std::to_string(perChunk) + ";");
      std::string kk = packed.depthInner ? "part" : "line",
                  at = packed.depthInner ? "line" : "part";
      text.line("deconv_cp_async(" + stageB(stage) + " + " + placeB(kk, at) +
                ", packedB + " + packedAt(slice + " + " + kk, at) +
                ", 16, 16);");
      text.close();
    }
  };
  // Loads through registers: fetched before a slice's compute, stored to
  // the next stage after it.
  // A ui8 operand's zero is its zero point, 128 (flipped to 0 later).
  const std::string zero = tile.sharedType == "float" ? "0.0f"
                           : tile.flipSignA           ? "128"
                                                      : "0";
  // A split input is fetched centered, as ints, and split when deposited.
  const std::string fetchedTypeA = tile.splitA ? "int" : tile.sharedType;
  if (!asyncA)
    text.line(fetchedTypeA + " fetchedA[" + std::to_string(perThreadA) + "];");
  if (!asyncB)
    text.line(tile.sharedType + " fetchedB[" + std::to_string(perThreadB) +
              "];");
  auto fetch = [&](const std::string &slice) {
    if (!asyncA) {
      text.line("#pragma unroll");
      text.open("for (int s = 0; s < " + std::to_string(perThreadA) + "; ++s)");
      text.line("const int kk = (threadIdx.x + s * " + threads + ") / " + rows +
                ";");
      text.line(fetchedTypeA + " value = " + zero + ";");
      locateA(slice, "kk",
              [&](const std::string &condition, const std::string &pointer) {
                text.line("if (" + condition + ")");
                text.line("  value = " +
                          (tile.splitA ? "(int)(" + pointer + ")[0] - " +
                                             std::to_string(tile.inputZeroPoint)
                                       : asShared("(" + pointer + ")[0]")) +
                          ";");
              });
      text.line("fetchedA[s] = value;");
      text.close();
    }
    if (!asyncB) {
      // The packed matrix is whole tiles: no bounds to check.
      text.line("#pragma unroll");
      text.open("for (int s = 0; s < " + std::to_string(perThreadB) + "; ++s)");
      text.line("const int e = threadIdx.x + s * " + threads + ";");
      text.line("const int kk = e / " + columns + ", at = e % " + columns +
                ";");
      text.line("fetchedB[s] = " +
                asShared("packedB[" + packedAt(slice + " + kk", "at") + "]") +
                ";");
      text.close();
    }
  };
  auto deposit = [&](const std::string &stage) {
    auto depositOne = [&](const std::string &from, int64_t count,
                          const std::string &width, const std::string &base,
                          const auto &place) {
      text.line("#pragma unroll");
      text.open("for (int s = 0; s < " + std::to_string(count) + "; ++s)");
      text.line("const int e = threadIdx.x + s * " + threads + ";");
      text.line("const int kk = e / " + width + ", at = e % " + width + ";");
      text.line(base + "[" + place("kk", "at") + "] = " + from + ";");
      text.close();
    };
    if (!asyncA && tile.splitA) {
      depositOne("(unsigned char)(fetchedA[s] >> 1)", perThreadA, rows,
                 "(" + stageA(stage) + ")", placeA);
      depositOne("(unsigned char)(fetchedA[s] & 1)", perThreadA, rows,
                 "(" + stageLow(stage) + ")", placeA);
    } else if (!asyncA) {
      depositOne("fetchedA[s]", perThreadA, rows, "(" + stageA(stage) + ")",
                 placeA);
    }
    if (!asyncB)
      depositOne("fetchedB[s]", perThreadB, columns, "(" + stageB(stage) + ")",
                 placeB);
  };

  // The pipeline, one barrier a slice. Copies run stages - 1 slices ahead:
  // the wait leaves the newer groups in flight, the barrier makes every
  // thread's copies and stores of this slice visible and ends everyone's
  // compute of the previous slice, whose stage the next copies then refill.
  // Register loads run one slice ahead, stored into a stage last computed
  // two barriers before.
  const bool anyAsync = asyncA || asyncB, anyRegisters = !asyncA || !asyncB;
  if (anyAsync) {
    // A loop kept rolled: the copies' code is long, and NVRTC's time grows
    // with it.
    text.line("#pragma unroll 1");
    text.open("for (int fill = 0; fill < " + std::to_string(tile.stages - 1) +
              "; ++fill)");
    text.open("if (fill < slices)");
    copySlice("fill * " + depth + "LL", "fill");
    text.close();
    text.line("deconv_cp_async_commit();");
    text.close();
  }
  if (anyRegisters) {
    fetch("0LL");
    deposit("0");
  }
  text.open("for (long long slice = 0; slice < slices; ++slice)");
  text.line("const int stage = (int)(slice % " + stages + ");");
  if (anyAsync)
    text.line("deconv_cp_async_wait<" + std::to_string(tile.stages - 2) +
              ">();");
  text.line("__syncthreads();");
  if (anyAsync) {
    const std::string ahead = std::to_string(tile.stages - 1);
    text.open("if (slice + " + ahead + " < slices)");
    copySlice("(slice + " + ahead + ") * " + depth + "LL",
              "(stage + " + ahead + ") % " + stages);
    text.close();
    text.line("deconv_cp_async_commit();");
  }
  if (anyRegisters) {
    text.line("const bool more = slice + 1 < slices;");
    text.open("if (more)");
    fetch("(slice + 1) * " + depth + "LL");
    text.close();
  }
  text.line("DECONV_SHARED_PTR(" + tile.sharedType +
            ") const tileA = " + stageA("stage") + ";");
  text.line("DECONV_SHARED_PTR(" + tile.sharedType +
            ") const tileB = " + stageB("stage") + ";");
  if (tile.splitA)
    text.line("DECONV_SHARED_PTR(" + tile.sharedType +
              ") const tileLow = " + stageLow("stage") + ";");
  writeSliceCompute(text, tile);
  if (anyRegisters) {
    text.open("if (more)");
    deposit("(stage + 1) % " + stages);
    text.close();
  }
  text.close();
  if (anyAsync)
    text.line("deconv_cp_async_wait<0>(); // Only empty groups are left.");

  // The epilogue: each accumulator to its row and column of C.
  if (!mma) {
    const std::string per = std::to_string(tile.perThread);
    text.line("#pragma unroll");
    text.open("for (int i = 0; i < " + per + "; ++i)");
    operands.openRow(text, "rowBase + ty * " + per + " + i");
    text.line("#pragma unroll");
    text.open("for (int j = 0; j < " + per + "; ++j)");
    operands.store(text, "columnBase + tx * " + per + " + j", "acc[i][j]");
    text.close();
    text.close();
    text.close();
    return;
  }
  // Accumulator i of a lane: row group (+8 for i >= 2), column 2 * member +
  // (i & 1), as the ISA lays out C and D.
  text.line("#pragma unroll");
  text.open("for (int mi = 0; mi < 2; ++mi)");
  text.line("#pragma unroll");
  text.open("for (int half = 0; half < 2; ++half)");
  operands.openRow(text, "rowBase + warpRow + mi * 16 + lane / 4 + half * 8");
  text.line("#pragma unroll");
  text.line("for (int nj = 0; nj < 4; ++nj)");
  text.line("#pragma unroll");
  text.open("  for (int j = 0; j < 2; ++j)");
  operands.store(text, "columnBase + warpColumn + nj * 8 + (lane % 4) * 2 + j",
                 "acc[mi][nj][half * 2 + j]");
  text.close();
  text.close();
  text.close();
  text.close();
}
