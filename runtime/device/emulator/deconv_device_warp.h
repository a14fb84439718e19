//===- deconv_device_warp.h - warp-level wrappers, emulation ---*- C++ -*-===//
//
// The warp-level surface of the device prelude for the host emulator: the
// CUDA warp intrinsics (__syncwarp, __shfl_*_sync, __all_sync, __any_sync,
// __uni_sync, __ballot_sync) and the project's wrappers for mma.sync,
// ldmatrix, cp.async and cvt.rna.tf32.f32, with the names and call syntax of
// runtime/device/cuda/deconv_device_warp.h. A warp-wide instruction deposits
// this lane's deconv_emu::WarpRequest with the emulator, which computes the
// whole warp's result as the PTX ISA defines it (runtime/lib/Emulator/
// WarpOps.cpp) once the lanes have arrived; cp.async goes to the emulator's
// asynchronous-copy hooks.
//
// Included at the end of the emulator's deconv_device.h.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DEVICE_WARP_H
#define DECONV_DEVICE_WARP_H

namespace deconv_emu {
namespace warp {

/// Executes one warp-wide instruction for this lane: returns its reply.
inline WarpReply execute(const WarpRequest &request) {
  Thread &thread = self();
  WarpReply reply;
  thread.hooks->warp(&thread, &request, &reply);
  return reply;
}

/// shfl.sync with the b and c operands CUDA's headers pass (sm_30_intrinsics):
/// b is the lane, delta or lane mask as given; c holds the segment mask
/// 32 - width in bits 12:8 and the clamp value in bits 4:0, 0 for .up (the
/// segment's first lane) and 31 otherwise (its last).
inline uint32_t shuffle(WarpOp op, unsigned mask, uint32_t value, uint32_t b,
                        int width, const char *name) {
  // CUDA: "width must have a value which is a power of 2" in [1, warpSize];
  // other widths give segment masks that are not segments.
  if (width < 1 || width > 32 || (width & (width - 1)) != 0)
    fail("%s: width %d is not a power of two in [1, 32] (the result is "
         "undefined)",
         name, width);
  WarpRequest request;
  request.op = op;
  request.mask = mask;
  request.imm[0] = b;
  request.imm[1] = ((32u - static_cast<uint32_t>(width)) << 8) |
                   (op == WarpOp::ShflUp ? 0u : 0x1fu);
  request.in[0] = value;
  return execute(request).out[0];
}

/// 64-bit values move as two 32-bit shuffles, high word first, as in CUDA.
template <typename T>
T shuffle64(WarpOp op, unsigned mask, T value, uint32_t b, int width,
            const char *name) {
  static_assert(sizeof(T) == 8, "a 64-bit type");
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint64_t high =
      shuffle(op, mask, static_cast<uint32_t>(bits >> 32), b, width, name);
  uint64_t low = shuffle(op, mask, static_cast<uint32_t>(bits), b, width, name);
  bits = (high << 32) | low;
  std::memcpy(&value, &bits, sizeof(bits));
  return value;
}

inline uint32_t vote(WarpOp op, unsigned mask, int predicate) {
  WarpRequest request;
  request.op = op;
  request.mask = mask;
  request.in[0] = predicate != 0;
  return execute(request).out[0];
}

/// An mma.sync: A in in[0..3], B in in[4..5], C in in[6..9], D from out[0..3]
/// (C is copied before D is written, so d may alias c).
template <typename Accumulator>
void mma(WarpOp op, Accumulator (&d)[4], const unsigned (&a)[4],
         const unsigned (&b)[2], const Accumulator (&c)[4]) {
  static_assert(sizeof(Accumulator) == 4, "a 32-bit accumulator");
  WarpRequest request;
  request.op = op;
  for (int i = 0; i < 4; ++i)
    request.in[i] = a[i];
  request.in[4] = b[0];
  request.in[5] = b[1];
  for (int i = 0; i < 4; ++i)
    std::memcpy(&request.in[6 + i], &c[i], 4);
  WarpReply reply = execute(request);
  for (int i = 0; i < 4; ++i)
    std::memcpy(&d[i], &reply.out[i], 4);
}

/// An ldmatrix of `count` 8x8 b16 matrices: this lane's row address (a shared
/// byte offset) and the bounds of the array it points into.
template <typename T>
void ldmatrix(unsigned *r, unsigned count, bool transposed,
              const SharedPtr<T> &row) {
  int64_t offset = row.getOffset();
  if (offset < 0 || offset > static_cast<int64_t>(UINT32_MAX))
    fail("ldmatrix: the row address (byte %lld) is outside shared memory",
         (long long)offset);
  WarpRequest request;
  request.op = WarpOp::LdMatrix;
  request.imm[0] = count;
  request.imm[1] = transposed ? 1 : 0;
  request.in[0] = static_cast<uint32_t>(offset);
  request.in[1] = row.getBegin();
  request.in[2] = row.getEnd();
  WarpReply reply = execute(request);
  for (unsigned i = 0; i < count; ++i)
    r[i] = reply.out[i];
}

} // namespace warp
} // namespace deconv_emu

