//===- deconv-run.cpp - the runtime-only deconv-run -----------------------===//
//
// deconv-run FILE.plan [--target=auto|cuda|cuda-emulator] --input=@x.npy ...
//            [--output=@y.npy ...] [--benchmark=N] [--device-io]
//
// Runs a plan from deconv-compile on the GPU (or on the host emulator), with
// no LLVM or MLIR in the binary: for GPU servers that only execute. The full
// deconv-run (built with the compiler) also takes .mlir files and runs on
// the CPU. --device-io uploads the inputs itself and runs the plan over
// device memory on the default stream, the path of the C++ API's
// Executable::runOnDevice.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/PlanExecutor.h"
#include "deconv/Runtime/RunTool.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace deconv;

namespace {

const char *const kTool = "deconv-run";

} // namespace

int main(int argc, char **argv) {
  RunOptions options;
  std::string file, value;
  bool deviceIo = false;
  CudaBackend backend = CudaBackend::Gpu;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--help" || argument == "-h") {
      std::printf(
          "deconv-run: runs a plan from deconv-compile on the GPU (this "
          "build has no compiler)\n\n"
          "USAGE: deconv-run FILE.plan --input=@x.npy ... [options]\n\n"
          "  --input=@x.npy|2x3xf32=1 2 ...  one per argument, in order\n"
          "  --output=@y.npy                 one per result, in order "
          "(default: print them)\n"
          "  --benchmark=N                   N timed runs after a warm-up: "
          "the median time\n"
          "  --target=auto|cuda|cuda-emulator  the GPU (auto, cuda) or the "
          "host emulator\n"
          "  --device-io                     upload the inputs and run over "
          "device memory\n");
      return 0;
    }
    if (argument == "--device-io") {
      deviceIo = true;
    } else if (takeFlagValue(argument, "--input", value)) {
      options.inputs.push_back(value);
    } else if (takeFlagValue(argument, "--output", value)) {
      options.outputs.push_back(value);
    } else if (takeFlagValue(argument, "--benchmark", value)) {
      char *end = nullptr;
      long runs = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end || runs < 0 || runs > 1000000)
        return reportError(kTool, "--benchmark needs a number of runs, got '" +
                                      value + "'");
      options.benchmarkRuns = static_cast<unsigned>(runs);
    } else if (takeFlagValue(argument, "--target", value)) {
      if (value == "cpu")
        return reportError(kTool, "this build runs plans on the GPU only; "
                                  "the CPU target needs the compiler build");
      if (value == "cuda-emulator")
        backend = CudaBackend::Emulator;
      else if (value != "auto" && value != "cuda")
        return reportError(kTool, "unknown --target '" + value +
                                      "' (auto, cpu, cuda or cuda-emulator)");
    } else if (argument.rfind("--", 0) == 0) {
      return reportError(kTool, "unknown option '" + argument + "'");
    } else if (file.empty()) {
      file = argument;
    } else {
      return reportError(kTool, "one plan at a time, got '" + file + "' and '" +
                                    argument + "'");
    }
  }
  if (file.empty())
    return reportError(kTool, "usage: deconv-run FILE.plan --input=@x.npy "
                              "... [--output=@y.npy ...] [--benchmark=N] "
                              "[--target=auto|cuda|cuda-emulator] "
                              "[--device-io]");

  StatusOr<Plan> plan = readPlanFile(file);
  if (!plan)
    return reportError(kTool, plan.message());
  if (options.inputs.size() != plan->inputs.size())
    return reportError(
        kTool, "@" + plan->function + " takes " +
                   std::to_string(plan->inputs.size()) + " inputs, got " +
                   std::to_string(options.inputs.size()) + " --input");
  StatusOr<std::vector<HostTensor>> inputs = loadInputs(options);
  if (!inputs)
    return reportError(kTool, inputs.message());
  auto executor = PlanExecutor::create(std::move(*plan), nullptr, backend);
  if (!executor)
    return reportError(kTool, executor.message());
  return runAndReport(
      kTool,
      [&](const std::vector<const HostTensor *> &in) {
        auto results = deviceIo ? runOverDeviceMemory(**executor, in)
                                : (*executor)->run(in);
        printNotes(kTool, **executor);
        return results;
      },
      *inputs, options, /*macs=*/0);
}
