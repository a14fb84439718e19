//===- Autotuner.cpp - strategies chosen by timing them -------------------===//
//
// A candidate is a (strategy, tile) pair that can take the op. It is timed
// as a plan of its own, the op alone with every operand a device tensor of
// zeros, through the runtime's executor on the caller-visible path
// (runOnDevice on a stream of ours): a few runs to warm up (kernels compile
// and load, clocks rise), then each timed run between two events, and the
// median kept. A candidate that fails to plan, compile or run is skipped
// with a warning. A record is text:
//
//   deconv tuning record 1
//   key <the key>
//   choice <strategy> <tile> <milliseconds>
//   candidate <strategy> <tile> <milliseconds|failed>   (one per candidate)
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CUDA/Autotuner.h"

#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/FileIO.h"
#include "deconv/Runtime/KernelCache.h"
#include "deconv/Runtime/Nvrtc.h"
#include "deconv/Runtime/PlanExecutor.h"
#include "deconv/Runtime/Sha256.h"
#include "deconv/Target/CUDA/PlanBuilder.h"
#include "deconv/Target/RuntimeTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace mlir::deconv;

namespace {

constexpr const char *kRecordHeader = "deconv tuning record 1";
constexpr int kWarmupRuns = 3;
constexpr int kTimedRuns = 7;

void warn(const CudaTargetOptions &options, const std::string &message) {
  if (options.warn)
    options.warn(message);
  else
    std::fprintf(stderr, "warning: %s\n", message.c_str());
}

std::string formatMilliseconds(double milliseconds) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4g", milliseconds);
  return text;
}

/// The directory of tuning records; empty when none are kept.
std::string getRecordDirectory(const CudaTargetOptions &options) {
  if (!options.tuningDirectory.empty())
    return options.tuningDirectory;
  const std::string &cache = ::deconv::KernelCache::global().getDirectory();
  if (cache.empty())
    return "";
  llvm::SmallString<256> path(cache);
  llvm::sys::path::append(path, "tuning");
  return path.str().str();
}

struct Candidate {
  const KernelStrategy *strategy;
  std::string tile;
};

/// Every (strategy, tile) that can take `op`, in the registry's order.
std::vector<Candidate> getCandidates(GroupedDeconvOp op,
                                     const CudaTargetOptions &options) {
  std::vector<Candidate> candidates;
  for (const KernelStrategy *strategy : getKernelStrategies()) {
    if (!strategy->whyNot(op, options).empty())
      continue;
    for (const std::string &tile : strategy->getTileNames(op, options))
      candidates.push_back({strategy, tile});
  }
  return candidates;
}

/// Whether `tile` is one of `strategy`'s tiles for `op`.
bool hasTile(const KernelStrategy &strategy, GroupedDeconvOp op,
             const CudaTargetOptions &options, const std::string &tile) {
  std::vector<std::string> tiles = strategy.getTileNames(op, options);
  return llvm::is_contained(tiles, tile);
}

/// The choice a record holds, or why it cannot be trusted.
struct RecordReading {
  std::string error;
  KernelChoice choice;
  double milliseconds = 0;
};

RecordReading readRecord(const std::string &text, const std::string &key,
                         GroupedDeconvOp op, const CudaTargetOptions &options) {
  RecordReading reading;
  SmallVector<StringRef> lines;
  StringRef(text).split(lines, '\n', -1, /*KeepEmpty=*/false);
  if (lines.size() < 3 || lines[0] != kRecordHeader) {
    reading.error = "not a tuning record";
    return reading;
  }
  if (!lines[1].consume_front("key ") || lines[1] != key) {
    reading.error = "its key is for another op, compiler or version";
    return reading;
  }
  SmallVector<StringRef> fields;
  lines[2].split(fields, ' ');
  double milliseconds = 0;
  if (fields.size() != 4 || fields[0] != "choice" ||
      fields[3].getAsDouble(milliseconds) || !std::isfinite(milliseconds) ||
      milliseconds < 0) {
    reading.error = "its choice line is malformed";
    return reading;
  }
  const KernelStrategy *strategy = lookupKernelStrategy(fields[1]);
  if (!strategy) {
    reading.error =
        "it names no strategy of this compiler ('" + fields[1].str() + "')";
    return reading;
  }
  if (std::string why = strategy->whyNot(op, options); !why.empty()) {
    reading.error =
        "its strategy '" + fields[1].str() + "' cannot take this op: " + why;
    return reading;
  }
  if (!hasTile(*strategy, op, options, fields[2].str())) {
    reading.error = "its tile '" + fields[2].str() +
                    "' is not a tile of strategy '" + fields[1].str() + "'";
    return reading;
  }
  reading.choice.strategy = strategy;
  reading.choice.tile = fields[2].str();
  reading.milliseconds = milliseconds;
  return reading;
}

