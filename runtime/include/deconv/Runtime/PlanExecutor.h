//===- PlanExecutor.h - run a plan on the GPU -------------------*- C++ -*-===//
//
// Executes a plan with no MLIR: binds the inputs' sizes to the plan's size
// expressions, gets each kernel's CUBIN (ahead-of-time for this
// architecture, else specialized with NVRTC through the kernel cache) and
// launches the steps. Inputs and results are host tensors (copied in and
// out) or tensors already in device memory (no copies: the kernels read and
// write them on the caller's stream).
//
// Constants are uploaded once; input staging buffers and intermediate
// buffers are kept between runs (a workspace that grows only when a run
// needs more, after the previous run's stream finished), so an executor runs
// one call at a time: runs on different streams must not overlap (TensorRT's
// rule for an execution context). Every copy and launch of a run is on one
// stream, so nothing in a run depends on the legacy default stream.
//
// The same executor runs on a GPU or on the host emulator (the device's
// backend).
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
  /// Opens device 0 of `backend` ("no usable CUDA device: ..." without
  /// one). Kernels the plan holds no usable CUBIN for are compiled through
  /// `cache` (null: the process-wide cache), which must outlive the
  /// executor.
  static StatusOr<std::unique_ptr<PlanExecutor>>
  create(Plan plan, KernelCache *cache = nullptr,
         CudaBackend backend = CudaBackend::Gpu);

  /// Runs the plan on host tensors and returns the results; inputs must
  /// match its element types, ranks and static sizes (checked).
  StatusOr<std::vector<HostTensor>>
  run(const std::vector<const HostTensor *> &inputs);

  /// Enqueues the plan on `stream` (a CUstream or cudaStream_t of this
  /// device's primary context; null: the legacy default stream) over device
  /// tensors: each output must have exactly the shape the plan computes for
  /// these inputs. Returns once the work is enqueued.
  Status runOnDevice(const std::vector<DeviceTensorRef> &inputs,
                     const std::vector<DeviceTensorRef> &outputs, void *stream);

  /// The checks runOnDevice makes before touching the GPU: inputs against
  /// the plan, outputs against the shapes it computes for them, addresses
  /// non-null and 16-byte aligned, no output overlapping an input or
  /// another output (the kernels take them __restrict__). Returns the
  /// binding.
  static StatusOr<PlanBinding>
  checkDeviceTensors(const Plan &plan,
                     const std::vector<DeviceTensorRef> &inputs,
                     const std::vector<DeviceTensorRef> &outputs);

  const Plan &getPlan() const { return plan; }
  CudaDevice &getDevice() const { return *device; }
  const std::string &getArch() const { return device->getArch(); }
  /// GPU time of the last host run's kernels (events around the launches).
  float getLastKernelMilliseconds() const { return lastKernelMilliseconds; }
  /// What the executor did that a user may want to know (a CUBIN the driver
  /// refused and what replaced it), oldest first; cleared by takeNotes.
  std::vector<std::string> takeNotes() { return std::move(notes); }

private:
  struct Launch {
    void *function;
    LaunchDims grid, block;
    uint32_t sharedBytes;
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
  /// `runStream` is the stream the run's work goes on.
  StatusOr<std::vector<Launch>>
  prepare(const std::map<std::string, int64_t> &sizes,
          std::vector<uint64_t> &addresses, void *runStream);
  /// A pooled device buffer of at least `bytes` for `index` in `pool`.
  StatusOr<uint64_t> reserve(std::map<uint32_t, DeviceBuffer> &pool,
                             uint32_t index, size_t bytes);
  /// The loaded kernel of `kernel` for these sizes.
  StatusOr<void *> getFunction(const PlanKernel &kernel,
                               const std::vector<std::string> &options);
  StatusOr<void *> loadFunction(const std::string &image,
                                const std::string &name);
  Status launchAll(const std::vector<Launch> &launches, void *runStream);

  Plan plan;
  KernelCache &cache;
  std::shared_ptr<CudaDevice> device;
  CudaStream stream;
  CudaEvent start, end;
  float lastKernelMilliseconds = 0;
  /// Loaded modules by image digest, so repeated runs load each once.
  std::map<std::string, CudaModule> modules;
  /// Each kernel's loaded function by its macro options: a run after the
  /// first looks nothing up and hashes nothing.
  std::map<std::pair<uint32_t, std::vector<std::string>>, void *> functions;
  /// Per buffer: its uploaded constant, its input staging, its workspace.
  std::map<uint32_t, DeviceBuffer> constants, staging, workspace;
  /// The stream of the last run's work: what must finish before a buffer
  /// that run used is replaced.
  void *lastStream = nullptr;
  bool ranBefore = false;
  std::vector<std::string> notes;
};

} // namespace deconv

#endif // DECONV_RUNTIME_PLANEXECUTOR_H
