//===- CpuTarget.h - loop nests on the CPU through LLVM ---------*- C++ -*-===//
//
// The CPU target lowers the same loop nests the CUDA target starts from to
// the LLVM dialect and runs them with LLVM's ORC JIT at -O3, so every machine
// executes the whole pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CPU_CPUTARGET_H
#define DECONV_TARGET_CPU_CPUTARGET_H

#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Status.h"

#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class DialectRegistry;
class ExecutionEngine;
class OpPassManager;
} // namespace mlir

namespace mlir::deconv {

/// Registers the dialects, bufferization models and LLVM translations the
/// CPU pipeline needs.
void registerCpuTargetDialects(DialectRegistry &registry);

/// Front half, loop nests, bufferization, deallocation, LLVM dialect.
void buildCpuLoweringPipeline(OpPassManager &pm);

/// Registers that pipeline as `deconv-lower-to-llvm` (for deconv-opt).
void registerCpuLoweringPipeline();

/// One function of a module, compiled for the host CPU.
class CpuExecutable {
public:
  /// Lowers `module` in place and JIT-compiles `function` from it. Inputs
  /// and results keep the order of the function's signature.
  static ::deconv::StatusOr<std::unique_ptr<CpuExecutable>>
  compile(ModuleOp module, StringRef function);

  ~CpuExecutable();
  CpuExecutable(const CpuExecutable &) = delete;
  CpuExecutable &operator=(const CpuExecutable &) = delete;

  /// Runs on host tensors whose element types and ranks match the signature
  /// (checked); returns the results.
  ::deconv::StatusOr<std::vector<::deconv::HostTensor>>
  run(const std::vector<const ::deconv::HostTensor *> &inputs);

private:
  struct Signature {
    std::vector<std::pair<::deconv::ElementType, int64_t>> inputs, results;
  };
  CpuExecutable(std::unique_ptr<ExecutionEngine> engine, std::string function,
                Signature signature);

  std::unique_ptr<ExecutionEngine> engine;
  std::string function;
  Signature signature;
};

} // namespace mlir::deconv

#endif // DECONV_TARGET_CPU_CPUTARGET_H