/// The median time of `candidate` on the device, in milliseconds.
::deconv::StatusOr<double> timeCandidate(GroupedDeconvOp op,
                                         const Candidate &candidate,
                                         const CudaTargetOptions &options) {
  OwningOpRef<ModuleOp> module =
      isolateOp(op, "tune", /*keepConstantWeight=*/true);
  CudaTargetOptions forced = options;
  forced.tune = false;
  forced.archs.clear(); // Compiled by the executor, for its device.
  forced.strategy = candidate.strategy->getName().str();
  forced.tile = candidate.tile;
  std::string diagnostics;
  FailureOr<::deconv::Plan> plan = [&] {
    ScopedDiagnosticHandler capture(op->getContext(), [&](Diagnostic &d) {
      if (d.getSeverity() == DiagnosticSeverity::Error && diagnostics.empty())
        diagnostics = d.str();
      return success();
    });
    return planFunction(*module->getOps<func::FuncOp>().begin(), forced);
  }();
  if (failed(plan))
    return ::deconv::Status::error(diagnostics.empty() ? "cannot plan"
                                                       : diagnostics);

  auto executor = ::deconv::PlanExecutor::create(std::move(*plan), nullptr,
                                                 options.tuningBackend);
  if (!executor)
    return executor.status();
  ::deconv::CudaDevice &device = (*executor)->getDevice();
  auto stream = device.createStream();
  if (!stream)
    return stream.status();
  // Zeros in every operand (the kernels' work does not depend on values),
  // uploaded on the stream the runs go on, so they are ordered before them.
  std::vector<char> zeros;
  std::vector<::deconv::DeviceBuffer> buffers;
  std::vector<::deconv::DeviceTensorRef> inputs, outputs;
  auto addTensor =
      [&](Type type,
          std::vector<::deconv::DeviceTensorRef> &into) -> ::deconv::Status {
    auto tensor = cast<RankedTensorType>(type);
    ::deconv::TensorShape shape;
    shape.type = *toRuntimeElementType(tensor.getElementType());
    shape.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    size_t bytes = ::deconv::getElementSize(shape.type) *
                   static_cast<size_t>(tensor.getNumElements());
    auto buffer = device.allocate(std::max<size_t>(bytes, 16));
    if (!buffer)
      return buffer.status();
    if (::deconv::Status status = device.copyToDeviceAsync(
            buffer->address(), zeros.data(), buffer->size(), stream->get());
        !status)
      return status;
    into.push_back({buffer->address(), shape});
    buffers.push_back(std::move(*buffer));
    return ::deconv::Status::ok();
  };
  // Sized before any upload reads it.
  int64_t largest = op.getResult().getType().getNumElements();
  for (Type type : op->getOperandTypes())
    largest = std::max(largest, cast<RankedTensorType>(type).getNumElements());
  zeros.assign(static_cast<size_t>(largest) * 4 + 16, 0);
  auto function = *module->getOps<func::FuncOp>().begin();
  for (Type type : function.getArgumentTypes())
    if (::deconv::Status status = addTensor(type, inputs); !status)
      return status;
  if (::deconv::Status status = addTensor(op.getResult().getType(), outputs);
      !status)
    return status;
  for (int run = 0; run < kWarmupRuns; ++run)
    if (::deconv::Status status =
            (*executor)->runOnDevice(inputs, outputs, stream->get());
        !status)
      return status;
  std::vector<::deconv::CudaEvent> events;
  for (int i = 0; i < 2 * kTimedRuns; ++i) {
    auto event = device.createEvent();
    if (!event)
      return event.status();
    events.push_back(std::move(*event));
  }
  for (int run = 0; run < kTimedRuns; ++run) {
    if (::deconv::Status status = device.record(events[2 * run], stream->get());
        !status)
      return status;
    if (::deconv::Status status =
            (*executor)->runOnDevice(inputs, outputs, stream->get());
        !status)
      return status;
    if (::deconv::Status status =
            device.record(events[2 * run + 1], stream->get());
        !status)
      return status;
  }
  if (::deconv::Status status = device.synchronize(stream->get()); !status)
    return status;
  std::vector<double> times;
  for (int run = 0; run < kTimedRuns; ++run) {
    auto elapsed =
        device.elapsedMilliseconds(events[2 * run], events[2 * run + 1]);
    if (!elapsed)
      return elapsed.status();
    times.push_back(*elapsed);
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2,
                   times.end());
  return times[times.size() / 2];
}

/// The cost model's choice, saying why it was not tuned.
FailureOr<KernelChoice> costModelChoice(GroupedDeconvOp op,
                                        const CudaTargetOptions &options,
                                        const std::string &why) {
  FailureOr<const KernelStrategy *> strategy =
      selectKernelStrategy(op, options);
  if (failed(strategy))
    return failure();
  return KernelChoice{*strategy, "auto", "cost model: " + why};
}

