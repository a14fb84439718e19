//===- PlanExecutor.cpp - run a plan on the GPU ---------------------------===//

#include "deconv/Runtime/PlanExecutor.h"

#include "deconv/Runtime/Nvrtc.h"
#include "deconv/Runtime/Sha256.h"
#include "deconv/Runtime/SizeExpression.h"

#include <algorithm>

using namespace deconv;

/// Device tensors must be aligned like this (the fast kernels' vector
/// accesses need it; the CUDA allocators give 256 bytes).
static constexpr uint64_t kDeviceTensorAlignment = 16;

StatusOr<std::unique_ptr<PlanExecutor>>
PlanExecutor::create(Plan plan, KernelCache *cache, CudaBackend backend) {
  StatusOr<std::shared_ptr<CudaDevice>> device = CudaDevice::open(0, backend);
  if (!device)
    return device.status();
  StatusOr<CudaStream> stream = (*device)->createStream();
  if (!stream)
    return stream.status();
  StatusOr<CudaEvent> start = (*device)->createEvent();
  StatusOr<CudaEvent> end = (*device)->createEvent();
  if (!start || !end)
    return !start ? start.status() : end.status();
  return std::unique_ptr<PlanExecutor>(
      new PlanExecutor(std::move(plan), cache ? *cache : KernelCache::global(),
                       std::move(*device), std::move(*stream),
                       std::move(*start), std::move(*end)));
}

/// Bytes of buffer `index` for bound sizes.
static StatusOr<size_t>
getBufferBytes(const Plan &plan, size_t index,
               const std::map<std::string, int64_t> &sizes) {
  const PlanBuffer &buffer = plan.buffers[index];
  int64_t elements = 1;
  for (const std::string &size : buffer.shape) {
    StatusOr<int64_t> value = evaluateSizeExpression(size, sizes);
    if (!value)
      return value.status();
    if (*value < 0 || __builtin_mul_overflow(elements, *value, &elements))
      return Status::error("buffer " + std::to_string(index) + " has size " +
                           std::to_string(*value) + " for these inputs");
  }
  return static_cast<size_t>(elements) * getElementSize(buffer.type);
}

StatusOr<DeviceBuffer> PlanExecutor::uploadConstant(const PlanBuffer &buffer,
                                                    uint32_t index) {
  StatusOr<size_t> bytes = getBufferBytes(plan, index, {});
  if (!bytes)
    return bytes.status();
  StatusOr<DeviceBuffer> allocated = device->allocate(*bytes);
  if (!allocated)
    return allocated;
  // A constant's bytes in one copy; a splat's value repeated through a host
  // chunk of at most 64 MiB, copied as often as the tensor needs (a splat
  // of gigabytes never exists on the host).
  std::string repeated;
  std::string_view chunk = buffer.data;
  if (buffer.kind == PlanBuffer::Kind::Splat) {
    repeated.reserve(std::min<size_t>(*bytes, size_t(64) << 20));
    while (repeated.size() + buffer.data.size() <= repeated.capacity())
      repeated += buffer.data;
    chunk = repeated;
  }
  for (size_t done = 0; done < *bytes; done += chunk.size())
    if (Status status = device->copyToDeviceAsync(
            allocated->address() + done, chunk.data(),
            std::min(chunk.size(), *bytes - done), nullptr);
        !status)
      return status;
  // Complete before any run's stream reads it (and the chunk goes with
  // this frame).
  if (Status status = device->synchronize(nullptr); !status)
    return status;
  return allocated;
}

StatusOr<void *> PlanExecutor::loadFunction(const std::string &image,
                                            const std::string &name) {
  std::string digest = sha256Hex(image);
  auto loaded = modules.find(digest);
  if (loaded == modules.end()) {
    StatusOr<CudaModule> module = device->loadModule(image);
    if (!module)
      return module.status();
    loaded = modules.emplace(digest, std::move(*module)).first;
  }
  return loaded->second.getFunction(name);
}

