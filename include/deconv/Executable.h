//===- Executable.h - compile a graph and run it ----------------*- C++ -*-===//
//
// The public compile-and-run API. A network (Network.h) or a module of
// textual `deconv` IR is compiled for the CPU (LLVM's JIT) or for CUDA (a
// plan of NVRTC-compiled kernels, run by the runtime); both run the same
// pipeline as the command-line tools. An executable runs on host tensors,
// and a CUDA one also on tensors in device memory on the caller's stream.
// CUDA executables save to and load from plan files, which the runtime-only
// `deconv-run` also runs on machines without LLVM.
//
// Every failure is a Status with one line: the verifier's message for an
// invalid graph, NVRTC's log for a kernel that does not compile, "no usable
// CUDA device: ..." where there is no GPU. Compiling from several threads at
// once is safe (each compile has its own MLIR context). One executable runs
// one call at a time: concurrent calls wait for each other.
//
// No MLIR or LLVM type appears here.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_EXECUTABLE_H
#define DECONV_EXECUTABLE_H

#include "deconv/Network.h"
#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace deconv {

enum class Target {
  Cpu,  ///< The host CPU through LLVM's JIT.
  Cuda, ///< NVIDIA GPUs: a plan of CUDA kernels.
  /// The same plan and kernels on the host emulator (no GPU needed; slow,
  /// checks every access): for testing and debugging CUDA code.
  CudaEmulator,
  /// Cuda when a GPU opens, else Cpu (chooseTarget; the executable's
  /// getTargetChoice says which and why). Options only the other target
  /// honours are an error rather than dropped: CPU ones (cpuKernel, cpuTile,
  /// cpuThreads, cpuMaxMemoryBytes) when a GPU is found, CUDA ones
  /// (cudaStrategy, cudaTile, Precision::Tf32, tune) when none is.
  Auto,
};

/// How f32 data may be computed on the CUDA targets.
enum class Precision {
  Exact, ///< f32 math for f32 data (f16/bf16 data accumulate in f32).
  Tf32,  ///< TF32 tensor cores where a kernel strategy has them.
};

struct CompileOptions {
  Target target = Target::Cpu;
  /// Cuda: the architecture to compile kernels for ahead of time, e.g.
  /// "sm_90". Empty: the GPU's, when one is usable; else kernels compile
  /// when first run. Kernels with sizes known only at run time always
  /// compile then, once per size, through the kernel cache.
  std::string arch;
  /// Cuda: the kernel cache's directory. Empty: the process-wide cache
  /// (DECONV_KERNEL_CACHE_DIR, else ~/.cache/deconv/kernels).
  std::string kernelCacheDirectory;
  /// compileSource: the function to compile. Empty: @main, else the
  /// module's only function.
  std::string function;
  /// compileSource: the name messages give the text (`NAME:line:col: ...`),
  /// e.g. the file it was read from. Empty: "<source>".
  std::string sourceName;
  /// Cuda: the kernel strategy of every op ("direct", ...), or "auto" for
  /// the cost model's choice per op.
  std::string cudaStrategy = "auto";
  /// Cuda: the block tile of the GEMM strategies, ROWSxCOLUMNS (e.g.
  /// "128x64"), or "auto" for the cost model's. A strategy without that
  /// tile fails the compile with one line naming the tiles it has.
  std::string cudaTile = "auto";
  Precision precision = Precision::Exact;
  /// Cuda, CudaEmulator: time every strategy and tile of each op with static
  /// sizes on the device and keep the fastest, recorded under "tuning" in
  /// the kernel cache's directory so the next compile reuses the choice
  /// (cudaStrategy must be "auto").
  bool tune = false;
  /// Cpu: the threads of one run; 0: the cores, shared among runs that
  /// overlap on several application threads.
  int cpuThreads = 0;
  /// Cpu: the most bytes the results of one run may take; 0: half the
  /// physical memory. A run past it is an error before anything allocates.
  int64_t cpuMaxMemoryBytes = 0;
  /// Cpu: the micro-kernel form of every op: "auto" (chosen per op),
  /// "phases" or "columns" (-deconv-lower-to-vectors).
  std::string cpuKernel = "auto";
  /// Cpu: the micro-kernel tile, LANESxROWSxVECTORS with each from 1 to 64
  /// (e.g. "8x6x2"), or "auto" for the host's.
  std::string cpuTile = "auto";
  /// The dimensions of the inputs to compile for, one list per input: every
  /// size becomes static, checked with the verifier's rules (so that `tune`
  /// times every op). Empty: the signature's, dynamic sizes included.
  std::vector<Dims> staticInputDims;
  /// Receives the compiler's warnings (a tuning record ignored, a tuning
  /// candidate that failed). Unset: they are dropped.
  std::function<void(const std::string &)> onWarning;
};