/// Times every candidate and records the fastest under `path` (if any).
FailureOr<KernelChoice> tune(GroupedDeconvOp op,
                             const CudaTargetOptions &options,
                             const std::string &key, const std::string &path) {
  std::vector<Candidate> candidates = getCandidates(op, options);
  std::string lines;
  std::optional<size_t> best;
  double bestMilliseconds = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate &candidate = candidates[i];
    std::string name =
        candidate.strategy->getName().str() + " " + candidate.tile;
    ::deconv::StatusOr<double> milliseconds =
        timeCandidate(op, candidate, options);
    if (!milliseconds) {
      warn(options,
           "tuning: candidate " + name + " failed: " + milliseconds.message());
      lines += "candidate " + name + " failed\n";
      continue;
    }
    lines +=
        "candidate " + name + " " + formatMilliseconds(*milliseconds) + "\n";
    if (!best || *milliseconds < bestMilliseconds) {
      best = i;
      bestMilliseconds = *milliseconds;
    }
  }
  if (!best) {
    warn(options, "tuning: every candidate failed; the cost model chooses");
    return costModelChoice(op, options, "every tuning candidate failed");
  }
  KernelChoice choice{candidates[*best].strategy, candidates[*best].tile,
                      "tuned: fastest of " + std::to_string(candidates.size()) +
                          " in " + formatMilliseconds(bestMilliseconds) +
                          " ms"};
  if (!path.empty()) {
    std::string record = std::string(kRecordHeader) + "\nkey " + key +
                         "\nchoice " + choice.strategy->getName().str() + " " +
                         choice.tile + " " +
                         formatMilliseconds(bestMilliseconds) + "\n" + lines;
    std::error_code error =
        llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path));
    ::deconv::Status status =
        error ? ::deconv::Status::error("cannot create the directory of '" +
                                        path + "': " + error.message())
              : ::deconv::writeFileAtomically(path, record);
    if (!status)
      warn(options, "tuning: the record is not kept: " + status.message());
  }
  return choice;
}

} // namespace

FailureOr<std::string>
mlir::deconv::getTuningKey(GroupedDeconvOp op,
                           const CudaTargetOptions &options) {
  ::deconv::StatusOr<std::string> compiler =
      ::deconv::getCompilerIdentity(options.tuningBackend);
  if (!compiler)
    return op.emitOpError("cannot tune: ") << compiler.message();
  // The op by its attributes and types only: SSA names and locations do
  // not change its kernels.
  std::string key;
  llvm::raw_string_ostream os(key);
  os << ::deconv::kCodegenVersion << " | "
     << ::deconv::getCudaBackendName(options.tuningBackend) << " " << *compiler
     << " | " << options.getTargetArch() << " | "
     << (options.precision == CudaPrecision::Tf32 ? "tf32" : "exact") << " | "
     << op->getName() << " " << op->getAttrDictionary() << " : (";
  llvm::interleaveComma(op->getOperandTypes(), os);
  os << ") -> " << op.getResult().getType();
  // A constant weight is rearranged at compile time, a run-time one by a
  // kernel the timing includes: not the same choice.
  if (hasConstantWeight(op))
    os << " | constant weight";
  // One line, whatever the compiler identity holds.
  std::replace(key.begin(), key.end(), '\n', ' ');
  return key;
}

FailureOr<KernelChoice>
mlir::deconv::chooseKernel(GroupedDeconvOp op,
                           const CudaTargetOptions &options) {
  const bool forced = options.strategy != "auto" || options.tile != "auto";
  if (!options.tune || forced) {
    FailureOr<const KernelStrategy *> strategy =
        selectKernelStrategy(op, options);
    if (failed(strategy))
      return failure();
    return KernelChoice{*strategy, options.tile,
                        options.tune ? "forced, not tuned" : ""};
  }
  if (!op.getInput().getType().hasStaticShape())
    return costModelChoice(op, options, "sizes known only at run time");

  FailureOr<std::string> key = getTuningKey(op, options);
  if (failed(key))
    return failure();
  std::string directory = getRecordDirectory(options), path;
  if (!directory.empty()) {
    llvm::SmallString<256> file(directory);
    llvm::sys::path::append(file, ::deconv::sha256Hex(*key) + ".tune");
    path = file.str().str();
    if (llvm::sys::fs::exists(path)) {
      ::deconv::StatusOr<std::string> text = ::deconv::readFile(path);
      RecordReading reading;
      if (text)
        reading = readRecord(*text, *key, op, options);
      else
        reading.error = text.message();
      if (reading.error.empty()) {
        reading.choice.origin =
            "tuning record: " + formatMilliseconds(reading.milliseconds) +
            " ms";
        return reading.choice;
      }
      warn(options, "ignoring tuning record '" + path + "': " + reading.error);
    }
  }
  return tune(op, options, *key, path);
}

std::string mlir::deconv::prepareTuning(CudaTargetOptions &options,
                                        ::deconv::CudaBackend backend) {
  auto device = ::deconv::CudaDevice::open(0, backend);
  if (!device)
    return device.message();
  options.tune = true;
  options.tuningBackend = backend;
  options.targetArch = (*device)->getArch();
  return "";
}
