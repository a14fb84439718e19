//===- deconv_emulator_abi.h - the emulator's kernel ABI --------*- C++ -*-===//
//
// What a kernel compiled for the host emulator and the emulator inside the
// runtime share: plain structs and a table of function pointers, no library
// types, so the kernel's shared object (built by the system C++ compiler) and
// the runtime agree on layout whatever each was built with. The runtime
// includes this file; the emulated device header (deconv_device.h for the
// emulator) includes it too and builds the CUDA-looking surface on top.
//
// Versioned: a kernel object built against another version is refused at
// load time.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_EMULATOR_ABI_H
#define DECONV_EMULATOR_ABI_H

#include <cstddef>
#include <cstdint>

namespace deconv_emu {

inline constexpr uint32_t kAbiVersion = 2;
inline constexpr unsigned kWarpSize = 32;

struct Dim3 {
  unsigned x = 1, y = 1, z = 1;
};

/// One device allocation as kernels see it. `initialized` and `lastWriter`
/// shadow every byte: whether it was ever written, and which thread of which
/// launch wrote it last ((launch serial << 40) | (global thread index + 1)).
struct Allocation {
  uint64_t address = 0;
  uint64_t size = 0;
  unsigned char *data = nullptr;
  unsigned char *initialized = nullptr;
  uint64_t *lastWriter = nullptr;
  /// Set by kernels: the launch read or wrote it (for stream-order checks).
  uint64_t readByLaunch = 0, writtenByLaunch = 0;
};

/// Shadow of one byte of shared memory, for uninitialized reads, races
/// (accesses by two threads with no barrier between them) and reads of bytes
/// a cp.async still has in flight. Stamps are barrier epochs plus one (0:
/// never).
struct SharedShadow {
  uint32_t writeEpoch = 0;     ///< Block epoch of the last write.
  uint32_t writeWarpEpoch = 0; ///< The writer's warp epoch (__syncwarp).
  uint32_t readEpoch = 0;      ///< Block epoch of the last read.
  uint16_t writer = 0;         ///< Thread (in block) of the last write.
  uint16_t reader = 0;         ///< Thread of the last read, kManyReaders.
  uint8_t flags = 0;           ///< kInitialized | kAsyncPending.
};
inline constexpr uint16_t kManyReaders = 0xffff;
inline constexpr uint8_t kInitialized = 1, kAsyncPending = 2;

/// The race rules on one shared byte, one copy for the kernels' loads and
/// stores and the runtime's warp-wide reads and cp.async landings.
///
/// Whether the last write happens before an access by a thread of `warp`: a
/// block barrier since, or a __syncwarp of the writer's own warp since.
inline bool writeOrdered(const SharedShadow &shadow, uint32_t blockEpoch,
                         uint32_t warp, uint32_t warpEpoch) {
  if (shadow.writeEpoch != blockEpoch)
    return true;
  return shadow.writer / kWarpSize == warp &&
         shadow.writeWarpEpoch != warpEpoch;
}
/// Whether a thread other than `thread` read the byte since the last barrier
/// (a write by `thread` now races with that read).
inline bool readByOther(const SharedShadow &shadow, uint32_t thread,
                        uint32_t blockEpoch) {
  return shadow.readEpoch == blockEpoch && shadow.reader != thread;
}
/// Records a read: one reader per epoch, or kManyReaders.
inline void recordRead(SharedShadow &shadow, uint32_t thread,
                       uint32_t blockEpoch) {
  if (shadow.readEpoch != blockEpoch)
    shadow.reader = static_cast<uint16_t>(thread);
  else if (shadow.reader != thread)
    shadow.reader = kManyReaders;
  shadow.readEpoch = blockEpoch;
}
/// Records a write that landed: the byte is initialized and no copy to it is
/// pending.
inline void recordWrite(SharedShadow &shadow, uint32_t thread,
                        uint32_t blockEpoch, uint32_t warpEpoch) {
  shadow.flags = kInitialized;
  shadow.writer = static_cast<uint16_t>(thread);
  shadow.writeEpoch = blockEpoch;
  shadow.writeWarpEpoch = warpEpoch;
}

/// A block's shared memory: static arrays first, the dynamic part at
/// `dynamicOffset`.
struct SharedMemory {
  unsigned char *data = nullptr;
  SharedShadow *shadow = nullptr;
  uint32_t size = 0;
  uint32_t dynamicOffset = 0, dynamicSize = 0;
};

/// Warp-wide operations: every participating lane deposits a request and
/// gets a reply once all of them arrived; the emulator computes the reply of
/// the whole warp at once, as the PTX ISA defines the instruction.
enum class WarpOp : uint32_t {
  SyncWarp,
  ShflIdx,  ///< in[0] value, imm[0] source lane, imm[1] c (clamp/segment)
  ShflUp,   ///< in[0] value, imm[0] delta, imm[1] c
  ShflDown, ///< in[0] value, imm[0] delta, imm[1] c
  ShflBfly, ///< in[0] value, imm[0] lane mask, imm[1] c
  VoteAll,  ///< in[0] predicate (0/1)
  VoteAny,
  VoteUni,
  Ballot,
  /// mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32: in[0..3] A,
  /// in[4..5] B, in[6..9] C (f32 bits); out[0..3] D.
  MmaF16F32,
  /// The same with .bf16 inputs.
  MmaBf16F32,
  /// mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32: in[0..3] A,
  /// in[4..5] B, in[6..9] C; out[0..3] D.
  MmaTf32F32,
  /// mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32: in[0..3] A,
  /// in[4..5] B, in[6..9] C (s32); out[0..3] D.
  MmaS8S32,
  /// ldmatrix.sync.aligned.m8n8.x{imm[0]}[.trans].shared.b16: in[0] the
  /// lane's row address (shared byte offset), in[1..2] the bounds of the
  /// shared array it points into; imm[1] = 1 for .trans; out[0..imm[0]-1].
  LdMatrix,
};

inline constexpr unsigned kWarpWords = 12;

struct WarpRequest {
  WarpOp op = WarpOp::SyncWarp;
  uint32_t mask = 0xffffffffu; ///< The member mask the lane passed.
  uint32_t imm[2] = {0, 0};
  uint32_t in[kWarpWords] = {};
};

struct WarpReply {
  uint32_t out[kWarpWords] = {};
};

struct Thread;

/// What the emulator provides to kernels. `fault` reports a broken rule and
/// never returns (the launch ends with that message).
struct Hooks {
  void (*fault)(Thread *self, const char *message);
  void (*syncThreads)(Thread *self);
  void (*warp)(Thread *self, const WarpRequest *request, WarpReply *reply);
  /// The allocation holding device address `address`, or null.
  Allocation *(*findAllocation)(Thread *self, uint64_t address);
  /// The block's offset of the static shared array declared at `key`.
  uint32_t (*staticShared)(Thread *self, const void *key, uint32_t bytes,
                           uint32_t align);
  /// cp.async of `cpSize` bytes (4, 8 or 16), `srcSize` of them read from
  /// `source` + `sourceOffset` (the rest zero-filled), to shared `offset`;
  /// `arrayEnd` bounds the destination array.
  void (*cpAsync)(Thread *self, uint32_t offset, uint32_t arrayBegin,
                  uint32_t arrayEnd, Allocation *source, uint64_t sourceOffset,
                  uint32_t cpSize, uint32_t srcSize);
  void (*cpAsyncCommit)(Thread *self);
  /// Completes all but the `pending` most recent committed groups.
  void (*cpAsyncWait)(Thread *self, uint32_t pending);
};

/// One emulated thread, as its kernel code sees it.
struct Thread {
  Dim3 threadIdx, blockIdx, blockDim, gridDim;
  uint32_t linear = 0; ///< Index in the block (x fastest).
  uint32_t lane = 0, warp = 0;
  uint64_t writerId = 0; ///< (launch serial << 40) | (global index + 1).
  uint64_t launchSerial = 0;
  uint64_t blockLinear = 0;
  const uint32_t *blockEpoch = nullptr; ///< Barriers passed, plus one.
  const uint32_t *warpEpochs = nullptr; ///< Per warp: __syncwarp passed + 1.
  SharedMemory *shared = nullptr;
  const Hooks *hooks = nullptr;
  void *emulator = nullptr; ///< The emulator's own per-thread state.
};

/// Whether the last writer of a global byte (its `lastWriter` stamp) is a
/// thread of this launch in another block than `reader`'s: nothing orders
/// two blocks of one launch, so reading that byte is a race.
inline bool writtenByAnotherBlock(uint64_t writer, const Thread &reader) {
  if ((writer >> 40) != (reader.writerId >> 40) || writer == reader.writerId)
    return false;
  uint64_t blockThreads =
      uint64_t(reader.blockDim.x) * reader.blockDim.y * reader.blockDim.z;
  return ((writer & ((uint64_t(1) << 40) - 1)) - 1) / blockThreads !=
         reader.blockLinear;
}

/// Kernels take at most this many parameters (CUDA's limit is a 32 KB
/// block; ours have a handful).
inline constexpr uint32_t kMaxParameters = 64;

/// The bytes of each parameter slot, as the driver knows them from a
/// CUBIN's parameter info: what it copies out of `kernelParams` when a
/// launch is captured into a graph.
struct ParameterLayout {
  uint32_t count = 0;
  uint32_t bytes[kMaxParameters] = {};
};

/// What the emulated compiler records per kernel (`__launch_bounds__`, the
/// parameters).
struct KernelInfo {
  uint32_t abiVersion = kAbiVersion;
  uint32_t maxThreadsPerBlock = 0; ///< 0: no launch bounds.
  uint32_t minBlocksPerSm = 0;
  ParameterLayout parameters;
};

} // namespace deconv_emu

#endif // DECONV_EMULATOR_ABI_H
