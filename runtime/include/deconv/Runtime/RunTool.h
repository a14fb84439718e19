//===- RunTool.h - what the runtime tools share -----------------*- C++ -*-===//
//
// Loading inputs, running (and timing) a graph, printing or writing its
// results: shared by the full deconv-run (MLIR and plans), the
// runtime-only one (plans alone) and deconv-bench.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_RUNTOOL_H
#define DECONV_RUNTIME_RUNTOOL_H

#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Status.h"

#include <functional>
#include <string>
#include <vector>

namespace deconv {

class PlanExecutor;

struct RunOptions {
  std::vector<std::string> inputs;  ///< `@file.npy` or inline `2x3xf32=...`
  std::vector<std::string> outputs; ///< `@file.npy`, one per result
  unsigned benchmarkRuns = 0;
};

using Runner = std::function<StatusOr<std::vector<HostTensor>>(
    const std::vector<const HostTensor *> &)>;

/// If `argument` is `flag=VALUE`, stores VALUE in `value` and returns true.
bool takeFlagValue(const std::string &argument, const std::string &flag,
                   std::string &value);

/// Prints `tool: message` on stderr and returns the failing exit code.
int reportError(const std::string &tool, const std::string &message);

/// Loads every input, in order.
StatusOr<std::vector<HostTensor>> loadInputs(const RunOptions &options);

/// Runs once, then `benchmarkRuns` timed runs (median time, and GFLOP/s
/// when `macs` is known), then writes or prints the results. Returns the
/// exit code.
int runAndReport(const std::string &tool, const Runner &runner,
                 const std::vector<HostTensor> &inputs,
                 const RunOptions &options, int64_t macs);

/// Runs `executor` the way a caller holding device memory does (the C++
/// API's runOnDevice): uploads the inputs itself, runs the plan over device
/// memory on the legacy default stream, synchronizes and downloads.
StatusOr<std::vector<HostTensor>>
runOverDeviceMemory(PlanExecutor &executor,
                    const std::vector<const HostTensor *> &inputs);

/// Prints what the executor noted (`tool: note: ...`) on stderr.
void printNotes(const std::string &tool, PlanExecutor &executor);

/// NumPy-style nested brackets, 9 significant digits (exact for f32).
void printTensor(const HostTensor &tensor);

} // namespace deconv

#endif // DECONV_RUNTIME_RUNTOOL_H
