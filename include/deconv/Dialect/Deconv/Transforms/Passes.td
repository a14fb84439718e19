//===- Passes.td - deconv front-half passes ----------------*- tablegen -*-===//
//
// The front half reduces every `deconv.deconv`, whatever convention it was
// written in, to one canonical `deconv.grouped_deconv`.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_TRANSFORMS_PASSES_TD
#define DECONV_DIALECT_DECONV_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseQuantizedPass : Pass<"deconv-fuse-quantized", "mlir::ModuleOp"> {
  let summary = "Fuse dequantize -> deconv -> quantize into an integer deconvolution";
  let description = [{
    Rewrites `quantize(deconv(dequantize(xq), dequantize(wq), bias))` into
    one `deconv.deconv` over `xq` and `wq` with a `quantization` attribute:
    int8 products summed exactly in i32 with the zero points folded in, and
    one requantization. Fuses only f32 graphs whose input is quantized per
    tensor and whose weight and output are quantized per tensor or per output
    channel, where the float result has no other use and the accumulator
    cannot overflow; anything else is left as written. With
    `symmetric-weights-only` it fuses only layers whose weight is quantized
    symmetrically (i8 with zero points 0, ui8 with 128), which the CUDA
    target's integer GEMM takes.
  }];
  let options = [
    Option<"symmetricWeightsOnly", "symmetric-weights-only", "bool",
           /*default=*/"false",
           "Fuse only layers whose weight is quantized symmetrically">
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def FoldDequantizePass : Pass<"deconv-fold-dequantize", "mlir::ModuleOp"> {
  let summary = "Dequantize constant integer tensors at compile time";
  let description = [{
    Replaces each `deconv.dequantize` whose input is a constant (`dense` or a
    `dense_resource` blob) with a constant of its result, computed as the
    lowering computes it, so a quantized model's int8 weights are
    dequantized once instead of on every run, and reach the deconvolution as
    constants (which the CUDA target packs at compile time). A resource stays
    a resource.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def ResolvePaddingPass : Pass<"deconv-resolve-padding", "mlir::ModuleOp"> {
  let summary = "Resolve every padding convention to canonical crops";
  let description = [{
    Rewrites `padding`, `pre_padding`/`post_padding`, the seven
    `padding_mode` values, `output_padding` and `output_shape` into
    `pre_padding = B` and `post_padding = A - output_padding`, both relative
    to the full scatter (either may be negative), and drops the resolved
    attributes together with the redundant `num_output_maps` and
    `kernel_size`. The crops come from the shape helper, the same code the
    verifier runs.
  }];
}

def NormalizeLayoutPass : Pass<"deconv-normalize-layout", "mlir::ModuleOp"> {
  let summary = "Make data channels-first and weights (Cin, Cout/G, K...)";
  let description = [{
    `channels_last` data becomes channels-first through explicit transposes
    of the input and the result; `cin_k_cout` and `cout_k_cin` weights become
    `cin_cout_k`. Constant weights (`arith.constant` with dense or
    `dense_resource` values) are rearranged at compile time; weights given at
    run time get a `linalg.transpose` (and, for `cout_k_cin` with groups, the
    reshapes that regroup channels).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ExpandGroupsPass : Pass<"deconv-expand-groups", "mlir::ModuleOp"> {
  let summary = "Make the group axis explicit: deconv.deconv to deconv.grouped_deconv";
  let description = [{
    Replaces each channels-first, `cin_cout_k` `deconv.deconv` with a
    `deconv.grouped_deconv` over (N, G, Cin/G, ...) data and
    (G, Cin/G, Cout/G, K...) weights, reshaped from and back to the original
    types, so that G = 1, depthwise and everything between are one op.
    Constant weights and biases are reshaped at compile time. Ops in another
    layout are an error: run `-deconv-normalize-layout` first.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // DECONV_DIALECT_DECONV_TRANSFORMS_PASSES_TD
