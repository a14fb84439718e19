//===- deconv_device.h - the device prelude, CUDA --------------*- C++ -*-===//
//
// Kernel sources include "deconv_device.h" and are written against it; this
// is the implementation NVRTC compiles them with. The host emulator has its
// own (runtime/device/emulator) with the same names, whose handles check
// every access. Here everything is the plain CUDA construct, so the
// abstraction costs nothing on the GPU.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DEVICE_H
#define DECONV_DEVICE_H

/// A kernel parameter or pointer into device memory.
#define DECONV_GLOBAL(T) T *__restrict__
/// A pointer into shared memory.
#define DECONV_SHARED_PTR(T) T *
/// A static shared array of `count` elements, 16-byte aligned.
#define DECONV_SHARED_ARRAY(T, name, count)                                    \
  __shared__ __align__(16) T name[(count)]
/// The dynamic shared memory of the launch, as an array of T.
#define DECONV_DYNAMIC_SHARED(T, name)                                         \
  extern __shared__ __align__(16) unsigned char name##_deconv_bytes[];         \
  T *const name = reinterpret_cast<T *>(name##_deconv_bytes)

template <typename To, typename From>
__device__ __forceinline__ To *deconv_pointer_cast(From *pointer) {
  return reinterpret_cast<To *>(pointer);
}

/// Division rounding toward -infinity and +infinity (C's rounds to zero).
__device__ __forceinline__ long long deconv_floordiv(long long a, long long b) {
  long long q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
__device__ __forceinline__ long long deconv_ceildiv(long long a, long long b) {
  long long q = a / b;
  return (a % b != 0 && ((a < 0) == (b < 0))) ? q + 1 : q;
}

__device__ __forceinline__ float deconv_half_to_float(unsigned short h) {
  float f;
  asm("{ .reg .b16 t; mov.b16 t, %1; cvt.f32.f16 %0, t; }" : "=f"(f) : "h"(h));
  return f;
}
__device__ __forceinline__ unsigned short deconv_float_to_half(float f) {
  unsigned short h;
  asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
  return h;
}
__device__ __forceinline__ float deconv_bfloat16_to_float(unsigned short b) {
  return __uint_as_float((unsigned)b << 16);
}
__device__ __forceinline__ unsigned short deconv_float_to_bfloat16(float f) {
#if __CUDA_ARCH__ >= 800
  unsigned short b;
  asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(b) : "f"(f));
  return b;
#else
  // No bf16 conversion before sm_80: round to nearest even by hand, a NaN
  // kept a quiet NaN, as cvt.rn.bf16.f32 does.
  unsigned u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u)
    return (unsigned short)((u >> 16) | 0x40u);
  u += 0x7fffu + ((u >> 16) & 1u);
  return (unsigned short)(u >> 16);
#endif
}

#include "deconv_device_warp.h"

#endif // DECONV_DEVICE_H
