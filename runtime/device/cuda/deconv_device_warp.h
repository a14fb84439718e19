//===- deconv_device_warp.h - warp-level wrappers, CUDA --------*- C++ -*-===//
//
// The project's wrappers for the warp-level PTX instructions kernels use:
// mma.sync, ldmatrix, cp.async and cvt.rna.tf32.f32, as inline PTX (the asm
// strings follow the PTX ISA and CUTLASS's cute/arch/mma_sm80.hpp,
// copy_sm75.hpp and copy_sm80.hpp). The host emulator's header of the same
// name (runtime/device/emulator) has the same names and call syntax, so one
// kernel source compiles for both. The CUDA warp intrinsics (__syncwarp,
// __shfl_*_sync, __all_sync, ...) are NVRTC's own here; the emulator defines
// its versions.
//
// Included at the end of deconv_device.h; everything needs sm_80 or later.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DEVICE_WARP_H
#define DECONV_DEVICE_WARP_H

//===----------------------------------------------------------------------===//
// mma.sync: D = A * B + C for one warp. Fragments are laid out as in the PTX
// ISA's "Matrix Fragments for mma.m16n8k16 / m16n8k8 / m16n8k32" sections.
//===----------------------------------------------------------------------===//

/// mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32; a and b hold two f16
/// per register (low half first).
__device__ __forceinline__ void deconv_mma_m16n8k16_f16(float (&d)[4],
                                                        const unsigned (&a)[4],
                                                        const unsigned (&b)[2],
                                                        const float (&c)[4]) {
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
               "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
               "{%10, %11, %12, %13};\n"
               : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]),
                 "r"(b[1]), "f"(c[0]), "f"(c[1]), "f"(c[2]), "f"(c[3]));
}

/// mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32; a and b hold two
/// bf16 per register (low half first).
__device__ __forceinline__ void deconv_mma_m16n8k16_bf16(float (&d)[4],
                                                         const unsigned (&a)[4],
                                                         const unsigned (&b)[2],
                                                         const float (&c)[4]) {
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
               "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
               "{%10, %11, %12, %13};\n"
               : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]),
                 "r"(b[1]), "f"(c[0]), "f"(c[1]), "f"(c[2]), "f"(c[3]));
}

/// mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32; a and b hold one tf32
/// per register (from deconv_float_to_tf32; the 13 low mantissa bits are not
/// part of a tf32 value).
__device__ __forceinline__ void deconv_mma_m16n8k8_tf32(float (&d)[4],
                                                        const unsigned (&a)[4],
                                                        const unsigned (&b)[2],
                                                        const float (&c)[4]) {
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
               "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
               "{%10, %11, %12, %13};\n"
               : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]),
                 "r"(b[1]), "f"(c[0]), "f"(c[1]), "f"(c[2]), "f"(c[3]));
}

/// mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32; a and b hold four s8 per
/// register (low byte first). No .satfinite: an overflowing sum wraps.
__device__ __forceinline__ void deconv_mma_m16n8k32_s8(int (&d)[4],
                                                       const unsigned (&a)[4],
                                                       const unsigned (&b)[2],
                                                       const int (&c)[4]) {
  asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 "
               "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
               "{%10, %11, %12, %13};\n"
               : "=r"(d[0]), "=r"(d[1]), "=r"(d[2]), "=r"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]),
                 "r"(b[1]), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]));
}

//===----------------------------------------------------------------------===//
// ldmatrix.sync.aligned.m8n8.x{1,2,4}{.trans}.shared.b16: `row` is this lane's
// row address (lanes 8m..8m+7 address the rows of matrix m; 16-byte rows,
// 16-byte aligned). Like CUTLASS, no "memory" clobber: kernels order their
// shared stores before an ldmatrix with __syncthreads or __syncwarp, which
// the compiler does not move memory accesses across.
//===----------------------------------------------------------------------===//

template <typename T>
__device__ __forceinline__ unsigned deconv_detail_shared_address(T *pointer) {
  return static_cast<unsigned>(__cvta_generic_to_shared(pointer));
}