StatusOr<void *>
PlanExecutor::getFunction(const PlanKernel &kernel,
                          const std::vector<std::string> &options) {
  const std::string &arch = device->getArch();
  CudaBackend backend = device->getBackend();
  std::string refusal;
  for (const auto &[cubinArch, code] : kernel.cubins) {
    if (cubinArch != arch || !kernel.macros.empty())
      continue;
    StatusOr<void *> function = loadFunction(code, kernel.name);
    if (function || !isRefusedImage(function.status()))
      return function;
    refusal = function.message();
  }
  StatusOr<std::string> compiled =
      cache.getOrCompile(kernel.source, kernel.name, arch, options, backend);
  if (!compiled)
    return compiled.status();
  StatusOr<void *> function = loadFunction(*compiled, kernel.name);
  if (function) {
    if (!refusal.empty())
      notes.push_back(kernel.name + ": the device refused the plan's " + arch +
                      " CUBIN (" + refusal +
                      "); compiled it again from source for this device");
    return function;
  }
  if (backend != CudaBackend::Gpu || !isRefusedImage(function.status()))
    return function;
  // A driver older than this NVRTC refuses its CUBINs; PTX of an ISA it
  // knows may still load (the driver compiles it).
  StatusOr<std::string> ptx =
      compileToPtx(kernel.source, kernel.name, arch, options);
  if (!ptx)
    return function.status();
  StatusOr<void *> fromPtx = loadFunction(*ptx, kernel.name);
  if (fromPtx)
    notes.push_back(kernel.name + ": the driver refused NVRTC's " + arch +
                    " CUBIN (" + function.message() + "); loaded it as PTX");
  return fromPtx ? fromPtx : function;
}

StatusOr<uint64_t> PlanExecutor::reserve(std::map<uint32_t, DeviceBuffer> &pool,
                                         uint32_t index, size_t bytes) {
  auto held = pool.find(index);
  if (held != pool.end() && held->second.size() >= bytes)
    return held->second.address();
  // The last run may still use the buffer being replaced: wait for its
  // stream, not for the whole device.
  if (held != pool.end() && ranBefore)
    if (Status status = device->synchronize(lastStream); !status)
      return status;
  StatusOr<DeviceBuffer> allocated = device->allocate(bytes);
  if (!allocated)
    return allocated.status();
  return pool.insert_or_assign(index, std::move(*allocated))
      .first->second.address();
}

StatusOr<std::vector<PlanExecutor::Launch>>
PlanExecutor::prepare(const std::map<std::string, int64_t> &sizes,
                      std::vector<uint64_t> &addresses, void *runStream) {
  for (uint32_t b = 0; b < plan.buffers.size(); ++b) {
    if (addresses[b])
      continue;
    const PlanBuffer &buffer = plan.buffers[b];
    if (buffer.kind == PlanBuffer::Kind::Input)
      return Status::error("input " + std::to_string(buffer.input) +
                           " has no device address");
    if (buffer.kind == PlanBuffer::Kind::Constant ||
        buffer.kind == PlanBuffer::Kind::Splat) {
      auto held = constants.find(b);
      if (held == constants.end()) {
        // Uploaded once.
        StatusOr<DeviceBuffer> uploaded = uploadConstant(buffer, b);
        if (!uploaded)
          return uploaded.status();
        held = constants.emplace(b, std::move(*uploaded)).first;
      }
      addresses[b] = held->second.address();
      continue;
    }
    StatusOr<size_t> bytes = getBufferBytes(plan, b, sizes);
    if (!bytes)
      return bytes.status();
    StatusOr<uint64_t> address = reserve(workspace, b, *bytes);
    if (!address)
      return address.status();
    addresses[b] = *address;
  }
  lastStream = runStream;
  ranBefore = true;

  if (geometry.empty() || sizes != geometrySizes) {
    StatusOr<std::vector<Launch>> computed = computeGeometry(sizes);
    if (!computed)
      return computed.status();
    geometry = std::move(*computed);
    geometrySizes = sizes;
  }
  std::vector<Launch> launches = geometry;
  for (size_t i = 0; i < launches.size(); ++i)
    for (uint32_t buffer : plan.steps[i].buffers)
      launches[i].addresses.push_back(addresses[buffer]);
  return launches;
}

