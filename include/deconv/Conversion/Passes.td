//===- Passes.td - deconv conversions ----------------------*- tablegen -*-===//
//
// Conversions out of the deconv dialect.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_CONVERSION_PASSES_TD
#define DECONV_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def DeconvToLoopsPass : Pass<"deconv-lower-to-loops"> {
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
    values read from the buffers. f16 and bf16 accumulate in f32.

    The outer loops are `scf.parallel`: (n, g, co, phase...) and, inside,
    the positions of the phase. The CPU and CUDA targets both start from it.

    With `channels-innermost` (the CPU's choice) and at least 8 output
    channels per group, the same gather runs with the output channels
    innermost instead: per output position, a row of Cout/G accumulators
    takes each input value times a contiguous row of the weight, rearranged
    to (G, Cin/G, K..., Cout/G) (at compile time for constant weights). That
    inner loop is what vector units want; one thread per output element, the
    default, is what GPUs want.
  }];
  let options = [
    Option<"channelsInnermost", "channels-innermost", "bool", "false",
           "Put the output channels innermost where there are 8 or more per "
           "group (vector CPUs)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

#endif // DECONV_CONVERSION_PASSES_TD