template <typename T>
__device__ __forceinline__ void deconv_ldmatrix_x1(unsigned (&r)[1], T *row) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x1.shared.b16 {%0}, [%1];\n"
               : "=r"(r[0])
               : "r"(deconv_detail_shared_address(row)));
}

template <typename T>
__device__ __forceinline__ void deconv_ldmatrix_x2(unsigned (&r)[2], T *row) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0, %1}, [%2];\n"
               : "=r"(r[0]), "=r"(r[1])
               : "r"(deconv_detail_shared_address(row)));
}

template <typename T>
__device__ __forceinline__ void deconv_ldmatrix_x4(unsigned (&r)[4], T *row) {
  asm volatile(
      "ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
      : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
      : "r"(deconv_detail_shared_address(row)));
}

template <typename T>
__device__ __forceinline__ void deconv_ldmatrix_x1_trans(unsigned (&r)[1],
                                                         T *row) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x1.trans.shared.b16 {%0}, [%1];\n"
               : "=r"(r[0])
               : "r"(deconv_detail_shared_address(row)));
}

template <typename T>
__device__ __forceinline__ void deconv_ldmatrix_x2_trans(unsigned (&r)[2],
                                                         T *row) {
  asm volatile(
      "ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0, %1}, [%2];\n"
      : "=r"(r[0]), "=r"(r[1])
      : "r"(deconv_detail_shared_address(row)));
}

template <typename T>
__device__ __forceinline__ void deconv_ldmatrix_x4_trans(unsigned (&r)[4],
                                                         T *row) {
  asm volatile(
      "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
      : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
      : "r"(deconv_detail_shared_address(row)));
}

//===----------------------------------------------------------------------===//
// cp.async (global to shared), its groups and waits. The "memory" clobbers
// keep the compiler from moving shared accesses across the copy's start and
// its wait, where the data changes behind its back.
//===----------------------------------------------------------------------===//

/// Copies `cpBytes` (4, 8 or 16; a constant after inlining) bytes to shared
/// `dst`, of which the first `srcBytes` (at most cpBytes) come from global
/// `src` and the rest are zero. Both addresses must be cpBytes-aligned.
/// cp.async.cg (L2 only) accepts only 16 bytes, so 4 and 8 use .ca.
template <typename D, typename S>
__device__ __forceinline__ void
deconv_cp_async(D *dst, const S *src, unsigned cpBytes, unsigned srcBytes) {
  unsigned dstAddress = deconv_detail_shared_address(dst);
  size_t srcAddress = __cvta_generic_to_global(src);
  if (cpBytes == 16)
    asm volatile(
        "cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dstAddress),
        "l"(srcAddress), "r"(srcBytes)
        : "memory");
  else if (cpBytes == 8)
    asm volatile(
        "cp.async.ca.shared.global [%0], [%1], 8, %2;\n" ::"r"(dstAddress),
        "l"(srcAddress), "r"(srcBytes)
        : "memory");
  else if (cpBytes == 4)
    asm volatile(
        "cp.async.ca.shared.global [%0], [%1], 4, %2;\n" ::"r"(dstAddress),
        "l"(srcAddress), "r"(srcBytes)
        : "memory");
  else
    __trap(); // The emulator reports the size; here there is no other way.
}

/// cp.async.commit_group: the thread's cp.async since the last commit form a
/// group.
__device__ __forceinline__ void deconv_cp_async_commit() {
  asm volatile("cp.async.commit_group;\n" ::: "memory");
}

/// cp.async.wait_group N: waits until at most the N most recent groups are
/// pending.
template <int N> __device__ __forceinline__ void deconv_cp_async_wait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory");
}

/// cp.async.wait_all: commits, then waits for every group.
__device__ __forceinline__ void deconv_cp_async_wait_all() {
  asm volatile("cp.async.wait_all;\n" ::: "memory");
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

/// cvt.rna.tf32.f32: rounds to tf32 (nearest, ties away from zero), for the
/// operands of deconv_mma_m16n8k8_tf32.
__device__ __forceinline__ unsigned deconv_float_to_tf32(float f) {
  unsigned t;
  asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(t) : "f"(f));
  return t;
}

#endif // DECONV_DEVICE_WARP_H
