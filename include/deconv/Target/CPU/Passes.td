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

#endif // DECONV_TARGET_CPU_PASSES_TD
