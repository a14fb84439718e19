//===- RunDriver.h - what deconv-run does around the C++ API ----*- C++ -*-===//
//
// deconv-run compiles and runs through the public API (Executable.h); what
// belongs to the tool lives here: its inputs (.npy files and inline tensors),
// running, timing and printing (the runtime's RunTool.h, which the
// runtime-only deconv-run and deconv-bench share), telling a plan file from
// IR, and checking an IR file's function against the inputs before anything
// compiles, in messages that name the file and the flags (the API's name its
// options), with the run's multiply-adds for GFLOP/s.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DRIVER_RUNDRIVER_H
#define DECONV_DRIVER_RUNDRIVER_H

#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/RunTool.h"
#include "deconv/Runtime/Status.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::deconv {

/// Whether `contents` is a plan file (deconv-compile's output) rather than
/// IR.
bool isPlanFile(llvm::StringRef contents);

/// An IR file's function, checked against a run's inputs.
struct CheckedRun {
  /// The function picked: the one named, else @main, else the only one.
  std::string function;
  /// The inputs, loaded, one per argument with its element type.
  std::vector<::deconv::HostTensor> inputs;
  /// Useful multiply-adds of a run on these inputs.
  int64_t multiplyAdds = 0;
};

/// Parses `file` (read from `path`), picks the function `requested` names,
/// and checks that `run` gives one input per argument (and, when it names
/// outputs, one per result), loads the inputs, and checks their element
/// types against the signature and their sizes with the verifier's rules.
/// Fails with one line naming the file, the function or the input.
::deconv::StatusOr<CheckedRun> checkRunInputs(const llvm::MemoryBuffer &file,
                                              llvm::StringRef path,
                                              llvm::StringRef requested,
                                              const ::deconv::RunOptions &run);

/// Reads a memory size such as `8G` (bytes, with an optional K, M, G or T);
/// returns why not when it is not one.
std::string parseMemorySize(llvm::StringRef text, int64_t &bytes);

} // namespace mlir::deconv

#endif // DECONV_DRIVER_RUNDRIVER_H
