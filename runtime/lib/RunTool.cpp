//===- RunTool.cpp - what the runtime tools share -------------------------===//

#include "deconv/Runtime/RunTool.h"

#include "deconv/Runtime/Npy.h"
#include "deconv/Runtime/PlanExecutor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace deconv;

bool deconv::takeFlagValue(const std::string &argument, const std::string &flag,
                           std::string &value) {
  if (argument.rfind(flag + "=", 0) != 0)
    return false;
  value = argument.substr(flag.size() + 1);
  return true;
}

int deconv::reportError(const std::string &tool, const std::string &message) {
  std::fprintf(stderr, "%s: %s\n", tool.c_str(), message.c_str());
  return 1;
}

StatusOr<std::vector<HostTensor>>
deconv::loadInputs(const RunOptions &options) {
  std::vector<HostTensor> inputs;
  for (size_t index = 0; index < options.inputs.size(); ++index) {
    const std::string &argument = options.inputs[index];
    StatusOr<HostTensor> tensor = !argument.empty() && argument.front() == '@'
                                      ? readNpyFile(argument.substr(1))
                                      : parseInlineTensor(argument);
    if (!tensor)
      return Status::error("input " + std::to_string(index) + ": " +
                           tensor.message());
    inputs.push_back(std::move(*tensor));
  }
  return inputs;
}

void deconv::printTensor(const HostTensor &tensor) {
  const std::vector<int64_t> &shape = tensor.getShape();
  int64_t index = 0;
  std::function<void(size_t)> print = [&](size_t dim) {
    if (dim == shape.size()) {
      std::printf("%.9g", tensor.getAsDouble(index++));
      return;
    }
    std::printf("[");
    for (int64_t i = 0; i < shape[dim]; ++i) {
      if (i > 0) {
        if (dim + 1 == shape.size())
          std::printf(" ");
        else
          std::printf("\n%*s", static_cast<int>(dim + 1), "");
      }
      print(dim + 1);
    }
    std::printf("]");
  };
  print(0);
  std::printf("\n");
}

int deconv::runAndReport(const std::string &tool, const Runner &runner,
                         const std::vector<HostTensor> &inputs,
                         const RunOptions &options, int64_t macs) {
  std::vector<const HostTensor *> inputPointers;
  for (const HostTensor &input : inputs)
    inputPointers.push_back(&input);
  StatusOr<std::vector<HostTensor>> results = runner(inputPointers);
  if (!results)
    return reportError(tool, results.message());
  if (!options.outputs.empty() && options.outputs.size() != results->size())
    return reportError(
        tool, "the function has " + std::to_string(results->size()) +
                  " results, got " + std::to_string(options.outputs.size()) +
                  " --output");

  if (options.benchmarkRuns > 0) {
    std::vector<double> milliseconds;
    for (unsigned run = 0; run < options.benchmarkRuns; ++run) {
      auto start = std::chrono::steady_clock::now();
      StatusOr<std::vector<HostTensor>> timed = runner(inputPointers);
      auto stop = std::chrono::steady_clock::now();
      if (!timed)
        return reportError(tool, timed.message());
      milliseconds.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(milliseconds.begin(), milliseconds.end());
    double median = milliseconds[milliseconds.size() / 2];
    if (milliseconds.size() % 2 == 0)
      median = (median + milliseconds[milliseconds.size() / 2 - 1]) / 2;
    if (macs > 0)
      std::printf("benchmark: %u runs, median %.4f ms, %.2f GFLOP/s (%lld "
                  "useful multiply-adds)\n",
                  options.benchmarkRuns, median,
                  2.0 * static_cast<double>(macs) / (median * 1e6),
                  static_cast<long long>(macs));
    else
      std::printf("benchmark: %u runs, median %.4f ms\n", options.benchmarkRuns,
                  median);
  }

  for (size_t index = 0; index < results->size(); ++index) {
    const HostTensor &result = (*results)[index];
    if (!options.outputs.empty()) {
      std::string path = options.outputs[index];
      if (!path.empty() && path.front() == '@')
        path.erase(0, 1);
      if (Status status = writeNpyFile(path, result); !status)
        return reportError(tool, status.message());
      continue;
    }
    std::printf("result %zu: %s\n", index, result.getTypeString().c_str());
    printTensor(result);
  }
  return 0;
}

StatusOr<std::vector<HostTensor>>
deconv::runOverDeviceMemory(PlanExecutor &executor,
                            const std::vector<const HostTensor *> &inputs) {
  std::vector<TensorShape> shapes;
  for (const HostTensor *input : inputs)
    shapes.push_back({input->getElementType(), input->getShape()});
  const Plan &plan = executor.getPlan();
  StatusOr<PlanBinding> binding = bindPlan(plan, shapes);
  if (!binding)
    return binding.status();
  CudaDevice &device = executor.getDevice();
  std::vector<DeviceBuffer> memory;
  std::vector<DeviceTensorRef> inputRefs, outputRefs;
  for (const HostTensor *input : inputs) {
    StatusOr<DeviceBuffer> buffer = device.allocate(input->getSizeInBytes());
    if (!buffer)
      return buffer.status();
    if (Status status = device.copyToDevice(*buffer, input->data(),
                                            input->getSizeInBytes());
        !status)
      return status;
    inputRefs.push_back({buffer->address(), shapes[inputRefs.size()]});
    memory.push_back(std::move(*buffer));
  }
  std::vector<HostTensor> results;
  for (size_t i = 0; i < binding->outputShapes.size(); ++i) {
    results.emplace_back(plan.buffers[plan.outputs[i].buffer].type,
                         binding->outputShapes[i]);
    StatusOr<DeviceBuffer> buffer =
        device.allocate(results.back().getSizeInBytes());
    if (!buffer)
      return buffer.status();
    outputRefs.push_back(
        {buffer->address(),
         {results.back().getElementType(), results.back().getShape()}});
    memory.push_back(std::move(*buffer));
  }
  // The synchronous uploads ran on the legacy default stream, which the
  // run below uses too: they are ordered before it.
  if (Status status = executor.runOnDevice(inputRefs, outputRefs, nullptr);
      !status)
    return status;
  if (Status status = device.synchronize(nullptr); !status)
    return status;
  for (size_t i = 0; i < results.size(); ++i)
    if (Status status =
            device.copyToHost(results[i].data(), outputRefs[i].address,
                              results[i].getSizeInBytes());
        !status)
      return status;
  return results;
}

void deconv::printNotes(const std::string &tool, PlanExecutor &executor) {
  for (const std::string &note : executor.takeNotes())
    std::fprintf(stderr, "%s: note: %s\n", tool.c_str(), note.c_str());
}