//===----------------------------------------------------------------------===//
// CUDA warp intrinsics
//===----------------------------------------------------------------------===//

inline void __syncwarp(unsigned mask = 0xffffffffu) {
  deconv_emu::WarpRequest request;
  request.op = deconv_emu::WarpOp::SyncWarp;
  request.mask = mask;
  deconv_emu::warp::execute(request);
}

inline int __shfl_sync(unsigned mask, int var, int srcLane, int width = 32) {
  return static_cast<int>(deconv_emu::warp::shuffle(
      deconv_emu::WarpOp::ShflIdx, mask, static_cast<uint32_t>(var),
      static_cast<uint32_t>(srcLane), width, "__shfl_sync"));
}
inline unsigned __shfl_sync(unsigned mask, unsigned var, int srcLane,
                            int width = 32) {
  return deconv_emu::warp::shuffle(deconv_emu::WarpOp::ShflIdx, mask, var,
                                   static_cast<uint32_t>(srcLane), width,
                                   "__shfl_sync");
}
inline float __shfl_sync(unsigned mask, float var, int srcLane,
                         int width = 32) {
  return __uint_as_float(deconv_emu::warp::shuffle(
      deconv_emu::WarpOp::ShflIdx, mask, __float_as_uint(var),
      static_cast<uint32_t>(srcLane), width, "__shfl_sync"));
}

inline int __shfl_up_sync(unsigned mask, int var, unsigned delta,
                          int width = 32) {
  return static_cast<int>(deconv_emu::warp::shuffle(
      deconv_emu::WarpOp::ShflUp, mask, static_cast<uint32_t>(var), delta,
      width, "__shfl_up_sync"));
}
inline unsigned __shfl_up_sync(unsigned mask, unsigned var, unsigned delta,
                               int width = 32) {
  return deconv_emu::warp::shuffle(deconv_emu::WarpOp::ShflUp, mask, var, delta,
                                   width, "__shfl_up_sync");
}
inline float __shfl_up_sync(unsigned mask, float var, unsigned delta,
                            int width = 32) {
  return __uint_as_float(deconv_emu::warp::shuffle(
      deconv_emu::WarpOp::ShflUp, mask, __float_as_uint(var), delta, width,
      "__shfl_up_sync"));
}

inline int __shfl_down_sync(unsigned mask, int var, unsigned delta,
                            int width = 32) {
  return static_cast<int>(deconv_emu::warp::shuffle(
      deconv_emu::WarpOp::ShflDown, mask, static_cast<uint32_t>(var), delta,
      width, "__shfl_down_sync"));
}
inline unsigned __shfl_down_sync(unsigned mask, unsigned var, unsigned delta,
                                 int width = 32) {
  return deconv_emu::warp::shuffle(deconv_emu::WarpOp::ShflDown, mask, var,
                                   delta, width, "__shfl_down_sync");
}
inline float __shfl_down_sync(unsigned mask, float var, unsigned delta,
                              int width = 32) {
  return __uint_as_float(deconv_emu::warp::shuffle(
      deconv_emu::WarpOp::ShflDown, mask, __float_as_uint(var), delta, width,
      "__shfl_down_sync"));
}

inline int __shfl_xor_sync(unsigned mask, int var, int laneMask,
                           int width = 32) {
  return static_cast<int>(deconv_emu::warp::shuffle(
      deconv_emu::WarpOp::ShflBfly, mask, static_cast<uint32_t>(var),
      static_cast<uint32_t>(laneMask), width, "__shfl_xor_sync"));
}
inline unsigned __shfl_xor_sync(unsigned mask, unsigned var, int laneMask,
                                int width = 32) {
  return deconv_emu::warp::shuffle(deconv_emu::WarpOp::ShflBfly, mask, var,
                                   static_cast<uint32_t>(laneMask), width,
                                   "__shfl_xor_sync");
}
inline float __shfl_xor_sync(unsigned mask, float var, int laneMask,
                             int width = 32) {
  return __uint_as_float(deconv_emu::warp::shuffle(
      deconv_emu::WarpOp::ShflBfly, mask, __float_as_uint(var),
      static_cast<uint32_t>(laneMask), width, "__shfl_xor_sync"));
}

