//===- PlanExecutor.cpp - run a plan on the GPU ---------------------------===//

#include "deconv/Runtime/PlanExecutor.h"

#include "deconv/Runtime/Sha256.h"
#include "deconv/Runtime/SizeExpression.h"

using namespace deconv;

StatusOr<std::unique_ptr<PlanExecutor>>
PlanExecutor::create(Plan plan, KernelCache *cache) {
  StatusOr<std::shared_ptr<CudaDevice>> device = CudaDevice::open();
  if (!device)
    return device.status();
  StatusOr<CudaStream> stream = (*device)->createStream();
  if (!stream)
    return stream.status();
  StatusOr<CudaEvent> start = (*device)->createEvent();
  StatusOr<CudaEvent> end = (*device)->createEvent();
  if (!start || !end)
    return !start ? start.status() : end.status();
  return std::unique_ptr<PlanExecutor>(new PlanExecutor(
      std::move(plan), cache ? *cache : KernelCache::global(),
      std::move(*device), std::move(*stream), std::move(*start),
      std::move(*end)));
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

StatusOr<void *>
PlanExecutor::getFunction(const PlanKernel &kernel,
                          const std::vector<std::string> &options) {
  std::string cubin;
  for (const auto &[arch, code] : kernel.cubins)
    if (arch == device->getArch() && kernel.macros.empty())
      cubin = code;
  if (cubin.empty()) {
    StatusOr<std::string> compiled = cache.getOrCompile(
        kernel.source, kernel.name, device->getArch(), options);
    if (!compiled)
      return compiled.status();
    cubin = std::move(*compiled);
  }
  std::string digest = sha256Hex(cubin);
  auto loaded = modules.find(digest);
  if (loaded == modules.end()) {
    StatusOr<CudaModule> module = device->loadModule(cubin);
    if (!module)
      return module.status();
    loaded = modules.emplace(digest, std::move(*module)).first;
  }
  return loaded->second.getFunction(kernel.name);
}

StatusOr<std::vector<PlanExecutor::Launch>>
PlanExecutor::prepare(const std::map<std::string, int64_t> &sizes,
                      std::vector<uint64_t> &addresses) {
  for (uint32_t b = 0; b < plan.buffers.size(); ++b) {
    if (addresses[b])
      continue;
    const PlanBuffer &buffer = plan.buffers[b];
    StatusOr<size_t> bytes = getBufferBytes(plan, b, sizes);
    if (!bytes)
      return bytes.status();
    if (buffer.kind == PlanBuffer::Kind::Input)
      return Status::error("input " + std::to_string(buffer.input) +
                           " has no device address");
    std::map<uint32_t, DeviceBuffer> &pool =
        buffer.kind == PlanBuffer::Kind::Constant ? constants : workspace;
    auto held = pool.find(b);
    if (held == pool.end() || held->second.size() < *bytes) {
      // Earlier runs may still read the buffer being replaced.
      if (held != pool.end())
        if (Status status = device->synchronize(); !status)
          return status;
      StatusOr<DeviceBuffer> allocated = device->allocate(*bytes);
      if (!allocated)
        return allocated.status();
      if (buffer.kind == PlanBuffer::Kind::Constant)
        if (Status status = device->copyToDevice(
                *allocated, buffer.data.data(), buffer.data.size());
            !status)
          return status;
      held = pool.insert_or_assign(b, std::move(*allocated)).first;
    }
    addresses[b] = held->second.address();
  }

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
    StatusOr<void *> function = getFunction(kernel, options);
    if (!function)
      return function.status();
    StatusOr<int64_t> threads =
        evaluateSizeExpression(kernel.totalThreads, macros);
    if (!threads)
      return threads.status();
    if (*threads < 0)
      return Status::error(kernel.name + " would launch " +
                           std::to_string(*threads) + " threads");
    Launch launch{*function,
                  (static_cast<uint64_t>(*threads) + kernel.blockSize - 1) /
                      kernel.blockSize,
                  kernel.blockSize,
                  {}};
    for (uint32_t buffer : step.buffers)
      launch.addresses.push_back(addresses[buffer]);
    launches.push_back(std::move(launch));
  }
  return launches;
}

