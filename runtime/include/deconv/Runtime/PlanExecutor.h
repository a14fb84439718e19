//===- PlanExecutor.h - run a plan on the GPU -------------------*- C++ -*-===//
//
// Executes a plan with no MLIR: binds the inputs' sizes to the plan's size
// expressions, allocates the buffers, uploads constants and inputs, gets each
// kernel's CUBIN (ahead-of-time for this architecture, else specialized with
// NVRTC through the kernel cache), launches the steps and downloads the
// results.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_PLANEXECUTOR_H
#define DECONV_RUNTIME_PLANEXECUTOR_H

#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Plan.h"

#include <map>
#include <memory>
#include <vector>

namespace deconv {

class PlanExecutor {
public:
  /// Opens the GPU ("no usable CUDA device: ..." without one).
  static StatusOr<std::unique_ptr<PlanExecutor>> create(Plan plan);

  /// Runs the plan; inputs must match its element types, ranks and static
  /// sizes (checked).
  StatusOr<std::vector<HostTensor>>
  run(const std::vector<const HostTensor *> &inputs);

  const std::string &getArch() const { return device->getArch(); }
  /// GPU time of the last run's kernels (events around the launches).
  float getLastKernelMilliseconds() const { return lastKernelMilliseconds; }

private:
  PlanExecutor(Plan plan, std::shared_ptr<CudaDevice> device,
               CudaStream stream, CudaEvent start, CudaEvent end)
      : plan(std::move(plan)), device(std::move(device)),
        stream(std::move(stream)), start(std::move(start)),
        end(std::move(end)) {}

  Plan plan;
  std::shared_ptr<CudaDevice> device;
  CudaStream stream;
  CudaEvent start, end;
  float lastKernelMilliseconds = 0;
  /// Loaded modules by CUBIN digest, so repeated runs load each once.
  std::map<std::string, CudaModule> modules;
};

} // namespace deconv

#endif // DECONV_RUNTIME_PLANEXECUTOR_H