// The 64-bit overloads CUDA also has, so a call that resolves to one of them
// there is not ambiguous here.
#define DECONV_EMU_SHUFFLE64(T)                                                \
  inline T __shfl_sync(unsigned mask, T var, int srcLane, int width = 32) {    \
    return deconv_emu::warp::shuffle64(deconv_emu::WarpOp::ShflIdx, mask, var, \
                                       static_cast<uint32_t>(srcLane), width,  \
                                       "__shfl_sync");                         \
  }                                                                            \
  inline T __shfl_up_sync(unsigned mask, T var, unsigned delta,                \
                          int width = 32) {                                    \
    return deconv_emu::warp::shuffle64(deconv_emu::WarpOp::ShflUp, mask, var,  \
                                       delta, width, "__shfl_up_sync");        \
  }                                                                            \
  inline T __shfl_down_sync(unsigned mask, T var, unsigned delta,              \
                            int width = 32) {                                  \
    return deconv_emu::warp::shuffle64(deconv_emu::WarpOp::ShflDown, mask,     \
                                       var, delta, width, "__shfl_down_sync"); \
  }                                                                            \
  inline T __shfl_xor_sync(unsigned mask, T var, int laneMask,                 \
                           int width = 32) {                                   \
    return deconv_emu::warp::shuffle64(deconv_emu::WarpOp::ShflBfly, mask,     \
                                       var, static_cast<uint32_t>(laneMask),   \
                                       width, "__shfl_xor_sync");              \
  }
DECONV_EMU_SHUFFLE64(long)
DECONV_EMU_SHUFFLE64(unsigned long)
DECONV_EMU_SHUFFLE64(long long)
DECONV_EMU_SHUFFLE64(unsigned long long)
DECONV_EMU_SHUFFLE64(double)
#undef DECONV_EMU_SHUFFLE64

inline int __all_sync(unsigned mask, int predicate) {
  return static_cast<int>(
      deconv_emu::warp::vote(deconv_emu::WarpOp::VoteAll, mask, predicate));
}
inline int __any_sync(unsigned mask, int predicate) {
  return static_cast<int>(
      deconv_emu::warp::vote(deconv_emu::WarpOp::VoteAny, mask, predicate));
}
inline int __uni_sync(unsigned mask, int predicate) {
  return static_cast<int>(
      deconv_emu::warp::vote(deconv_emu::WarpOp::VoteUni, mask, predicate));
}
inline unsigned __ballot_sync(unsigned mask, int predicate) {
  return deconv_emu::warp::vote(deconv_emu::WarpOp::Ballot, mask, predicate);
}

//===----------------------------------------------------------------------===//
// mma.sync
//===----------------------------------------------------------------------===//

inline void deconv_mma_m16n8k16_f16(float (&d)[4], const unsigned (&a)[4],
                                    const unsigned (&b)[2],
                                    const float (&c)[4]) {
  deconv_emu::warp::mma(deconv_emu::WarpOp::MmaF16F32, d, a, b, c);
}
inline void deconv_mma_m16n8k16_bf16(float (&d)[4], const unsigned (&a)[4],
                                     const unsigned (&b)[2],
                                     const float (&c)[4]) {
  deconv_emu::warp::mma(deconv_emu::WarpOp::MmaBf16F32, d, a, b, c);
}
inline void deconv_mma_m16n8k8_tf32(float (&d)[4], const unsigned (&a)[4],
                                    const unsigned (&b)[2],
                                    const float (&c)[4]) {
  deconv_emu::warp::mma(deconv_emu::WarpOp::MmaTf32F32, d, a, b, c);
}
inline void deconv_mma_m16n8k32_s8(int (&d)[4], const unsigned (&a)[4],
                                   const unsigned (&b)[2], const int (&c)[4]) {
  deconv_emu::warp::mma(deconv_emu::WarpOp::MmaS8S32, d, a, b, c);
}

//===----------------------------------------------------------------------===//
// ldmatrix
//===----------------------------------------------------------------------===//

template <typename T>
void deconv_ldmatrix_x1(unsigned (&r)[1], deconv_emu::SharedPtr<T> row) {
  deconv_emu::warp::ldmatrix(r, 1, false, row);
}
template <typename T>
void deconv_ldmatrix_x2(unsigned (&r)[2], deconv_emu::SharedPtr<T> row) {
  deconv_emu::warp::ldmatrix(r, 2, false, row);
}
template <typename T>
void deconv_ldmatrix_x4(unsigned (&r)[4], deconv_emu::SharedPtr<T> row) {
  deconv_emu::warp::ldmatrix(r, 4, false, row);
}
template <typename T>
void deconv_ldmatrix_x1_trans(unsigned (&r)[1], deconv_emu::SharedPtr<T> row) {
  deconv_emu::warp::ldmatrix(r, 1, true, row);
}
template <typename T>
void deconv_ldmatrix_x2_trans(unsigned (&r)[2], deconv_emu::SharedPtr<T> row) {
  deconv_emu::warp::ldmatrix(r, 2, true, row);
}
template <typename T>
void deconv_ldmatrix_x4_trans(unsigned (&r)[4], deconv_emu::SharedPtr<T> row) {
  deconv_emu::warp::ldmatrix(r, 4, true, row);
}