StatusOr<std::vector<PlanExecutor::Launch>>
PlanExecutor::computeGeometry(const std::map<std::string, int64_t> &sizes) {
  std::vector<Launch> launches;
  for (const PlanStep &step : plan.steps) {
    const PlanKernel &kernel = plan.kernels[step.kernel];
    std::map<std::string, int64_t> macros;
    std::vector<std::string> options;
    for (const auto &[macro, expression] : kernel.macros) {
      StatusOr<int64_t> value = evaluateSizeExpression(expression, sizes);
      if (!value)
        return value.status();
      macros[macro] = *value;
      options.push_back("-D" + macro + "=" + std::to_string(*value) + "LL");
    }
    void *&function = functions[{step.kernel, options}];
    if (!function) {
      StatusOr<void *> loaded = getFunction(kernel, options);
      if (!loaded)
        return loaded.status();
      function = *loaded;
    }
    Launch launch{function, {}, {}, 0, {}};
    uint32_t *gridDims[3] = {&launch.grid.x, &launch.grid.y, &launch.grid.z};
    for (int d = 0; d < 3; ++d) {
      StatusOr<int64_t> blocks = evaluateSizeExpression(kernel.grid[d], macros);
      if (!blocks)
        return blocks.status();
      if (*blocks < 0 || *blocks > (d == 0 ? 0x7fffffffLL : 65535LL))
        return Status::error(kernel.name + " would launch " +
                             std::to_string(*blocks) +
                             " blocks in grid "
                             "dimension " +
                             std::to_string(d) + " (the limit is " +
                             (d == 0 ? "2^31-1" : "65535") + ")");
      *gridDims[d] = static_cast<uint32_t>(*blocks);
    }
    launch.block = {kernel.block[0], kernel.block[1], kernel.block[2]};
    StatusOr<int64_t> shared =
        evaluateSizeExpression(kernel.sharedBytes, macros);
    if (!shared)
      return shared.status();
    if (*shared < 0 || *shared > device->getMaxSharedMemoryPerBlock())
      return Status::error(
          kernel.name + " needs " + std::to_string(*shared) +
          " bytes of shared memory; " + device->getName() + " allows " +
          std::to_string(device->getMaxSharedMemoryPerBlock()));
    launch.sharedBytes = static_cast<uint32_t>(*shared);
    launches.push_back(std::move(launch));
  }
  return launches;
}

bool PlanExecutor::Launch::operator==(const Launch &other) const {
  return function == other.function && grid.x == other.grid.x &&
         grid.y == other.grid.y && grid.z == other.grid.z &&
         block.x == other.block.x && block.y == other.block.y &&
         block.z == other.block.z && sharedBytes == other.sharedBytes &&
         addresses == other.addresses;
}

Status PlanExecutor::launchAll(const std::vector<Launch> &launches,
                               void *runStream) {
  for (size_t i = 0; i < launches.size(); ++i) {
    const Launch &launch = launches[i];
    // The driver copies the arguments at the launch; it writes none.
    arguments.clear();
    for (const uint64_t &address : launch.addresses)
      arguments.push_back(const_cast<uint64_t *>(&address));
    if (Status status =
            device->launch(launch.function, launch.grid, launch.block,
                           launch.sharedBytes, arguments, runStream);
        !status)
      return Status::error(status.message() + " (" +
                           plan.kernels[plan.steps[i].kernel].name + ")");
  }
  return Status::ok();
}

void PlanExecutor::setUseGraphs(bool enabled) {
  useGraphs = enabled;
  if (!enabled)
    graphs.clear();
}

Status PlanExecutor::capture(const std::vector<Launch> &launches,
                             void *runStream, CudaGraphExec &graph,
                             bool &captured) {
  captured = false;
  if (Status status = device->beginCapture(runStream); !status) {
    // A caller capturing its own stream, say: our launches join its graph.
    notes.push_back("launching kernel by kernel: " + status.message());
    return Status::ok();
  }
  Status launched = launchAll(launches, runStream);
  StatusOr<CudaGraphExec> ended = device->endCapture(runStream);
  if (!launched)
    return launched;
  if (!ended) {
    notes.push_back("launching kernel by kernel: " + ended.message());
    return Status::ok();
  }
  graph = std::move(*ended);
  captured = true;
  return Status::ok();
}

