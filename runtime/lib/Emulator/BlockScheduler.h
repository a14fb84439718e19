//===- BlockScheduler.h - running a grid of emulated threads ----*- C++ -*-===//
//
// A launch runs its blocks on a few host threads; within a block every CUDA
// thread is a fiber (its own stack, switched with ucontext), so
// __syncthreads, warp-wide operations and cp.async waits suspend a thread
// until the others catch up, exactly as the hardware's rules allow and no
// further: a barrier some threads skip, lanes that never meet at a warp
// operation, and a thread that waits forever are errors, not hangs.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_LIB_EMULATOR_BLOCKSCHEDULER_H
#define DECONV_RUNTIME_LIB_EMULATOR_BLOCKSCHEDULER_H

#include "deconv_emulator_abi.h"

#include <cstdint>
#include <string>
#include <vector>

namespace deconv::emulator {

/// A kernel of a loaded kernel object.
struct KernelImage {
  std::string name;
  void (*entry)(void **parameters) = nullptr;
  void (*setCurrent)(deconv_emu::Thread *thread) = nullptr;
  deconv_emu::KernelInfo info;
  /// The opt-in limit of cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES).
  uint32_t maxDynamicShared = 48 * 1024;
};

struct GridLaunch {
  const KernelImage *kernel = nullptr;
  deconv_emu::Dim3 grid, block;
  uint32_t dynamicShared = 0;
  /// Static plus dynamic shared memory a block may use.
  uint32_t maxShared = 0;
  void **parameters = nullptr;
  /// Numbers this launch in the shadow of device memory (1 .. 2^24-1).
  uint64_t serial = 1;
  /// Device allocations sorted by address, fixed during the launch.
  const std::vector<deconv_emu::Allocation *> *allocations = nullptr;
  /// Host threads running blocks.
  unsigned workers = 1;
};

/// Kinds of fault, for the driver's error code.
enum class FaultKind { None, IllegalAddress, MisalignedAddress, Other };

struct GridResult {
  FaultKind kind = FaultKind::None;
  std::string fault; ///< The first fault, naming the thread and block.
  uint64_t threads = 0;
};

/// Runs every block of `launch`; stops at the first fault.
GridResult runGrid(const GridLaunch &launch);

} // namespace deconv::emulator

#endif // DECONV_RUNTIME_LIB_EMULATOR_BLOCKSCHEDULER_H
