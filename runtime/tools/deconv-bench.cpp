//===- deconv-bench.cpp - time a plan over rotated device memory ----------===//
//
// deconv-bench FILE.plan [--target=cuda|cuda-emulator] [--runs=N]
//              [--warmup=W] [--rotate-bytes=B] [--samples=S] [--seed=K]
//              [--graphs=on|off]
//
// The GPU benchmark's timer (bench/gpu_benchmark.py; the design's GPU.md,
// section 4): runs a plan with static shapes over device memory the way a
// framework calls it (PlanExecutor::runOnDevice on the caller's stream) and
// prints one line of JSON:
//
//   {"median_ms":..,"min_ms":..,"host_ms":..,"runs":N,"sets":R,
//    "graphs":"on","graph_runs":G,"samples":[[i,v],...]}
//
// --graphs=off makes the executor launch kernel by kernel; on (the default)
// lets it replay a CUDA graph for a binding it has seen before, and
// graph_runs counts the timed calls that did. The two give launch overhead
// with and without graphs. The executor keeps graphs for a few bindings
// only, so with more sets than that every call launches directly:
// --rotate-bytes=0 (one set) times graph replays.
//
// Inputs hold a deterministic pattern that the Python side recomputes on its
// own device, so both sides of a comparison read the same numbers without
// copying tensors between machines: input k, flat index i holds
//
//   ((i * 2654435761 + (seed + k) * 97) mod 2^32) / 2^32 * 2 - 1
//
// rounded to the input's element type. R copies of the inputs and outputs
// ("sets") fill at least --rotate-bytes (by default 256 MiB on a GPU, one
// set on the emulator), and the calls cycle through them, so no call finds
// its operands in the L2 cache (50 MB on an H100) because an earlier call
// left them there. Each timed call sits
// between two events of its own and the host waits only after the last
// one, so while the GPU is the bottleneck the queue stays full and host
// overhead is not counted; host_ms, the median host time of one enqueue,
// says whether that held (when it nears median_ms, the host set the pace).
// The samples are S evenly spaced elements of output 0 of set 0, first and
// last included, read back after the runs for the caller to compare with a
// reference.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/PlanExecutor.h"
#include "deconv/Runtime/RunTool.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace deconv;

namespace {

const char *const kTool = "deconv-bench";

/// Device tensors start on this boundary, as cudaMalloc's do, so no set
/// is slower than another because of its alignment.
constexpr uint64_t kAlignment = 256;

struct Options {
  std::string file;
  CudaBackend backend = CudaBackend::Gpu;
  int64_t runs = 20;
  int64_t warmup = 3;
  /// -1: 256 MiB on a GPU; 0 (one set) on the emulator, which has no L2
  /// to defeat and keeps nine bytes of shadow state per byte.
  int64_t rotateBytes = -1;
  int64_t samples = 64;
  int64_t seed = 0;
  bool graphs = true;
};

/// Parses a decimal integer in [low, high]; anything else (a sign where
/// none belongs, trailing text, overflow) is an error.
Status parseInteger(const std::string &flag, const std::string &value,
                    int64_t low, int64_t high, int64_t &result) {
  bool digits = !value.empty() &&
                std::all_of(value.begin(), value.end(),
                            [](char c) { return c >= '0' && c <= '9'; });
  errno = 0;
  char *end = nullptr;
  long long parsed = digits ? std::strtoll(value.c_str(), &end, 10) : 0;
  if (!digits || errno == ERANGE || *end || parsed < low || parsed > high)
    return Status::error(flag + " needs an integer from " +
                         std::to_string(low) + " to " + std::to_string(high) +
                         ", got '" + value + "'");
  result = parsed;
  return Status::ok();
}

StatusOr<Options> parseOptions(int argc, char **argv) {
  Options options;
  std::string value;
  // Flag, bounds and destination of each numeric option.
  struct Numeric {
    const char *flag;
    int64_t low, high;
    int64_t *into;
  } numerics[] = {
      {"--runs", 1, 1000000, &options.runs},
      {"--warmup", 0, 1000000, &options.warmup},
      {"--rotate-bytes", 0, int64_t(1) << 50, &options.rotateBytes},
      {"--samples", 0, 1000000, &options.samples},
      // Below 2^31, so seed + k and seed * 97 stay exact in every language
      // that recomputes the pattern.
      {"--seed", 0, (int64_t(1) << 31) - 1, &options.seed},
  };
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    bool taken = false;
    for (const Numeric &numeric : numerics) {
      if (!takeFlagValue(argument, numeric.flag, value))
        continue;
      if (Status status = parseInteger(numeric.flag, value, numeric.low,
                                       numeric.high, *numeric.into);
          !status)
        return status;
      taken = true;
    }
    if (taken)
      continue;
    if (takeFlagValue(argument, "--target", value)) {
      if (value == "cuda-emulator")
        options.backend = CudaBackend::Emulator;
      else if (value == "cuda")
        options.backend = CudaBackend::Gpu;
      else
        return Status::error("unknown --target '" + value +
                             "' (cuda or cuda-emulator)");
    } else if (takeFlagValue(argument, "--graphs", value)) {
      if (value != "on" && value != "off")
        return Status::error("unknown --graphs '" + value + "' (on or off)");
      options.graphs = value == "on";
    } else if (argument.rfind("--", 0) == 0) {
      for (const Numeric &numeric : numerics)
        if (argument == numeric.flag)
          return Status::error(argument + " takes its value after '=' (" +
                               argument + "=N)");
      if (argument == "--graphs")
        return Status::error("--graphs takes its value after '=' "
                             "(--graphs=on|off)");
      return Status::error("unknown option '" + argument + "'");
    } else if (options.file.empty()) {
      options.file = argument;
    } else {
      return Status::error("one plan at a time, got '" + options.file +
                           "' and '" + argument + "'");
    }
  }
  if (options.rotateBytes < 0)
    options.rotateBytes =
        options.backend == CudaBackend::Gpu ? int64_t(256) << 20 : 0;
  if (options.file.empty())
    return Status::error(
        "usage: deconv-bench FILE.plan [--target=cuda|cuda-emulator] "
        "[--runs=N] [--warmup=W] [--rotate-bytes=B] [--samples=S] "
        "[--seed=K] [--graphs=on|off]");
  return options;
}