Status PlanExecutor::enqueueSteps(const std::vector<Launch> &launches,
                                  void *runStream) {
  lastRunGraph = false;
  // The legacy and per-thread default streams (0, 1, 2) cannot be captured.
  bool capturable = reinterpret_cast<uintptr_t>(runStream) > 2;
  if (useGraphs && !device->supportsGraphs() && !notedNoGraphs) {
    notes.push_back("launching kernel by kernel: the CUDA driver has no "
                    "graphs");
    notedNoGraphs = true;
  }
  if (!useGraphs || !capturable || !device->supportsGraphs()) {
    ++graphStatistics.directRuns;
    return launchAll(launches, runStream);
  }
  ++graphUses;
  auto entry = std::find_if(graphs.begin(), graphs.end(), [&](auto &held) {
    return held.stream == runStream && held.launches == launches;
  });
  if (entry == graphs.end()) {
    // First sight of this binding: remember it and launch directly.
    if (graphs.size() == kMaxGraphs)
      graphs.erase(
          std::min_element(graphs.begin(), graphs.end(), [](auto &a, auto &b) {
            return a.lastUse < b.lastUse;
          }));
    graphs.push_back({launches, runStream, CudaGraphExec(), false, graphUses});
    ++graphStatistics.directRuns;
    return launchAll(launches, runStream);
  }
  entry->lastUse = graphUses;
  if (!entry->graph && !entry->captureFailed) {
    bool captured = false;
    if (Status status = capture(launches, runStream, entry->graph, captured);
        !status)
      return status;
    entry->captureFailed = !captured;
    graphStatistics.captures += captured;
  }
  if (!entry->graph) {
    ++graphStatistics.directRuns;
    return launchAll(launches, runStream);
  }
  if (Status status = device->launchGraph(entry->graph, runStream); !status)
    return status;
  ++graphStatistics.graphRuns;
  lastRunGraph = true;
  return Status::ok();
}

StatusOr<std::vector<HostTensor>>
PlanExecutor::run(const std::vector<const HostTensor *> &inputs) {
  std::vector<TensorShape> shapes;
  for (const HostTensor *input : inputs)
    shapes.push_back({input->getElementType(), input->getShape()});
  StatusOr<PlanBinding> binding = bindPlan(plan, shapes);
  if (!binding)
    return binding.status();

  // Inputs go into staging buffers kept between runs, on the run's stream.
  void *runStream = stream.get();
  std::vector<uint64_t> addresses(plan.buffers.size(), 0);
  for (uint32_t b = 0; b < plan.buffers.size(); ++b) {
    const PlanBuffer &buffer = plan.buffers[b];
    if (buffer.kind != PlanBuffer::Kind::Input)
      continue;
    const HostTensor &input = *inputs[buffer.input];
    StatusOr<uint64_t> address = reserve(staging, b, input.getSizeInBytes());
    if (!address)
      return address.status();
    addresses[b] = *address;
  }
  StatusOr<std::vector<Launch>> launches =
      prepare(binding->sizes, addresses, runStream);
  if (!launches)
    return launches.status();
  for (uint32_t b = 0; b < plan.buffers.size(); ++b) {
    const PlanBuffer &buffer = plan.buffers[b];
    if (buffer.kind != PlanBuffer::Kind::Input)
      continue;
    const HostTensor &input = *inputs[buffer.input];
    if (Status status = device->copyToDeviceAsync(
            addresses[b], input.data(), input.getSizeInBytes(), runStream);
        !status)
      return status;
  }
  if (Status status = device->record(start, runStream); !status)
    return status;
  if (Status status = enqueueSteps(*launches, runStream); !status)
    return status;
  if (Status status = device->record(end, runStream); !status)
    return status;

  std::vector<HostTensor> results;
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    uint32_t buffer = plan.outputs[i].buffer;
    results.emplace_back(plan.buffers[buffer].type, binding->outputShapes[i]);
    HostTensor &result = results.back();
    if (Status status =
            device->copyToHostAsync(result.data(), addresses[buffer],
                                    result.getSizeInBytes(), runStream);
        !status)
      return status;
  }
  if (Status status = device->synchronize(runStream); !status)
    return status;
  StatusOr<float> milliseconds = device->elapsedMilliseconds(start, end);
  if (!milliseconds)
    return milliseconds.status();
  lastKernelMilliseconds = *milliseconds;
  return results;
}