/// The checks a compile makes on the options alone (the strategy's name,
/// the CPU kernel form and tile, options the target cannot honour), for a
/// caller that wants them before it parses anything.
Status checkCompileOptions(const CompileOptions &options);

/// Where a graph runs, and why.
struct TargetChoice {
  Target target = Target::Cpu; ///< Cpu, Cuda or CudaEmulator; never Auto.
  /// Cuda and CudaEmulator: the device, "NAME, ARCH". Cpu chosen by
  /// Target::Auto: why no GPU was usable ("no usable CUDA device: ...").
  /// Empty for Cpu asked for, and for compiles given an explicit target.
  std::string reason;
};

/// Resolves `requested`: Auto takes the GPU when one opens, else the CPU;
/// Cuda and CudaEmulator open their device (an error when none is usable);
/// Cpu is itself.
StatusOr<TargetChoice> chooseTarget(Target requested);

/// A function argument or result: its name, element type and dimensions
/// (-1 where known only at run time).
struct TensorInfo {
  std::string name;
  ElementType type = ElementType::F32;
  Dims dims;
};

/// A tensor in GPU memory (a CUdeviceptr or a pointer from cudaMalloc, in
/// device 0's primary context, which the CUDA runtime uses), row-major.
struct DeviceTensor {
  uint64_t address = 0;
  ElementType type = ElementType::F32;
  Dims dims;
};

/// A compiled function. Move-only; destroying it frees what it holds.
class Executable {
public:
  Executable(Executable &&) noexcept;
  Executable &operator=(Executable &&) noexcept;
  Executable(const Executable &) = delete;
  Executable &operator=(const Executable &) = delete;
  ~Executable();

  /// Where it runs: Cpu, Cuda or CudaEmulator (Target::Auto resolved).
  Target getTarget() const;
  /// How Target::Auto was resolved, and why; for an explicit target, that
  /// target and no reason.
  const TargetChoice &getTargetChoice() const;
  const std::string &getFunctionName() const;
  const std::vector<TensorInfo> &getInputs() const;
  /// The results, with -1 where a size depends on dynamic inputs.
  const std::vector<TensorInfo> &getOutputs() const;

  /// The results' dimensions for inputs of these dimensions, checked as a
  /// run checks them (a size that would empty an output is an error).
  StatusOr<std::vector<Dims>>
  getOutputDimensions(const std::vector<Dims> &inputDims) const;

  /// Runs on host tensors, one per input in order; returns the results.
  StatusOr<std::vector<HostTensor>>
  run(const std::vector<const HostTensor *> &inputs);

  /// Cuda: runs as a caller holding device memory does (runOnDevice):
  /// uploads the inputs, runs over device memory on the default stream,
  /// synchronizes and downloads the results. A check of the device path
  /// without managing device memory (deconv-run --device-io).
  StatusOr<std::vector<HostTensor>>
  runOverDeviceMemory(const std::vector<const HostTensor *> &inputs);

  /// Cuda: what the runs noted since the last call, oldest first (a kernel
  /// binary the device refused and what replaced it, a graph launched
  /// kernel by kernel). Empty on the CPU.
  std::vector<std::string> takeNotes();

  /// Cuda: enqueues the function on `stream` (a cudaStream_t or CUstream;
  /// null: the default stream) over device tensors. Each output must have
  /// the dimensions getOutputDimensions gives; addresses must be 16-byte
  /// aligned, and no output may overlap another tensor of the call.
  /// Returns once enqueued; the caller synchronizes. Runs on several
  /// streams must not overlap.
  Status runOnDevice(const std::vector<DeviceTensor> &inputs,
                     const std::vector<DeviceTensor> &outputs,
                     void *stream = nullptr);

  /// Cuda: writes the plan (kernels, CUBINs, weights) to `path`.
  Status savePlan(const std::string &path) const;

  struct Impl;

private:
  friend struct ExecutableFactory;
  explicit Executable(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

/// Compiles a network; its function is @main.
StatusOr<Executable> compileNetwork(const NetworkDefinition &network,
                                    const CompileOptions &options = {});

/// Compiles one function of a module in textual `deconv` IR.
StatusOr<Executable> compileSource(std::string_view source,
                                   const CompileOptions &options = {});

/// Loads a plan saved by savePlan or written by deconv-compile; it runs on
/// `target` (Cuda or CudaEmulator). `kernelCacheDirectory` as in
/// CompileOptions.
StatusOr<Executable> loadPlan(const std::string &path,
                              const std::string &kernelCacheDirectory = "",
                              Target target = Target::Cuda);

} // namespace deconv

#endif // DECONV_EXECUTABLE_H
