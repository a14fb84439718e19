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
// Once warm (kernels loaded, buffers big enough), a run allocates nothing and
// does not wait on the host between its steps: the launches go out back to
// back. What remains per run is the driver's launch overhead, a few
// microseconds a kernel, which a small layer's kernels may not even take. So
// when a run repeats the launches of an earlier one exactly (same kernels,
// geometry and device addresses, on the same stream), the executor captures
// them into a CUDA graph and from then on replays it with one cuGraphLaunch.
// The policy is "a binding that repeats gets a graph", with no size
// threshold: a replay submits the same kernels with the same parameters, so
// it never costs the GPU more than direct launches, while capturing costs
// about one extra run of host time, paid once and only by bindings that
// recur (the first run of a binding always launches directly, so one-off
// shapes pay nothing). Large layers gain little and lose nothing; small ones
// gain the launch overhead. Host runs qualify whenever the sizes repeat
// (staging and workspace are pooled, so their addresses repeat too);
// runOnDevice qualifies when the caller passes the same pointers and stream.
// The executor keeps the graphs of the last few bindings; any other change
// of sizes or addresses launches directly, then captures if it repeats. A
// driver without graphs, the legacy default stream, or setUseGraphs(false)
// launch directly every time.
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

/// How an executor's runs submitted their kernels.
struct GraphStatistics {
  uint64_t directRuns = 0; ///< Runs that launched kernel by kernel.
  uint64_t captures = 0;   ///< Graphs captured (each then launched).
  uint64_t graphRuns = 0;  ///< Runs that launched a graph.
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
  /// Turns CUDA graphs on (the default) or off; off drops the graphs held.
  void setUseGraphs(bool enabled);
  bool getUseGraphs() const { return useGraphs; }
  /// Whether the last run's kernels went out as one graph launch.
  bool lastRunUsedGraph() const { return lastRunGraph; }
  const GraphStatistics &getGraphStatistics() const { return graphStatistics; }
  /// The most bindings whose graphs are kept (least recently used goes).
  static constexpr size_t kMaxGraphs = 4;

  /// What the executor did that a user may want to know (a CUBIN the driver
  /// refused and what replaced it), oldest first; cleared by takeNotes.
  std::vector<std::string> takeNotes() { return std::move(notes); }

private:
  struct Launch {
    void *function;
    LaunchDims grid, block;
    uint32_t sharedBytes;
    std::vector<uint64_t> addresses;
    bool operator==(const Launch &other) const;
  };
  /// The launches of a binding seen before, and its graph once it repeated.
  struct GraphEntry {
    std::vector<Launch> launches;
    void *stream = nullptr;
    CudaGraphExec graph;
    bool captureFailed = false;
    uint64_t lastUse = 0;
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
  /// Each step's kernel, grid, block and shared memory for these sizes
  /// (no addresses).
  StatusOr<std::vector<Launch>>
  computeGeometry(const std::map<std::string, int64_t> &sizes);
  /// Device memory holding constant or splat buffer `index`, complete on
  /// return.
  StatusOr<DeviceBuffer> uploadConstant(const PlanBuffer &buffer,
                                        uint32_t index);
  /// A pooled device buffer of at least `bytes` for `index` in `pool`.
  StatusOr<uint64_t> reserve(std::map<uint32_t, DeviceBuffer> &pool,
                             uint32_t index, size_t bytes);
  /// The loaded kernel of `kernel` for these sizes.
  StatusOr<void *> getFunction(const PlanKernel &kernel,
                               const std::vector<std::string> &options);
  StatusOr<void *> loadFunction(const std::string &image,
                                const std::string &name);
  Status launchAll(const std::vector<Launch> &launches, void *runStream);
  /// Submits the steps: as a graph when this binding has one or repeats,
  /// else launch by launch.
  Status enqueueSteps(const std::vector<Launch> &launches, void *runStream);
  /// Captures `launches` on `runStream` into `graph`; a failure to capture
  /// is a note (the caller launches directly), a failure to launch an error.
  Status capture(const std::vector<Launch> &launches, void *runStream,
                 CudaGraphExec &graph, bool &captured);

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
  /// The launch geometry of the last sizes seen (addresses left empty), so
  /// a run with the same sizes evaluates no expression.
  std::map<std::string, int64_t> geometrySizes;
  std::vector<Launch> geometry;
  /// Argument slots of the launch in flight, kept to allocate nothing.
  std::vector<void *> arguments;
  /// Declared after the modules: a graph goes before its kernels do.
  std::vector<GraphEntry> graphs;
  uint64_t graphUses = 0;
  bool useGraphs = true, lastRunGraph = false, notedNoGraphs = false;
  GraphStatistics graphStatistics;
  /// The stream of the last run's work: what must finish before a buffer
  /// that run used is replaced.
  void *lastStream = nullptr;
  bool ranBefore = false;
  std::vector<std::string> notes;
};

} // namespace deconv

#endif // DECONV_RUNTIME_PLANEXECUTOR_H