/// The benchmark's input pattern: uniform-looking values in [-1, 1) that
/// any language can recompute from the flat index alone (Knuth's
/// multiplicative hash; 2^32 divides 2^64, so wrapping 64-bit arithmetic
/// gives the same residue).
double patternValue(uint64_t index, uint64_t seed) {
  uint64_t hashed = (index * 2654435761u + seed * 97u) & 0xffffffffu;
  return static_cast<double>(hashed) / 4294967296.0 * 2.0 - 1.0;
}

uint64_t alignUp(uint64_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

/// JSON has no NaN or infinity; Python's json module reads these spellings.
std::string formatDouble(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "Infinity" : "-Infinity";
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", value);
  return text;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle]
                           : (values[middle - 1] + values[middle]) / 2;
}

int run(const Options &options) {
  StatusOr<Plan> plan = readPlanFile(options.file);
  if (!plan)
    return reportError(kTool, plan.message());

  // Static shapes only: the pattern, the sets and the samples need every
  // size, and a benchmark of a dynamic plan would have to invent them.
  std::vector<TensorShape> inputShapes;
  for (size_t k = 0; k < plan->inputs.size(); ++k) {
    TensorShape shape{plan->inputs[k].type, {}};
    for (const std::string &size : plan->inputs[k].shape) {
      std::string which =
          "input " + std::to_string(k) + " of @" + plan->function;
      if (size == "?")
        return reportError(kTool, which + " has a dynamic size; deconv-bench "
                                          "times plans with static shapes "
                                          "only");
      int64_t parsed = 0;
      if (!parseInteger("size", size, 1, int64_t(1) << 40, parsed))
        return reportError(kTool, which + " has the size '" + size +
                                      "', not a number");
      shape.shape.push_back(parsed);
    }
    inputShapes.push_back(std::move(shape));
  }
  StatusOr<PlanBinding> binding = bindPlan(*plan, inputShapes);
  if (!binding)
    return reportError(kTool, binding.message());
  if (binding->outputShapes.empty())
    return reportError(kTool, "@" + plan->function + " has no results");
  std::vector<TensorShape> outputShapes;
  for (size_t i = 0; i < binding->outputShapes.size(); ++i)
    outputShapes.push_back({plan->buffers[plan->outputs[i].buffer].type,
                            binding->outputShapes[i]});

  // One set is the inputs then the outputs, each on an aligned offset. The
  // host image of a set is uploaded whole (zeros where outputs go) so every
  // byte of the device memory is written before a copy reads it.
  std::vector<uint64_t> offsets;
  std::vector<HostTensor> inputs;
  uint64_t setBytes = 0;
  for (size_t k = 0; k < inputShapes.size(); ++k) {
    HostTensor input(inputShapes[k].type, inputShapes[k].shape);
    uint64_t seed = static_cast<uint64_t>(options.seed) + k;
    for (int64_t i = 0, e = input.getNumElements(); i < e; ++i)
      input.setFromDouble(i, patternValue(static_cast<uint64_t>(i), seed));
    offsets.push_back(setBytes);
    setBytes += alignUp(input.getSizeInBytes());
    inputs.push_back(std::move(input));
  }
  std::vector<uint64_t> outputBytes;
  for (const TensorShape &shape : outputShapes) {
    uint64_t elements = 1;
    for (int64_t size : shape.shape)
      elements *= static_cast<uint64_t>(size);
    offsets.push_back(setBytes);
    outputBytes.push_back(elements * getElementSize(shape.type));
    setBytes += alignUp(outputBytes.back());
  }
  setBytes = std::max<uint64_t>(setBytes, kAlignment);
  uint64_t sets = std::max<uint64_t>(
      1,
      (static_cast<uint64_t>(options.rotateBytes) + setBytes - 1) / setBytes);
  std::vector<unsigned char> image(setBytes, 0);
  for (size_t k = 0; k < inputs.size(); ++k)
    std::memcpy(image.data() + offsets[k], inputs[k].data(),
                inputs[k].getSizeInBytes());
  inputs.clear();

  auto executor =
      PlanExecutor::create(std::move(*plan), nullptr, options.backend);
  if (!executor)
    return reportError(kTool, executor.message());
  (*executor)->setUseGraphs(options.graphs);
  if (options.graphs && sets > PlanExecutor::kMaxGraphs)
    std::fprintf(stderr,
                 "%s: note: %llu sets are more bindings than the executor "
                 "keeps graphs for (%zu); calls launch kernel by kernel "
                 "(--rotate-bytes=0 times graph replays)\n",
                 kTool, static_cast<unsigned long long>(sets),
                 PlanExecutor::kMaxGraphs);
  CudaDevice &device = (*executor)->getDevice();
  StatusOr<CudaStream> stream = device.createStream();
  if (!stream)
    return reportError(kTool, stream.message());
  void *handle = stream->get();

  // One allocation for every set: R small allocations would cost R driver
  // calls, and the sets are equal anyway.
  StatusOr<DeviceBuffer> memory = device.allocate(sets * setBytes);
  if (!memory)
    return reportError(kTool, "allocating " + std::to_string(sets) +
                                  " sets of " + std::to_string(setBytes) +
                                  " bytes: " + memory.message());
  uint64_t base = memory->address();
  // Set 0 from the host, then doubling copies on the device: log2(R)
  // copies rather than R uploads.
  if (Status status =
          device.copyToDeviceAsync(base, image.data(), setBytes, handle);
      !status)
    return reportError(kTool, status.message());
  for (uint64_t done = 1; done < sets; done *= 2) {
    uint64_t count = std::min(done, sets - done);
    if (Status status = device.copyOnDevice(base + done * setBytes, base,
                                            count * setBytes, handle);
        !status)
      return reportError(kTool, status.message());
  }
  if (Status status = device.synchronize(handle); !status)
    return reportError(kTool, status.message());
  image = {};

  auto tensorsOf = [&](uint64_t set, bool wantInputs) {
    std::vector<DeviceTensorRef> refs;
    const std::vector<TensorShape> &shapes =
        wantInputs ? inputShapes : outputShapes;
    size_t first = wantInputs ? 0 : inputShapes.size();
    for (size_t t = 0; t < shapes.size(); ++t)
      refs.push_back({base + set * setBytes + offsets[first + t], shapes[t]});
    return refs;
  };
  uint64_t call = 0;
  auto runOnce = [&]() {
    uint64_t set = call++ % sets;
    return (*executor)->runOnDevice(tensorsOf(set, true), tensorsOf(set, false),
                                    handle);
  };

  // Warm-up: kernels load (or compile) on the first call, and clocks rise.
  for (int64_t i = 0; i < options.warmup; ++i)
    if (Status status = runOnce(); !status)
      return reportError(kTool, status.message());
  if (Status status = device.synchronize(handle); !status)
    return reportError(kTool, status.message());
  std::vector<CudaEvent> events;
  for (int64_t i = 0; i < 2 * options.runs; ++i) {
    StatusOr<CudaEvent> event = device.createEvent();
    if (!event)
      return reportError(kTool, event.message());
    events.push_back(std::move(*event));
  }
  // Host time of each enqueue too: where it exceeds the GPU time the queue
  // runs dry and the events measure the host, which the caller should know.
  std::vector<double> hostMilliseconds;
  int64_t graphRuns = 0;
  for (int64_t i = 0; i < options.runs; ++i) {
    if (Status status = device.record(events[2 * i], handle); !status)
      return reportError(kTool, status.message());
    auto enqueueStart = std::chrono::steady_clock::now();
    if (Status status = runOnce(); !status)
      return reportError(kTool, status.message());
    hostMilliseconds.push_back(
        std::chrono::duration<double, std::milli>(
            std::chrono::steady_clock::now() - enqueueStart)
            .count());
    graphRuns += (*executor)->lastRunUsedGraph();
    if (Status status = device.record(events[2 * i + 1], handle); !status)
      return reportError(kTool, status.message());
  }
  if (Status status = device.synchronize(handle); !status)
    return reportError(kTool, status.message());
  std::vector<double> milliseconds;
  for (int64_t i = 0; i < options.runs; ++i) {
    StatusOr<float> elapsed =
        device.elapsedMilliseconds(events[2 * i], events[2 * i + 1]);
    if (!elapsed)
      return reportError(kTool, elapsed.message());
    milliseconds.push_back(*elapsed);
  }
  // Each call repeats its notes (a refused CUBIN is refused every time):
  // one line each is enough.
  std::vector<std::string> notes = (*executor)->takeNotes();
  std::sort(notes.begin(), notes.end());
  notes.erase(std::unique(notes.begin(), notes.end()), notes.end());
  for (const std::string &note : notes)
    std::fprintf(stderr, "%s: note: %s\n", kTool, note.c_str());

  // Output 0 of set 0, which call 0 wrote and every later call on set 0
  // rewrote with the same values.
  HostTensor output(outputShapes[0].type, outputShapes[0].shape);
  if (Status status = device.copyToHost(
          output.data(), tensorsOf(0, false)[0].address, outputBytes[0]);
      !status)
    return reportError(kTool, status.message());
  int64_t elements = output.getNumElements();
  std::vector<int64_t> indices;
  if (options.samples >= elements) {
    for (int64_t i = 0; i < elements; ++i)
      indices.push_back(i);
  } else if (options.samples == 1) {
    indices.push_back(0);
  } else {
    // First and last included, the rest evenly between.
    for (int64_t j = 0; j < options.samples; ++j)
      indices.push_back(j * (elements - 1) / (options.samples - 1));
  }

  std::string json =
      "{\"median_ms\":" + formatDouble(median(milliseconds)) + ",\"min_ms\":" +
      formatDouble(
          *std::min_element(milliseconds.begin(), milliseconds.end())) +
      ",\"host_ms\":" + formatDouble(median(hostMilliseconds)) +
      ",\"runs\":" + std::to_string(options.runs) +
      ",\"sets\":" + std::to_string(sets) + ",\"graphs\":\"" +
      (options.graphs ? "on" : "off") +
      "\",\"graph_runs\":" + std::to_string(graphRuns) + ",\"samples\":[";
  for (size_t j = 0; j < indices.size(); ++j)
    json += std::string(j ? "," : "") + "[" + std::to_string(indices[j]) + "," +
            formatDouble(output.getAsDouble(indices[j])) + "]";
  json += "]}";
  std::printf("%s\n", json.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::printf(
          "deconv-bench: times a plan's kernels over device memory and "
          "prints one line of JSON\n\n"
          "USAGE: deconv-bench FILE.plan [options]\n\n"
          "  --target=cuda|cuda-emulator  the GPU (default) or the host "
          "emulator\n"
          "  --runs=N          timed runs (default %lld)\n"
          "  --warmup=W        untimed runs first (default %lld)\n"
          "  --rotate-bytes=B  rotate input copies through B bytes so runs "
          "do not hit the cache (default 256 MiB on the GPU, 0 on the "
          "emulator)\n"
          "  --samples=S       evenly spaced elements of output 0 printed for "
          "comparison (default %lld)\n"
          "  --seed=K          the input pattern's seed (default %lld)\n"
          "  --graphs=on|off   replay warm runs as a CUDA graph (default on)\n",
          (long long)Options().runs, (long long)Options().warmup,
          (long long)Options().samples, (long long)Options().seed);
      return 0;
    }
  StatusOr<Options> options = parseOptions(argc, argv);
  if (!options)
    return reportError(kTool, options.message());
  return run(*options);
}
