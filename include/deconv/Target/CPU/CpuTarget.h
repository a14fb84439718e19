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
#include "mlir/IR/OwningOpRef.h"

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

/// Choices of the CPU lowering that tests and measurements make.
struct CpuTargetOptions {
  /// The micro-kernel form of every op: "auto" (chosen per op), "phases" or
  /// "columns" (see -deconv-lower-to-vectors).
  std::string kernelForm = "auto";
  /// The micro-kernel tile: f32 lanes of a vector, positions, vectors; 0
  /// takes the host's (see -deconv-lower-to-vectors).
  int64_t vectorWidth = 0, tileRows = 0, tileVectors = 0;
  /// Threads of one run; 0: the cores, shared among runs that overlap.
  int threads = 0;
  /// The most bytes the results of one run may take; 0: half the machine's
  /// physical memory. A run past it is refused before it allocates.
  int64_t maxMemoryBytes = 0;
};

/// Parses a byte count with an optional K, M, G or T suffix (powers of
/// 1024), e.g. 512M; returns an error message, empty on success.
std::string parseByteSize(StringRef text, int64_t &bytes);

/// A byte count for messages: "10.0 GB" (powers of 1024, as the suffixes).
std::string formatByteSize(int64_t bytes);

/// Parses a tile written LANESxROWSxVECTORS (e.g. 8x6x2) into `options`;
/// returns an error message, empty on success.
std::string parseCpuTile(StringRef text, CpuTargetOptions &options);

/// Front half, loop nests, bufferization, deallocation, LLVM dialect.
void buildCpuLoweringPipeline(OpPassManager &pm,
                              const CpuTargetOptions &options = {});

/// Registers that pipeline as `deconv-lower-to-llvm` (for deconv-opt).
void registerCpuLoweringPipeline();

/// One function of a module, compiled for the host CPU.
class CpuExecutable {
public:
  /// Lowers `module` in place and JIT-compiles `function` from it. Inputs
  /// and results keep the order of the function's signature. For functions
  /// with dynamic sizes the executable keeps a copy of the function to check
  /// each run's sizes, so the module's context must outlive it.
  static ::deconv::StatusOr<std::unique_ptr<CpuExecutable>>
  compile(ModuleOp module, StringRef function,
          const CpuTargetOptions &options = {});

  ~CpuExecutable();
  CpuExecutable(const CpuExecutable &) = delete;
  CpuExecutable &operator=(const CpuExecutable &) = delete;

  /// Runs on host tensors; returns the results. Element types, ranks and
  /// static sizes must match the signature, and dynamic sizes must satisfy
  /// the ops' rules (a size that would empty an output is an error), and the
  /// results must fit the memory budget: all checked before any code runs.
  ///
  /// Runs on several application threads at once share the cores: each run
  /// sets its own thread's OpenMP team to the cores divided by the runs in
  /// progress when it starts (or to CpuTargetOptions::threads), so N
  /// callers start about as many threads as there are cores, not N times as
  /// many.
  ::deconv::StatusOr<std::vector<::deconv::HostTensor>>
  run(const std::vector<const ::deconv::HostTensor *> &inputs);

  /// Whether parallel loops run on threads (the build found LLVM's OpenMP
  /// runtime); without it every run is single-threaded.
  static bool runsOnThreads();

  /// The results' shapes for inputs of these element types and shapes,
  /// checked as `run` checks them.
  ::deconv::StatusOr<std::vector<std::vector<int64_t>>>
  getOutputShapes(const std::vector<::deconv::TensorShape> &inputs) const;

private:
  struct Signature {
    /// Element type and shape (negative where dynamic) of each input.
    std::vector<std::pair<::deconv::ElementType, std::vector<int64_t>>> inputs;
    /// Element type and shape (negative where dynamic) of each result.
    std::vector<std::pair<::deconv::ElementType, std::vector<int64_t>>> results;
  };
  CpuExecutable(std::unique_ptr<ExecutionEngine> engine, std::string function,
                Signature signature, OwningOpRef<Operation *> original,
                const CpuTargetOptions &options);

  std::unique_ptr<ExecutionEngine> engine;
  std::string function;
  Signature signature;
  /// The function before lowering, kept when it has dynamic sizes.
  OwningOpRef<Operation *> original;
  int threads;
  int64_t maxMemoryBytes;
};

} // namespace mlir::deconv

#endif // DECONV_TARGET_CPU_CPUTARGET_H
