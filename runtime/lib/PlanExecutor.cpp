//===- PlanExecutor.cpp - run a plan on the GPU ---------------------------===//

#include "deconv/Runtime/PlanExecutor.h"

#include "deconv/Runtime/KernelCache.h"
#include "deconv/Runtime/Sha256.h"
#include "deconv/Runtime/SizeExpression.h"

using namespace deconv;

StatusOr<std::unique_ptr<PlanExecutor>> PlanExecutor::create(Plan plan) {
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
  return std::unique_ptr<PlanExecutor>(
      new PlanExecutor(std::move(plan), std::move(*device), std::move(*stream),
                       std::move(*start), std::move(*end)));
}

StatusOr<std::vector<HostTensor>>
PlanExecutor::run(const std::vector<const HostTensor *> &inputs) {
  if (inputs.size() != plan.inputs.size())
    return Status::error("@" + plan.function + " takes " +
                         std::to_string(plan.inputs.size()) + " inputs, got " +
                         std::to_string(inputs.size()));
  // Bind IN<i>_D<d> and check what the plan fixed.
  std::map<std::string, int64_t> sizes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const PlanTensor &expected = plan.inputs[i];
    const std::vector<int64_t> &shape = inputs[i]->getShape();
    bool agrees = inputs[i]->getElementType() == expected.type &&
                  shape.size() == expected.shape.size();
    for (size_t d = 0; agrees && d < shape.size(); ++d) {
      if (expected.shape[d] != "?")
        agrees = expected.shape[d] == std::to_string(shape[d]);
      sizes["IN" + std::to_string(i) + "_D" + std::to_string(d)] = shape[d];
    }
    if (!agrees) {
      std::vector<int64_t> wanted;
      for (const std::string &size : expected.shape)
        wanted.push_back(size == "?" ? -1 : std::stoll(size));
      return Status::error("input " + std::to_string(i) + " is " +
                           inputs[i]->getTypeString() + " but @" +
                           plan.function + " wants " + formatShape(wanted) +
                           "x" + std::string(getElementTypeName(expected.type)));
    }
  }

  // Shapes, then device buffers: inputs and constants uploaded.
  std::vector<DeviceBuffer> memory;
  for (size_t b = 0; b < plan.buffers.size(); ++b) {
    const PlanBuffer &buffer = plan.buffers[b];
    int64_t elements = 1;
    for (const std::string &size : buffer.shape) {
      StatusOr<int64_t> value = evaluateSizeExpression(size, sizes);
      if (!value)
        return value.status();
      if (*value < 0 || __builtin_mul_overflow(elements, *value, &elements))
        return Status::error("buffer " + std::to_string(b) + " has size " +
                             std::to_string(*value) + " for these inputs");
    }
    size_t bytes = static_cast<size_t>(elements) * getElementSize(buffer.type);
    StatusOr<DeviceBuffer> allocated = device->allocate(bytes);
    if (!allocated)
      return allocated.status();
    if (buffer.kind == PlanBuffer::Kind::Input) {
      if (Status status = device->copyToDevice(
              *allocated, inputs[buffer.input]->data(), bytes);
          !status)
        return status;
    } else if (buffer.kind == PlanBuffer::Kind::Constant) {
      if (Status status =
              device->copyToDevice(*allocated, buffer.data.data(), bytes);
          !status)
        return status;
    }
    memory.push_back(std::move(*allocated));
  }

  // Kernels first get their CUBINs and geometry, then launch back to back on
  // the executor's stream between two events.
  struct Launch {
    void *function;
    uint64_t blocks;
    unsigned threads;
    std::vector<uint64_t> addresses;
  };
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
    std::string cubin;
    for (const auto &[arch, code] : kernel.cubins)
      if (arch == device->getArch() && kernel.macros.empty())
        cubin = code;
    if (cubin.empty()) {
      StatusOr<std::string> compiled = KernelCache::global().getOrCompile(
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
    StatusOr<void *> function = loaded->second.getFunction(kernel.name);
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
      launch.addresses.push_back(memory[buffer].address());
    launches.push_back(std::move(launch));
  }
  if (Status status = device->record(start, stream); !status)
    return status;
  for (size_t i = 0; i < launches.size(); ++i) {
    Launch &launch = launches[i];
    std::vector<void *> arguments;
    for (uint64_t &address : launch.addresses)
      arguments.push_back(&address);
    if (Status status = device->launch(launch.function, launch.blocks,
                                       launch.threads, arguments, &stream);
        !status)
      return Status::error(status.message() + " (" +
                           plan.kernels[plan.steps[i].kernel].name + ")");
  }
  if (Status status = device->record(end, stream); !status)
    return status;
  StatusOr<float> milliseconds = device->elapsedMilliseconds(start, end);
  if (!milliseconds)
    return milliseconds.status();
  lastKernelMilliseconds = *milliseconds;
  if (Status status = device->synchronize(stream); !status)
    return status;

  std::vector<HostTensor> results;
  for (const PlanOutput &output : plan.outputs) {
    std::vector<int64_t> shape;
    for (const std::string &size : output.shape) {
      StatusOr<int64_t> value = evaluateSizeExpression(size, sizes);
      if (!value)
        return value.status();
      shape.push_back(*value);
    }
    HostTensor result(plan.buffers[output.buffer].type, shape);
    if (Status status = device->copyToHost(
            result.data(), memory[output.buffer], result.getSizeInBytes());
        !status)
      return status;
    results.push_back(std::move(result));
  }
  return results;
}
