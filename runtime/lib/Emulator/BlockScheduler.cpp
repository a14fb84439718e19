//===- BlockScheduler.cpp - running a grid of emulated threads ------------===//
//
// One BlockRunner per host worker runs blocks one after the other. Threads
// of a block run in index order until each finishes or waits; a thread that
// waits is resumed once what it waits for happened (all live threads at the
// barrier, all lanes at the warp operation). Fiber stacks are pooled: a
// thread that finishes without waiting hands its stack to the next, so a
// kernel without barriers needs one stack per worker.
//
//===----------------------------------------------------------------------===//

#include "BlockScheduler.h"

#include "WarpOps.h"

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

using namespace deconv::emulator;
using deconv_emu::Allocation;
using deconv_emu::SharedShadow;

namespace {

constexpr size_t kStackBytes = 256 * 1024;
constexpr uint32_t kMaxStaticShared = 48 * 1024;

enum class State { Ready, Running, AtBarrier, AtWarp, Done, Faulted };

struct AsyncCopy {
  uint32_t offset = 0;
  Allocation *source = nullptr;
  uint64_t sourceOffset = 0;
  uint32_t cpSize = 0, srcSize = 0;
};

class BlockRunner;

struct EmuThread {
  deconv_emu::Thread abi;
  ucontext_t context;
  void *stack = nullptr;
  State state = State::Ready;
  bool started = false;
  deconv_emu::WarpRequest request;
  deconv_emu::WarpReply reply;
  std::vector<std::vector<AsyncCopy>> committed;
  std::vector<AsyncCopy> open;
  BlockRunner *runner = nullptr;
};

std::string formatDims(const deconv_emu::Dim3 &dims) {
  return "(" + std::to_string(dims.x) + "," + std::to_string(dims.y) + "," +
         std::to_string(dims.z) + ")";
}

class BlockRunner {
public:
  explicit BlockRunner(const GridLaunch &launch);
  ~BlockRunner();
  BlockRunner(const BlockRunner &) = delete;
  BlockRunner &operator=(const BlockRunner &) = delete;

  /// Runs block `linear`; returns "" or its fault.
  std::string run(uint64_t linear);
  uint64_t getThreadCount() const { return threadCount; }

  // The hooks kernels call (deconv_emulator_abi.h).
  static void hookFault(deconv_emu::Thread *self, const char *message);
  static void hookSyncThreads(deconv_emu::Thread *self);
  static void hookWarp(deconv_emu::Thread *self,
                       const deconv_emu::WarpRequest *request,
                       deconv_emu::WarpReply *reply);
  static Allocation *hookFindAllocation(deconv_emu::Thread *self,
                                        uint64_t address);
  static uint32_t hookStaticShared(deconv_emu::Thread *self, const void *key,
                                   uint32_t bytes, uint32_t align);
  static void hookCpAsync(deconv_emu::Thread *self, uint32_t offset,
                          uint32_t arrayBegin, uint32_t arrayEnd,
                          Allocation *source, uint64_t sourceOffset,
                          uint32_t cpSize, uint32_t srcSize);
  static void hookCpAsyncCommit(deconv_emu::Thread *self);
  static void hookCpAsyncWait(deconv_emu::Thread *self, uint32_t pending);

private:
  friend class BlockSharedReader;
  static EmuThread &of(deconv_emu::Thread *self) {
    return *static_cast<EmuThread *>(self->emulator);
  }
  static void fiberMain(unsigned low, unsigned high);

  void resume(EmuThread &thread);
  /// Suspends the running thread in `state` until the scheduler resumes it.
  void suspend(EmuThread &thread, State state);
  /// Records the fault and leaves the thread for good.
  [[noreturn]] void raise(EmuThread &thread, const std::string &message);
  void finish(EmuThread &thread);
  void afterBarrierArrival();
  void afterWarpArrival(EmuThread &thread);
  /// Completes the warp's operations whose lanes all arrived or exited.
  void settleWarp(uint32_t warp);
  void completeWarpOperation(uint32_t warp, uint32_t lanes);
  uint32_t existingLanes(uint32_t warp) const;
  void completeCopies(EmuThread &thread, size_t keep);
  void completeCopy(EmuThread &thread, const AsyncCopy &copy);
  std::string where(const EmuThread &thread) const;
  std::string describeDeadlock() const;
  void claimShared(uint32_t end);