//===----------------------------------------------------------------------===//
// cp.async
//===----------------------------------------------------------------------===//

/// cp.async.{cg,ca}.shared.global [dst], [src], cpBytes, srcBytes: the rules
/// the PTX ISA states for the operands are checked here (sizes, natural
/// alignment of both addresses); the emulator checks bounds and tracks the
/// copy until a wait completes its group.
template <typename D, typename S>
void deconv_cp_async(deconv_emu::SharedPtr<D> dst, deconv_emu::GlobalPtr<S> src,
                     unsigned cpBytes, unsigned srcBytes) {
  using namespace deconv_emu;
  if (cpBytes != 4 && cpBytes != 8 && cpBytes != 16)
    fail("cp.async: cp-size %u is not 4, 8 or 16", cpBytes);
  if (srcBytes > cpBytes)
    fail("cp.async: src-size %u is larger than cp-size %u (undefined "
         "behavior)",
         srcBytes, cpBytes);
  int64_t dstOffset = dst.getOffset();
  if (dstOffset < static_cast<int64_t>(dst.getBegin()) ||
      dstOffset + cpBytes > static_cast<int64_t>(dst.getEnd()))
    fail("cp.async: out-of-bounds write of %u bytes at byte %lld of a shared "
         "array of %u bytes",
         cpBytes, (long long)(dstOffset - dst.getBegin()),
         dst.getEnd() - dst.getBegin());
  if (dstOffset % cpBytes != 0)
    fail("cp.async of %u bytes: the shared destination (byte %lld) is not "
         "%u-byte aligned",
         cpBytes, (long long)dstOffset, cpBytes);
  Allocation *source = src.getAllocation();
  if (!source && srcBytes > 0)
    fail("cp.async from a null device pointer");
  uint64_t address = (source ? source->address : 0) + src.getOffset();
  if (address % cpBytes != 0)
    fail("cp.async of %u bytes: the global source (byte offset %lld of a "
         "buffer of %llu bytes) is not %u-byte aligned",
         cpBytes, (long long)src.getOffset(),
         (unsigned long long)(source ? source->size : 0), cpBytes);
  Thread &thread = self();
  thread.hooks->cpAsync(
      &thread, static_cast<uint32_t>(dstOffset), dst.getBegin(), dst.getEnd(),
      source, static_cast<uint64_t>(src.getOffset()), cpBytes, srcBytes);
}

inline void deconv_cp_async_commit() {
  deconv_emu::Thread &thread = deconv_emu::self();
  thread.hooks->cpAsyncCommit(&thread);
}

template <int N> void deconv_cp_async_wait() {
  static_assert(N >= 0, "cp.async.wait_group takes a count of groups");
  deconv_emu::Thread &thread = deconv_emu::self();
  thread.hooks->cpAsyncWait(&thread, static_cast<uint32_t>(N));
}

/// cp.async.wait_all "is equivalent to: cp.async.commit_group;
/// cp.async.wait_group 0;" (PTX ISA).
inline void deconv_cp_async_wait_all() {
  deconv_cp_async_commit();
  deconv_cp_async_wait<0>();
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

/// cvt.rna.tf32.f32: round to nearest, ties away from zero, to a tf32 held in
/// the high 19 bits of an f32 encoding (the 13 low bits zero, as sm_80 and
/// later produce). Infinities stay; NaN gives the canonical NaN 0x7fffffff;
/// finite values that round past the largest tf32 become infinity (no
/// .satfinite).
inline unsigned deconv_float_to_tf32(float f) {
  unsigned bits = __float_as_uint(f);
  if ((bits & 0x7f800000u) == 0x7f800000u)
    return (bits & 0x007fffffu) ? 0x7fffffffu : bits;
  // On a sign-magnitude encoding, adding half a tf32 ulp to the magnitude and
  // truncating rounds half away from zero; a carry into the exponent gives
  // the next binade, or infinity, as it should.
  return (bits + 0x1000u) & 0xffffe000u;
}

#endif // DECONV_DEVICE_WARP_H
