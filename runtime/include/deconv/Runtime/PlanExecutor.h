//===- PlanExecutor.h - run a plan on the GPU -------------------*- C++ -*-===//
//
// Executes a plan with no MLIR: binds the inputs' sizes to the plan's size
// expressions, gets each kernel's CUBIN (ahead-of-time for this
// architecture, else specialized with NVRTC through the kernel cache) and
// launches the steps. Inputs and results are host tensors (copied in and
// out) or tensors already in device memory (no copies: the kernels read and
// write them on the caller's stream).
//
// Constants are uploaded on the first run and intermediate buffers are kept
// as a workspace between runs, so an executor runs one call at a time: runs
// on different streams must not overlap (TensorRT's rule for an execution
// context).
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_PLANEXECUTOR_H
#define DECONV_RUNTIME_PLANEXECUTOR_H

#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/KernelCache.h"
#include "deconv/Runtime/Plan.h"

#include <map>
#include <memory>
#include <vector>

namespace deconv {

/// A tensor in the memory of the executor's device, row-major.
struct DeviceTensorRef {
  uint64_t address = 0;
  TensorShape shape;
};

class PlanExecutor {
public:
  /// Opens the GPU ("no usable CUDA device: ..." without one). Kernels the
  /// plan holds no CUBIN for are compiled through `cache` (null: the
  /// process-wide cache), which must outlive the executor.
  static StatusOr<std::unique_ptr<PlanExecutor>>
  create(Plan plan, KernelCache *cache = nullptr);

  /// Runs the plan on host tensors and returns the results; inputs must
  /// match its element types, ranks and static sizes (checked).
  StatusOr<std::vector<HostTensor>>
  run(const std::vector<const HostTensor *> &inputs);

  /// Enqueues the plan on `stream` (a CUstream or cudaStream_t of this
  /// device's primary context; null: the default stream) over device
  /// tensors: each output must have exactly the shape the plan computes for
  /// these inputs. Returns once the work is enqueued.
  Status runOnDevice(const std::vector<DeviceTensorRef> &inputs,
                     const std::vector<DeviceTensorRef> &outputs,
                     void *stream);

  /// The checks runOnDevice makes before touching the GPU: inputs against
  /// the plan, outputs against the shapes it computes for them, no null
  /// addresses. Returns the binding.
  static StatusOr<PlanBinding>
  checkDeviceTensors(const Plan &plan,
                     const std::vector<DeviceTensorRef> &inputs,
                     const std::vector<DeviceTensorRef> &outputs);

  const Plan &getPlan() const { return plan; }
  const std::string &getArch() const { return device->getArch(); }
  /// GPU time of the last host run's kernels (events around the launches).
  float getLastKernelMilliseconds() const { return lastKernelMilliseconds; }

private:
  struct Launch {
    void *function;
    uint64_t blocks;
    unsigned threads;
    std::vector<uint64_t> addresses;
  };

  PlanExecutor(Plan plan, KernelCache &cache,
               std::shared_ptr<CudaDevice> device, CudaStream stream,
               CudaEvent start, CudaEvent end)
      : plan(std::move(plan)), cache(cache), device(std::move(device)),
        stream(std::move(stream)), start(std::move(start)),
        end(std::move(end)) {}

  /// Gives every buffer whose address is still 0 one (uploaded constants,
  /// workspace for intermediates), then gets each step's kernel ready.
  StatusOr<std::vector<Launch>>
  prepare(const std::map<std::string, int64_t> &sizes,
          std::vector<uint64_t> &addresses);
  /// The loaded kernel of `kernel` for these sizes.
  StatusOr<void *> getFunction(const PlanKernel &kernel,
                               const std::vector<std::string> &options);
  Status launchAll(const std::vector<Launch> &launches, void *rawStream);

  Plan plan;
  KernelCache &cache;
  std::shared_ptr<CudaDevice> device;
  CudaStream stream;
  CudaEvent start, end;
  float lastKernelMilliseconds = 0;
  /// Loaded modules by CUBIN digest, so repeated runs load each once.
  std::map<std::string, CudaModule> modules;
  /// Per buffer: its uploaded constant, or its workspace.
  std::map<uint32_t, DeviceBuffer> constants, workspace;
};

} // namespace deconv

#endif // DECONV_RUNTIME_PLANEXECUTOR_H