Status PlanExecutor::launchAll(const std::vector<Launch> &launches,
                               void *rawStream) {
  for (size_t i = 0; i < launches.size(); ++i) {
    std::vector<uint64_t> addresses = launches[i].addresses;
    std::vector<void *> arguments;
    for (uint64_t &address : addresses)
      arguments.push_back(&address);
    if (Status status =
            device->launch(launches[i].function, launches[i].blocks,
                           launches[i].threads, arguments, rawStream);
        !status)
      return Status::error(status.message() + " (" +
                           plan.kernels[plan.steps[i].kernel].name + ")");
  }
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
  if (Status status = device->makeCurrent(); !status)
    return status;

  // Inputs are uploaded into buffers of this run.
  std::vector<uint64_t> addresses(plan.buffers.size(), 0);
  std::vector<DeviceBuffer> uploaded;
  for (uint32_t b = 0; b < plan.buffers.size(); ++b) {
    const PlanBuffer &buffer = plan.buffers[b];
    if (buffer.kind != PlanBuffer::Kind::Input)
      continue;
    const HostTensor &input = *inputs[buffer.input];
    StatusOr<DeviceBuffer> allocated =
        device->allocate(input.getSizeInBytes());
    if (!allocated)
      return allocated.status();
    if (Status status = device->copyToDevice(*allocated, input.data(),
                                             input.getSizeInBytes());
        !status)
      return status;
    addresses[b] = allocated->address();
    uploaded.push_back(std::move(*allocated));
  }

  StatusOr<std::vector<Launch>> launches = prepare(binding->sizes, addresses);
  if (!launches)
    return launches.status();
  if (Status status = device->record(start, stream); !status)
    return status;
  if (Status status = launchAll(*launches, stream.get()); !status)
    return status;
  if (Status status = device->record(end, stream); !status)
    return status;
  StatusOr<float> milliseconds = device->elapsedMilliseconds(start, end);
  if (!milliseconds)
    return milliseconds.status();
  lastKernelMilliseconds = *milliseconds;
  if (Status status = device->synchronize(stream); !status)
    return status;

  std::vector<HostTensor> results;
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    uint32_t buffer = plan.outputs[i].buffer;
    HostTensor result(plan.buffers[buffer].type, binding->outputShapes[i]);
    if (Status status = device->copyToHost(result.data(), addresses[buffer],
                                           result.getSizeInBytes());
        !status)
      return status;
    results.push_back(std::move(result));
  }
  return results;
}

StatusOr<PlanBinding> PlanExecutor::checkDeviceTensors(
    const Plan &plan, const std::vector<DeviceTensorRef> &inputs,
    const std::vector<DeviceTensorRef> &outputs) {
  std::vector<TensorShape> shapes;
  for (const DeviceTensorRef &input : inputs)
    shapes.push_back(input.shape);
  StatusOr<PlanBinding> binding = bindPlan(plan, shapes);
  if (!binding)
    return binding.status();
  const std::vector<std::vector<int64_t>> &outputShapes =
      binding->outputShapes;
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
    if (!outputs[i].address)
      return Status::error("output " + std::to_string(i) +
                           " has a null device address");
  }
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i].address)
      return Status::error("input " + std::to_string(i) +
                           " has a null device address");
  return binding;
}

Status PlanExecutor::runOnDevice(const std::vector<DeviceTensorRef> &inputs,
                                 const std::vector<DeviceTensorRef> &outputs,
                                 void *rawStream) {
  StatusOr<PlanBinding> binding = checkDeviceTensors(plan, inputs, outputs);
  if (!binding)
    return binding.status();
  if (Status status = device->makeCurrent(); !status)
    return status;

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

  StatusOr<std::vector<Launch>> launches = prepare(binding->sizes, addresses);
  if (!launches)
    return launches.status();
  if (Status status = launchAll(*launches, rawStream); !status)
    return status;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (writtenInPlace[i])
      continue;
    int64_t elements = 1;
    for (int64_t size : outputs[i].shape.shape)
      elements *= size;
    size_t bytes = static_cast<size_t>(elements) *
                   getElementSize(outputs[i].shape.type);
    if (Status status =
            device->copyOnDevice(outputs[i].address,
                                 addresses[plan.outputs[i].buffer], bytes,
                                 rawStream);
        !status)
      return status;
  }
  return Status::ok();
}
