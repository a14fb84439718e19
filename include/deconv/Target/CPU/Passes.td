//===- Passes.td - CPU target passes -----------------------*- tablegen -*-===//

#ifndef DECONV_TARGET_CPU_PASSES_TD
#define DECONV_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def SerializeNestedParallelPass : Pass<"deconv-serialize-nested-parallel", "mlir::ModuleOp"> {
  let summary = "Turn scf.parallel loops nested in another into scf.for";
  let description = [{
    The CPU runs the outermost `scf.parallel` of each nest on threads
    (OpenMP); a parallel loop inside it would open a nested parallel region
    per iteration. This pass makes every `scf.parallel` that has an
    `scf.parallel` ancestor a nest of `scf.for` loops (without reductions,
    which the deconv nests do not have).
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def IntegerDeconvAsFloatsPass : Pass<"deconv-integer-deconv-as-floats", "mlir::ModuleOp"> {
  let summary = "Run integer deconvolutions exactly on the f32 micro-kernels";
  let description = [{
    Rewrites each integer `deconv.grouped_deconv` (one with a `quantization`
    attribute) as float `deconv.grouped_deconv`s of its centered operands
    (`x - zx`, `w - zw[c]`, exact in f32) over slices of its input channels
    small enough that every partial sum stays within 2^24, where f32 sums of
    integers are exact; each slice's sum is converted to i32 and added (the
    whole slices in an `scf.for`, so one float deconvolution is compiled
    however many there are), and one `linalg.generic` requantizes as the op
    defines. The result is the
    integer op's, bit for bit, at the speed of the vector micro-kernels. An
    op whose kernel taps alone could pass the bound is left to the integer
    loop nest.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // DECONV_TARGET_CPU_PASSES_TD