  const GridLaunch &launch;
  deconv_emu::Hooks hooks;
  ucontext_t scheduler;
  std::vector<void *> freeStacks, allStacks;
  std::vector<EmuThread> threads;
  std::deque<uint32_t> runQueue;
  std::string fault;
  uint32_t live = 0, exited = 0, atBarrier = 0;
  uint64_t threadCount = 0;
  deconv_emu::Dim3 blockIdx;
  uint64_t blockLinear = 0;

  // Shared memory: the dynamic part first, static arrays after it.
  deconv_emu::SharedMemory shared;
  std::vector<unsigned char> sharedData;
  std::vector<SharedShadow> sharedShadow;
  uint32_t sharedUsed = 0; ///< Bytes whose shadow this block may have set.
  std::map<const void *, uint32_t> staticOffsets;
  uint32_t staticTop = 0;
  uint32_t blockEpoch = 1;
  std::vector<uint32_t> warpEpochs;

  /// Per warp, the lanes waiting at a warp operation, by member mask, and
  /// the lanes that exited.
  std::vector<std::map<uint32_t, uint32_t>> warpGroups;
  std::vector<uint32_t> exitedLanes;
};

/// ldmatrix's reads of shared memory, checked like a thread's own.
class BlockSharedReader final : public SharedReader {
public:
  BlockSharedReader(BlockRunner &runner, uint32_t firstThread)
      : runner(runner), firstThread(firstThread) {}
  std::string read(unsigned lane, uint32_t offset, uint32_t begin, uint32_t end,
                   void *out, uint32_t bytes) override {
    uint32_t reader = firstThread + lane;
    if (offset < begin || uint64_t(offset) + bytes > end)
      return "ldmatrix row of lane " + std::to_string(lane) +
             " is out of bounds: byte " + std::to_string(offset - begin) +
             " of a shared array of " + std::to_string(end - begin) + " bytes";
    for (uint32_t i = 0; i < bytes; ++i) {
      SharedShadow &shadow = runner.sharedShadow[offset + i];
      if (shadow.flags & deconv_emu::kAsyncPending)
        return "ldmatrix of lane " + std::to_string(lane) +
               " reads shared byte " + std::to_string(offset + i) +
               " while a cp.async still writes it";
      if (!(shadow.flags & deconv_emu::kInitialized))
        return "ldmatrix of lane " + std::to_string(lane) +
               " reads never-written shared byte " + std::to_string(offset + i);
      const EmuThread &thread = runner.threads[reader];
      if (shadow.writer != reader &&
          !deconv_emu::writeOrdered(shadow, runner.blockEpoch, thread.abi.warp,
                                    runner.warpEpochs[thread.abi.warp]))
        return "race: ldmatrix of thread " + std::to_string(reader) +
               " reads shared byte " + std::to_string(offset + i) +
               " that thread " + std::to_string(shadow.writer) +
               " wrote with no barrier between";
      deconv_emu::recordRead(shadow, reader, runner.blockEpoch);
    }
    std::memcpy(out, runner.sharedData.data() + offset, bytes);
    return "";
  }

private:
  BlockRunner &runner;
  uint32_t firstThread;
};

BlockRunner::BlockRunner(const GridLaunch &launch) : launch(launch) {
  hooks.fault = hookFault;
  hooks.syncThreads = hookSyncThreads;
  hooks.warp = hookWarp;
  hooks.findAllocation = hookFindAllocation;
  hooks.staticShared = hookStaticShared;
  hooks.cpAsync = hookCpAsync;
  hooks.cpAsyncCommit = hookCpAsyncCommit;
  hooks.cpAsyncWait = hookCpAsyncWait;
  uint32_t blockSize = launch.block.x * launch.block.y * launch.block.z;
  threads.resize(blockSize);
  warpEpochs.resize((blockSize + deconv_emu::kWarpSize - 1) /
                    deconv_emu::kWarpSize);
  warpGroups.resize(warpEpochs.size());
  exitedLanes.resize(warpEpochs.size());
  sharedData.resize(launch.maxShared);
  sharedShadow.resize(launch.maxShared);
  shared.data = sharedData.data();
  shared.shadow = sharedShadow.data();
  shared.size = launch.maxShared;
  shared.dynamicOffset = 0;
  shared.dynamicSize = launch.dynamicShared;
}

BlockRunner::~BlockRunner() {
  for (void *stack : allStacks)
    munmap(stack, kStackBytes + getpagesize());
}

void BlockRunner::fiberMain(unsigned low, unsigned high) {
  auto *thread = reinterpret_cast<EmuThread *>(
      (static_cast<uintptr_t>(high) << 32) | static_cast<uintptr_t>(low));
  BlockRunner &runner = *thread->runner;
  runner.launch.kernel->entry(runner.launch.parameters);
  runner.finish(*thread);
  // Returning resumes the scheduler through uc_link.
}

void BlockRunner::resume(EmuThread &thread) {
  if (!thread.started) {
    if (freeStacks.empty()) {
      // A guard page below each stack turns an overflow into a crash, not
      // silent corruption of the next one.
      size_t page = getpagesize();
      void *memory = mmap(nullptr, kStackBytes + page, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (memory == MAP_FAILED) {
        fault = "cannot map a stack for an emulated thread";
        return;
      }
      mprotect(memory, page, PROT_NONE);
      allStacks.push_back(memory);
      freeStacks.push_back(memory);
    }
    thread.stack = freeStacks.back();
    freeStacks.pop_back();
    getcontext(&thread.context);
    thread.context.uc_stack.ss_sp =
        static_cast<char *>(thread.stack) + getpagesize();
    thread.context.uc_stack.ss_size = kStackBytes;
    thread.context.uc_link = &scheduler;
    uintptr_t pointer = reinterpret_cast<uintptr_t>(&thread);
    makecontext(&thread.context, reinterpret_cast<void (*)()>(fiberMain), 2,
                static_cast<unsigned>(pointer & 0xffffffffu),
                static_cast<unsigned>(pointer >> 32));
    thread.started = true;
    ++threadCount;
  }
  thread.state = State::Running;
  launch.kernel->setCurrent(&thread.abi);
  swapcontext(&scheduler, &thread.context);
  launch.kernel->setCurrent(nullptr);
  if (thread.state == State::Done || thread.state == State::Faulted)
    freeStacks.push_back(thread.stack);
}

void BlockRunner::suspend(EmuThread &thread, State state) {
  thread.state = state;
  swapcontext(&thread.context, &scheduler);
}

void BlockRunner::raise(EmuThread &thread, const std::string &message) {
  if (fault.empty())
    fault = message + " (" + where(thread) + ")";
  thread.state = State::Faulted;
  swapcontext(&thread.context, &scheduler);
  __builtin_unreachable(); // A faulted thread is never resumed.
}

std::string BlockRunner::where(const EmuThread &thread) const {
  return "thread " + formatDims(thread.abi.threadIdx) + " of block " +
         formatDims(blockIdx) + " in " + launch.kernel->name;
}

void BlockRunner::finish(EmuThread &thread) {
  // In-flight copies land even if nobody waits for them.
  completeCopies(thread, 0);
  if (!thread.open.empty()) {
    std::vector<AsyncCopy> open = std::move(thread.open);
    for (const AsyncCopy &copy : open)
      completeCopy(thread, copy);
  }
  thread.state = State::Done;
}

void BlockRunner::claimShared(uint32_t end) {
  sharedUsed = std::max(sharedUsed, end);
}

std::string BlockRunner::run(uint64_t linear) {
  const deconv_emu::Dim3 &block = launch.block, &grid = launch.grid;
  blockLinear = linear;
  blockIdx = {static_cast<unsigned>(linear % grid.x),
              static_cast<unsigned>((linear / grid.x) % grid.y),
              static_cast<unsigned>(linear / (uint64_t(grid.x) * grid.y))};
  // Shared memory starts undefined: forget what the last block wrote.
  std::fill(sharedShadow.begin(), sharedShadow.begin() + sharedUsed,
            SharedShadow());
  sharedUsed = launch.dynamicShared;
  staticOffsets.clear();
  staticTop = launch.dynamicShared;
  blockEpoch = 1;
  std::fill(warpEpochs.begin(), warpEpochs.end(), 1u);
  for (auto &groups : warpGroups)
    groups.clear();
  std::fill(exitedLanes.begin(), exitedLanes.end(), 0u);
  fault.clear();

  const uint32_t size = static_cast<uint32_t>(threads.size());
  runQueue.clear();
  for (uint32_t t = 0; t < size; ++t) {
    EmuThread &thread = threads[t];
    thread = EmuThread();
    thread.runner = this;
    deconv_emu::Thread &abi = thread.abi;
    abi.threadIdx = {t % block.x, (t / block.x) % block.y,
                     t / (block.x * block.y)};
    abi.blockIdx = blockIdx;
    abi.blockDim = block;
    abi.gridDim = grid;
    abi.linear = t;
    abi.lane = t % deconv_emu::kWarpSize;
    abi.warp = t / deconv_emu::kWarpSize;
    abi.launchSerial = launch.serial;
    abi.blockLinear = linear;
    abi.writerId = (launch.serial << 40) | (linear * size + t + 1);
    abi.blockEpoch = &blockEpoch;
    abi.warpEpochs = warpEpochs.data();
    abi.shared = &shared;
    abi.hooks = &hooks;
    abi.emulator = &thread;
    runQueue.push_back(t);
  }
  live = size;
  exited = atBarrier = 0;

  while (!runQueue.empty() && fault.empty()) {
    EmuThread &thread = threads[runQueue.front()];
    runQueue.pop_front();
    resume(thread);
    if (!fault.empty())
      break;
    switch (thread.state) {
    case State::Done:
      --live;
      ++exited;
      exitedLanes[thread.abi.warp] |= 1u << thread.abi.lane;
      settleWarp(thread.abi.warp);
      if (atBarrier > 0 && fault.empty())
        fault = "thread " + formatDims(thread.abi.threadIdx) +
                " exited while " + std::to_string(atBarrier) +
                " threads of its block wait at __syncthreads (every thread "
                "must reach each barrier)";
      break;
    case State::AtBarrier:
      if (exited > 0) {
        fault = "thread " + formatDims(thread.abi.threadIdx) +
                " reached __syncthreads after " + std::to_string(exited) +
                " threads of its block exited (every thread must reach each "
                "barrier)";
        break;
      }
      ++atBarrier;
      afterBarrierArrival();
      break;
    case State::AtWarp:
      afterWarpArrival(thread);
      break;
    default:
      break;
    }
  }
  if (fault.empty() && live > 0)
    fault = describeDeadlock();
  if (!fault.empty() && fault.find(" of block ") == std::string::npos)
    fault +=
        " (block " + formatDims(blockIdx) + " in " + launch.kernel->name + ")";
  return fault;
}

void BlockRunner::afterBarrierArrival() {
  if (atBarrier < live)
    return;
  ++blockEpoch;
  atBarrier = 0;
  for (uint32_t t = 0; t < threads.size(); ++t)
    if (threads[t].state == State::AtBarrier)
      runQueue.push_back(t);
}

uint32_t BlockRunner::existingLanes(uint32_t warp) const {
  const uint32_t size = static_cast<uint32_t>(threads.size());
  const uint32_t count =
      std::min(deconv_emu::kWarpSize, size - warp * deconv_emu::kWarpSize);
  return count == 32 ? 0xffffffffu : ((1u << count) - 1);
}

void BlockRunner::afterWarpArrival(EmuThread &thread) {
  const deconv_emu::WarpRequest &request = thread.request;
  // mma.sync and ldmatrix are .aligned: the whole warp, whatever the mask.
  bool aligned = request.op >= deconv_emu::WarpOp::MmaF16F32;
  uint32_t key = aligned ? 0xffffffffu : request.mask;
  warpGroups[thread.abi.warp][key] |= 1u << thread.abi.lane;
  settleWarp(thread.abi.warp);
}

void BlockRunner::settleWarp(uint32_t warp) {
  auto &groups = warpGroups[warp];
  for (auto group = groups.begin(); group != groups.end() && fault.empty();) {
    auto [mask, arrived] = *group;
    // Lanes that exited (or that a partial warp lacks) are not waited for;
    // the operation itself decides what their absence means.
    uint32_t expected = mask & existingLanes(warp) & ~exitedLanes[warp];
    if ((arrived & expected) != expected) {
      ++group;
      continue;
    }
    group = groups.erase(group);
    completeWarpOperation(warp, arrived);
  }
}

void BlockRunner::completeWarpOperation(uint32_t warp, uint32_t lanes) {
  const uint32_t first = warp * deconv_emu::kWarpSize;
  deconv_emu::WarpRequest requests[deconv_emu::kWarpSize];
  deconv_emu::WarpReply replies[deconv_emu::kWarpSize];
  deconv_emu::WarpOp op = deconv_emu::WarpOp::SyncWarp;
  for (uint32_t lane = 0; lane < deconv_emu::kWarpSize; ++lane)
    if (lanes & (1u << lane)) {
      requests[lane] = threads[first + lane].request;
      op = requests[lane].op;
    }
  BlockSharedReader reader(*this, first);
  std::string error =
      computeWarpOp(requests, replies, lanes, existingLanes(warp), reader);
  if (!error.empty()) {
    fault = error + " (warp " + std::to_string(warp) + " of block " +
            formatDims(blockIdx) + " in " + launch.kernel->name + ")";
    return;
  }
  if (op == deconv_emu::WarpOp::SyncWarp)
    ++warpEpochs[warp];
  for (uint32_t lane = 0; lane < deconv_emu::kWarpSize; ++lane)
    if (lanes & (1u << lane)) {
      threads[first + lane].reply = replies[lane];
      runQueue.push_back(first + lane);
    }
}

std::string BlockRunner::describeDeadlock() const {
  uint32_t barrier = 0, warp = 0;
  for (const EmuThread &thread : threads) {
    barrier += thread.state == State::AtBarrier;
    warp += thread.state == State::AtWarp;
  }
  std::string text = "deadlock: " + std::to_string(barrier) +
                     " threads wait at __syncthreads and " +
                     std::to_string(warp) +
                     " at warp operations whose other lanes never arrive";
  for (size_t w = 0; w < warpGroups.size(); ++w)
    for (const auto &[mask, arrived] : warpGroups[w]) {
      char text2[96];
      std::snprintf(text2, sizeof(text2),
                    "; warp %zu: lanes 0x%08x of mask 0x%08x arrived", w,
                    arrived, mask);
      text += text2;
    }
  return text;
}

//===----------------------------------------------------------------------===//
// Hooks
//===----------------------------------------------------------------------===//

void BlockRunner::hookFault(deconv_emu::Thread *self, const char *message) {
  EmuThread &thread = of(self);
  thread.runner->raise(thread, message);
}

void BlockRunner::hookSyncThreads(deconv_emu::Thread *self) {
  EmuThread &thread = of(self);
  thread.runner->suspend(thread, State::AtBarrier);
}

void BlockRunner::hookWarp(deconv_emu::Thread *self,
                           const deconv_emu::WarpRequest *request,
                           deconv_emu::WarpReply *reply) {
  EmuThread &thread = of(self);
  thread.request = *request;
  thread.runner->suspend(thread, State::AtWarp);
  *reply = thread.reply;
}

Allocation *BlockRunner::hookFindAllocation(deconv_emu::Thread *self,
                                            uint64_t address) {
  const std::vector<Allocation *> &allocations =
      *of(self).runner->launch.allocations;
  auto next = std::upper_bound(
      allocations.begin(), allocations.end(), address,
      [](uint64_t value, const Allocation *a) { return value < a->address; });
  if (next == allocations.begin())
    return nullptr;
  Allocation *allocation = *(next - 1);
  // One past the end is a valid pointer (an empty tensor's, a loop's end).
  return address <= allocation->address + allocation->size ? allocation
                                                           : nullptr;
}

uint32_t BlockRunner::hookStaticShared(deconv_emu::Thread *self,
                                       const void *key, uint32_t bytes,
                                       uint32_t align) {
  EmuThread &thread = of(self);
  BlockRunner &runner = *thread.runner;
  auto found = runner.staticOffsets.find(key);
  if (found != runner.staticOffsets.end())
    return found->second;
  uint32_t offset = (runner.staticTop + align - 1) / align * align;
  uint64_t end = uint64_t(offset) + bytes;
  uint64_t staticBytes = end - runner.launch.dynamicShared;
  if (staticBytes > kMaxStaticShared)
    runner.raise(thread, "static shared memory of " +
                             std::to_string(staticBytes) +
                             " bytes exceeds the 48 KB a kernel may declare");
  if (end > runner.launch.maxShared)
    runner.raise(thread, "shared memory of " + std::to_string(end) +
                             " bytes (static and dynamic) exceeds the " +
                             std::to_string(runner.launch.maxShared) +
                             " a block may use");
  runner.staticTop = static_cast<uint32_t>(end);
  runner.claimShared(runner.staticTop);
  runner.staticOffsets.emplace(key, offset);
  return offset;
}

void BlockRunner::hookCpAsync(deconv_emu::Thread *self, uint32_t offset,
                              uint32_t arrayBegin, uint32_t arrayEnd,
                              Allocation *source, uint64_t sourceOffset,
                              uint32_t cpSize, uint32_t srcSize) {
  EmuThread &thread = of(self);
  BlockRunner &runner = *thread.runner;
  if (cpSize != 4 && cpSize != 8 && cpSize != 16)
    runner.raise(thread, "cp.async of " + std::to_string(cpSize) +
                             " bytes (4, 8 or 16)");
  if (srcSize > cpSize)
    runner.raise(thread, "cp.async reads " + std::to_string(srcSize) +
                             " bytes into a copy of " + std::to_string(cpSize));
  if (offset < arrayBegin || uint64_t(offset) + cpSize > arrayEnd)
    runner.raise(thread, "out-of-bounds cp.async of " + std::to_string(cpSize) +
                             " bytes to byte " +
                             std::to_string(int64_t(offset) - arrayBegin) +
                             " of a shared array of " +
                             std::to_string(arrayEnd - arrayBegin) + " bytes");
  if (offset % cpSize != 0)
    runner.raise(thread, "misaligned cp.async: shared byte " +
                             std::to_string(offset) + " is not " +
                             std::to_string(cpSize) + "-byte aligned");
  if (srcSize > 0) {
    if (!source || sourceOffset + srcSize > source->size)
      runner.raise(thread,
                   "out-of-bounds cp.async read of " + std::to_string(srcSize) +
                       " bytes at byte offset " + std::to_string(sourceOffset) +
                       " of a buffer of " +
                       std::to_string(source ? source->size : 0) + " bytes");
    if ((source->address + sourceOffset) % cpSize != 0)
      runner.raise(thread, "misaligned cp.async: global byte offset " +
                               std::to_string(sourceOffset) + " is not " +
                               std::to_string(cpSize) + "-byte aligned");
    for (uint32_t i = 0; i < srcSize; ++i) {
      if (!__atomic_load_n(&source->initialized[sourceOffset + i],
                           __ATOMIC_RELAXED))
        runner.raise(thread,
                     "cp.async reads never-written device memory: byte " +
                         std::to_string(sourceOffset + i) + " of a buffer of " +
                         std::to_string(source->size) + " bytes");
      if (deconv_emu::writtenByAnotherBlock(
              __atomic_load_n(&source->lastWriter[sourceOffset + i],
                              __ATOMIC_RELAXED),
              thread.abi))
        runner.raise(thread, "race: cp.async reads byte " +
                                 std::to_string(sourceOffset + i) +
                                 " of a buffer of " +
                                 std::to_string(source->size) +
                                 " bytes that another block of this launch "
                                 "wrote");
    }
    __atomic_store_n(&source->readByLaunch, runner.launch.serial,
                     __ATOMIC_RELAXED);
  }
  for (uint32_t i = 0; i < cpSize; ++i) {
    SharedShadow &shadow = runner.sharedShadow[offset + i];
    if (shadow.flags & deconv_emu::kAsyncPending)
      runner.raise(thread, "two cp.async in flight write shared byte " +
                               std::to_string(offset + i));
    shadow.flags |= deconv_emu::kAsyncPending;
  }
  thread.open.push_back({offset, source, sourceOffset, cpSize, srcSize});
}

void BlockRunner::hookCpAsyncCommit(deconv_emu::Thread *self) {
  EmuThread &thread = of(self);
  thread.committed.push_back(std::move(thread.open));
  thread.open.clear();
}

void BlockRunner::hookCpAsyncWait(deconv_emu::Thread *self, uint32_t pending) {
  EmuThread &thread = of(self);
  thread.runner->completeCopies(thread, pending);
}

void BlockRunner::completeCopies(EmuThread &thread, size_t keep) {
  while (thread.committed.size() > keep) {
    std::vector<AsyncCopy> group = std::move(thread.committed.front());
    thread.committed.erase(thread.committed.begin());
    for (const AsyncCopy &copy : group)
      completeCopy(thread, copy);
  }
}

void BlockRunner::completeCopy(EmuThread &thread, const AsyncCopy &copy) {
  // The copy lands now: it is this thread's write, in this epoch.
  for (uint32_t i = 0; i < copy.cpSize; ++i) {
    SharedShadow &shadow = sharedShadow[copy.offset + i];
    uint32_t warpEpoch = warpEpochs[thread.abi.warp];
    if ((shadow.flags & deconv_emu::kInitialized) &&
        shadow.writer != thread.abi.linear &&
        !deconv_emu::writeOrdered(shadow, blockEpoch, thread.abi.warp,
                                  warpEpoch))
      raise(thread,
            "race: a cp.async of thread " + std::to_string(thread.abi.linear) +
                " lands on shared byte " + std::to_string(copy.offset + i) +
                " that thread " + std::to_string(shadow.writer) +
                " wrote with no barrier between");
    if (deconv_emu::readByOther(shadow, thread.abi.linear, blockEpoch))
      raise(thread,
            "race: a cp.async of thread " + std::to_string(thread.abi.linear) +
                " lands on shared byte " + std::to_string(copy.offset + i) +
                " that other threads read with no barrier between");
    deconv_emu::recordWrite(shadow, thread.abi.linear, blockEpoch, warpEpoch);
    sharedData[copy.offset + i] =
        i < copy.srcSize ? copy.source->data[copy.sourceOffset + i] : 0;
  }
}

FaultKind classify(const std::string &fault) {
  if (fault.rfind("out-of-bounds", 0) == 0 ||
      fault.find("is not a device address") != std::string::npos ||
      fault.find("null device pointer") != std::string::npos)
    return FaultKind::IllegalAddress;
  if (fault.rfind("misaligned", 0) == 0)
    return FaultKind::MisalignedAddress;
  return FaultKind::Other;
}

} // namespace

GridResult deconv::emulator::runGrid(const GridLaunch &launch) {
  const uint64_t blocks =
      uint64_t(launch.grid.x) * launch.grid.y * launch.grid.z;
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  std::atomic<uint64_t> threadCount{0};
  std::mutex mutex;
  GridResult result;
  auto work = [&] {
    BlockRunner runner(launch);
    for (uint64_t block = next++; block < blocks && !failed; block = next++) {
      std::string fault = runner.run(block);
      if (fault.empty())
        continue;
      std::lock_guard<std::mutex> lock(mutex);
      if (!failed.exchange(true)) {
        result.fault = fault;
        result.kind = classify(fault);
      }
    }
    threadCount += runner.getThreadCount();
  };
  unsigned workers = static_cast<unsigned>(
      std::max<uint64_t>(1, std::min<uint64_t>(launch.workers, blocks)));
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < workers; ++w)
    pool.emplace_back(work);
  work();
  for (std::thread &thread : pool)
    thread.join();
  result.threads = threadCount;
  return result;
}
