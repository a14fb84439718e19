//===- Emulator.h - facts about the host emulator ---------------*- C++ -*-===//
//
// The host emulator runs the CUDA target's kernels on the CPU behind the
// driver's own entry points (CudaBackend::Emulator in CudaDriver.h); this
// header has what tests and tools may ask it directly.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_EMULATOR_H
#define DECONV_RUNTIME_EMULATOR_H

#include <cstddef>
#include <cstdint>

namespace deconv {

struct EmulatorStatistics {
  size_t liveAllocations = 0; ///< cuMemAlloc'ed and not yet freed.
  uint64_t launches = 0;      ///< Kernel launches run (graphs' included).
  uint64_t graphLaunches = 0; ///< cuGraphLaunch calls run.
  uint64_t threads = 0;       ///< Emulated threads run.
  uint64_t compiles = 0;      ///< Kernels compiled by the host compiler.
};

EmulatorStatistics getEmulatorStatistics();

} // namespace deconv

#endif // DECONV_RUNTIME_EMULATOR_H
