//===- Passes.td - deconv conversions ----------------------*- tablegen -*-===//
//
// Conversions out of the deconv dialect.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_CONVERSION_PASSES_TD
#define DECONV_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def DeconvToLoopsPass : Pass<"deconv-lower-to-loops", "mlir::ModuleOp"> {
  let summary = "Lower deconv.grouped_deconv to loop nests over memrefs";
  let description = [{
    Each `deconv.grouped_deconv` becomes a gather-form loop nest with
    stride-phase decomposition, writing a fresh buffer that the result tensor
    wraps (`bufferization.to_buffer` of the operands, `memref.alloc`, the
    nest, `bufferization.to_tensor`); one-shot bufferization then removes the
    tensors around it.

    Per spatial axis the outputs split into their `S` phases; within a phase
    the taps that reach an output form an arithmetic progression whose start
    and count are fixed by the phase, and whose clipping to the input is
    computed once per output. So the nest multiplies no structurally zero
    tap, tests no modulo per tap, writes each output once with the bias
    fused, and writes bias alone where no tap reaches (zero-extended crops,
    phases without taps). Static sizes are constants; dynamic sizes are SSA
    values read from the buffers. f16 and bf16 accumulate in f32. An
    integer deconvolution (a `quantization` attribute) sums
    `(x - zx) * (w - zw)` in i32 and requantizes each output as
    `deconv.deconv` defines it.

    The outer loops are `scf.parallel`: (n, g, co, phase...) and, inside,
    the positions of the phase, one thread per output element: what the
    CUDA target starts from.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def QuantizationToLinalgPass : Pass<"deconv-lower-quantization", "mlir::ModuleOp"> {
  let summary = "Lower deconv.quantize and deconv.dequantize to "
                "element-wise linalg.generic ops";
  let description = [{
    Each op becomes one `linalg.generic` over its tensor with ONNX's
    arithmetic in f32: `quantize` divides by the scale, rounds half to even
    (`math.roundeven`), adds the zero point and saturates to the integer
    type's range (a NaN becomes the zero point); `dequantize` subtracts the
    zero point and multiplies by the scale, rounding once to the result's
    type. Per-channel scales and zero points are constant vectors indexed by
    the `axis` dimension. `ui8` data is handled as the same bits of `i8`
    (unrealized casts in the body, which the LLVM conversion reconciles).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def DeconvToVectorsPass : Pass<"deconv-lower-to-vectors", "mlir::ModuleOp"> {
  let summary = "Lower deconv.grouped_deconv to register-blocked vector "
                "micro-kernels per stride phase (the CPU's lowering)";
  let description = [{
    Per stride phase the gather form is a GEMM: the positions of the phase
    times the output channels, over (taps of the phase x Cin/G). Each
    `deconv.grouped_deconv` becomes loops over (n, g, phase..., chunk of
    positions), in `scf.parallel`, that run a micro-kernel on tiles of
    `tile-rows` positions x `tile-vectors` vectors of `vector-width` output
    channels: the accumulators stay in vector registers, and each step
    broadcasts one input value and loads one weight vector per
    fused multiply-add.

    Two copies, made by the generated code, keep every load of the kernel
    unconditional: the input, channels-last and zero-padded on every spatial
    axis so that each tap of each phase reads inside it, and the weight,
    repacked to (G, K..., Cin/G, Cout/G rounded up to the vector width) with
    zeros in the padding, so a channel tail multiplies zeros. Both are f32
    whatever the element type (f16 and bf16 accumulate in f32, as
    everywhere). Positions are numbered across the phase, so a tile spans
    rows of a small output; the last tile of a chunk repeats its last
    position instead of reading past the input. A tile reaches the
    channels-first output through a small buffer, where the bias is added;
    phases without taps get the bias alone.

    With fewer than `vector-width` output channels per group (depthwise and
    thin layers) the vector runs along the positions of a phase instead:
    consecutive positions read consecutive inputs, so one vector load per
    tap and input channel feeds `vector-width` outputs.

    That is the phase form. The column form computes one GEMM per (n, g)
    over Cin/G only, from the input and the weight as they are stored, into
    a buffer of columns (positions x Cout/G x taps), and each output then
    sums the columns of its taps. `form=auto` takes it when the batch's input
    positions (N x those of an image) are no more than the op's input
    channels per group (then the columns are no larger than the weight the
    phase form would repack);
    `form=phases` and `form=columns` force one.

    An integer deconvolution (a `quantization` attribute) takes the loop
    nest of `-deconv-lower-to-loops`, whose i32 sums LLVM vectorizes.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "8",
           "f32 lanes of one vector register">,
    Option<"tileRows", "tile-rows", "int64_t", "6",
           "Output positions of a micro-kernel tile">,
    Option<"tileVectors", "tile-vectors", "int64_t", "2",
           "Vectors of output channels of a micro-kernel tile">,
    Option<"form", "form", "std::string", "\"auto\"",
           "phases, columns, or auto: columns where the batch's input "
           "positions are no more than the input channels per group">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // DECONV_CONVERSION_PASSES_TD