StatusOr<PlanBinding>
PlanExecutor::checkDeviceTensors(const Plan &plan,
                                 const std::vector<DeviceTensorRef> &inputs,
                                 const std::vector<DeviceTensorRef> &outputs) {
  std::vector<TensorShape> shapes;
  for (const DeviceTensorRef &input : inputs)
    shapes.push_back(input.shape);
  StatusOr<PlanBinding> binding = bindPlan(plan, shapes);
  if (!binding)
    return binding.status();
  const std::vector<std::vector<int64_t>> &outputShapes = binding->outputShapes;
  if (outputs.size() != plan.outputs.size())
    return Status::error("@" + plan.function + " has " +
                         std::to_string(plan.outputs.size()) +
                         " outputs, got " + std::to_string(outputs.size()));
  for (size_t i = 0; i < outputs.size(); ++i) {
    ElementType type = plan.buffers[plan.outputs[i].buffer].type;
    if (outputs[i].shape.type != type ||
        outputs[i].shape.shape != outputShapes[i])
      return Status::error(
          "output " + std::to_string(i) + " is " +
          formatTensorType(outputs[i].shape.type, outputs[i].shape.shape) +
          " but @" + plan.function + " produces " +
          formatTensorType(type, outputShapes[i]) + " for these inputs");
  }
  // Addresses: set, aligned, and no output sharing bytes with another
  // tensor.
  struct Span {
    std::string name;
    uint64_t begin, end;
  };
  std::vector<Span> spans;
  auto add = [&](const char *kind, size_t index,
                 const DeviceTensorRef &tensor) -> Status {
    std::string name = std::string(kind) + " " + std::to_string(index);
    if (!tensor.address)
      return Status::error(name + " has a null device address");
    if (tensor.address % kDeviceTensorAlignment != 0)
      return Status::error(name + " at device address " +
                           std::to_string(tensor.address) + " is not " +
                           std::to_string(kDeviceTensorAlignment) +
                           "-byte aligned");
    int64_t elements = 1;
    for (int64_t size : tensor.shape.shape)
      elements *= size;
    spans.push_back({name, tensor.address,
                     tensor.address + static_cast<uint64_t>(elements) *
                                          getElementSize(tensor.shape.type)});
    return Status::ok();
  };
  for (size_t i = 0; i < inputs.size(); ++i)
    if (Status status = add("input", i, inputs[i]); !status)
      return status;
  for (size_t i = 0; i < outputs.size(); ++i)
    if (Status status = add("output", i, outputs[i]); !status)
      return status;
  for (size_t o = inputs.size(); o < spans.size(); ++o)
    for (size_t other = 0; other < spans.size(); ++other)
      if (other != o && spans[o].begin < spans[other].end &&
          spans[other].begin < spans[o].end)
        return Status::error(spans[o].name + " overlaps " + spans[other].name +
                             " in device memory (outputs must not share "
                             "bytes with any other tensor of the call)");
  return binding;
}

Status PlanExecutor::runOnDevice(const std::vector<DeviceTensorRef> &inputs,
                                 const std::vector<DeviceTensorRef> &outputs,
                                 void *runStream) {
  StatusOr<PlanBinding> binding = checkDeviceTensors(plan, inputs, outputs);
  if (!binding)
    return binding.status();

  // Kernels write an output in place when its buffer is computed and backs
  // no other output; other outputs (an input or constant returned as is, a
  // buffer returned twice) are copied after the kernels.
  std::vector<uint64_t> addresses(plan.buffers.size(), 0);
  for (uint32_t b = 0; b < plan.buffers.size(); ++b)
    if (plan.buffers[b].kind == PlanBuffer::Kind::Input)
      addresses[b] = inputs[plan.buffers[b].input].address;
  std::vector<bool> writtenInPlace(outputs.size(), false);
  for (size_t i = 0; i < outputs.size(); ++i) {
    uint32_t buffer = plan.outputs[i].buffer;
    size_t uses = 0;
    for (const PlanOutput &output : plan.outputs)
      uses += output.buffer == buffer;
    if (plan.buffers[buffer].kind == PlanBuffer::Kind::Intermediate &&
        uses == 1) {
      addresses[buffer] = outputs[i].address;
      writtenInPlace[i] = true;
    }
  }

  StatusOr<std::vector<Launch>> launches =
      prepare(binding->sizes, addresses, runStream);
  if (!launches)
    return launches.status();
  if (Status status = enqueueSteps(*launches, runStream); !status)
    return status;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (writtenInPlace[i])
      continue;
    int64_t elements = 1;
    for (int64_t size : outputs[i].shape.shape)
      elements *= size;
    size_t bytes =
        static_cast<size_t>(elements) * getElementSize(outputs[i].shape.type);
    if (Status status = device->copyOnDevice(outputs[i].address,
                                             addresses[plan.outputs[i].buffer],
                                             bytes, runStream);
        !status)
      return status;
  }
  return Status::ok();
}
