//===- deconv_device.h - the device prelude, host emulation ----*- C++ -*-===//
//
// Kernel sources include "deconv_device.h" and are written against it; this
// is the implementation the host emulator compiles them with (the CUDA one,
// in runtime/device/cuda, is what NVRTC sees). Every global and shared access
// goes through a checked handle, so the emulator catches out-of-bounds,
// misaligned and uninitialized accesses, shared-memory races (two threads,
// no barrier between) and conflicting writes of one launch. A failed check
// ends the launch with a one-line message naming the thread and the buffer.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DEVICE_H
#define DECONV_DEVICE_H

#include "deconv_emulator_abi.h"

#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <utility>

#define DECONV_EMULATION 1

namespace deconv_emu {

/// The emulated thread running on this host thread; the emulator sets it on
/// every switch between emulated threads.
inline thread_local Thread *current = nullptr;

inline Thread &self() { return *current; }

[[noreturn]] inline void fail(const char *format, ...)
    __attribute__((format(printf, 1, 2)));
[[noreturn]] inline void fail(const char *format, ...) {
  char message[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  Thread &thread = self();
  thread.hooks->fault(&thread, message);
  __builtin_unreachable();
}

/// The operators of a checked element reference, over its Derived's load()
/// and store(): reads convert, writes assign, compound assignment does both.
template <typename Derived, typename T> class CheckedRef {
public:
  operator std::remove_const_t<T>() const { return derived().load(); }
  template <typename U = T, typename = std::enable_if_t<!std::is_const_v<U>>>
  const Derived &operator=(const T &value) const {
    derived().store(value);
    return derived();
  }
  template <typename U> const Derived &operator+=(const U &value) const {
    derived().store(derived().load() + value);
    return derived();
  }

private:
  const Derived &derived() const { return static_cast<const Derived &>(*this); }
};

/// A pointer into device memory: its allocation and a byte offset.
template <typename T> class GlobalPtr;

/// An element of device memory: reads and writes are checked.
template <typename T> class GlobalRef : public CheckedRef<GlobalRef<T>, T> {
public:
  GlobalRef(Allocation *allocation, uint64_t offset)
      : allocation(allocation), offset(offset) {}
  using CheckedRef<GlobalRef<T>, T>::operator=;
  /// Assigns the value, not the reference (a[i] = b[j]).
  const GlobalRef &operator=(const GlobalRef &other) const {
    store(other.load());
    return *this;
  }

  std::remove_const_t<T> load() const {
    check("read");
    Thread &thread = self();
    for (uint64_t i = 0; i < sizeof(T); ++i) {
      if (!__atomic_load_n(&allocation->initialized[offset + i],
                           __ATOMIC_RELAXED))
        fail("read of never-written device memory: byte %llu of a buffer of "
             "%llu bytes",
             (unsigned long long)(offset + i),
             (unsigned long long)allocation->size);
      uint64_t writer = __atomic_load_n(&allocation->lastWriter[offset + i],
                                        __ATOMIC_RELAXED);
      if (writtenByAnotherBlock(writer, thread))
        fail("race: reads byte %llu of a buffer of %llu bytes that another "
             "block of this launch wrote",
             (unsigned long long)(offset + i),
             (unsigned long long)allocation->size);
    }
    // Blocks run on several host threads: shadow updates are atomic.
    __atomic_store_n(&allocation->readByLaunch, thread.launchSerial,
                     __ATOMIC_RELAXED);
    std::remove_const_t<T> value;
    std::memcpy(&value, allocation->data + offset, sizeof(T));
    return value;
  }
  void store(const std::remove_const_t<T> &value) const {
    check("write");
    Thread &thread = self();
    for (uint64_t i = 0; i < sizeof(T); ++i) {
      uint64_t previous =
          __atomic_exchange_n(&allocation->lastWriter[offset + i],
                              thread.writerId, __ATOMIC_RELAXED);
      if ((previous >> 40) == (thread.writerId >> 40) &&
          previous != thread.writerId)
        fail("conflicting writes: two threads of one launch write byte %llu "
             "of a buffer of %llu bytes",
             (unsigned long long)(offset + i),
             (unsigned long long)allocation->size);
      __atomic_store_n(&allocation->initialized[offset + i], 1,
                       __ATOMIC_RELAXED);
    }
    __atomic_store_n(&allocation->writtenByLaunch, thread.launchSerial,
                     __ATOMIC_RELAXED);
    std::memcpy(allocation->data + offset, &value, sizeof(T));
  }

private:
  void check(const char *what) const {
    if (offset + sizeof(T) > allocation->size || offset > allocation->size)
      fail("out-of-bounds %s of %zu bytes at byte offset %lld of a buffer of "
           "%llu bytes",
           what, sizeof(T), (long long)offset,
           (unsigned long long)allocation->size);
    if ((allocation->address + offset) % alignof(T) != 0)
      fail("misaligned %s of %zu bytes at byte offset %lld (needs %zu-byte "
           "alignment)",
           what, sizeof(T), (long long)offset, alignof(T));
  }
  Allocation *allocation;
  uint64_t offset;
};

template <typename T> class GlobalPtr {
public:
  GlobalPtr() = default;
  GlobalPtr(Allocation *allocation, int64_t offset)
      : allocation(allocation), offset(offset) {}
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U *, T *>>>
  GlobalPtr(const GlobalPtr<U> &other)
      : allocation(other.getAllocation()), offset(other.getOffset()) {}

  GlobalRef<T> operator[](long long index) const {
    return GlobalRef<T>(allocation, checkedOffset(index));
  }
  GlobalRef<T> operator*() const { return (*this)[0]; }
  GlobalPtr operator+(long long elements) const {
    return GlobalPtr(allocation, offset + elements * (int64_t)sizeof(T));
  }
  GlobalPtr operator-(long long elements) const { return *this + -elements; }
  GlobalPtr &operator+=(long long elements) { return *this = *this + elements; }

  Allocation *getAllocation() const { return allocation; }
  int64_t getOffset() const { return offset; }

private:
  uint64_t checkedOffset(long long index) const {
    int64_t byte = offset + index * (int64_t)sizeof(T);
    if (!allocation)
      fail("access through a null device pointer");
    if (byte < 0)
      fail("out-of-bounds access of %zu bytes at byte offset %lld of a "
           "buffer of %llu bytes",
           sizeof(T), (long long)byte, (unsigned long long)allocation->size);
    return (uint64_t)byte;
  }
  Allocation *allocation = nullptr;
  int64_t offset = 0;
};

/// Reinterprets a device pointer (for vector accesses: float4, ...).
template <typename To, typename From>
GlobalPtr<To> pointer_cast(GlobalPtr<From> pointer) {
  return GlobalPtr<To>(pointer.getAllocation(), pointer.getOffset());
}

/// Kernel parameters: the driver passes device addresses; scalars as is.
/// `kBytes` is the size of the slot the launch's `kernelParams` points to.
template <typename T> struct Parameter {
  static constexpr uint32_t kBytes = sizeof(T);
  static T get(void *slot) {
    T value;
    std::memcpy(&value, slot, sizeof(T));
    return value;
  }
};
template <typename T> struct Parameter<T *> {
  static_assert(sizeof(T) == 0, "declare pointer parameters of kernels as "
                                "DECONV_GLOBAL(T): the emulator checks "
                                "every access through them");
};
template <typename T> struct Parameter<GlobalPtr<T>> {
  static constexpr uint32_t kBytes = sizeof(uint64_t);
  static GlobalPtr<T> get(void *slot) {
    uint64_t address;
    std::memcpy(&address, slot, sizeof(address));
    if (!address)
      return GlobalPtr<T>();
    Thread &thread = self();
    Allocation *allocation = thread.hooks->findAllocation(&thread, address);
    if (!allocation)
      fail("kernel argument 0x%llx is not a device address",
           (unsigned long long)address);
    return GlobalPtr<T>(allocation, (int64_t)(address - allocation->address));
  }
};

template <typename... Args, size_t... I>
void invoke(void (*kernel)(Args...), void **parameters,
            std::index_sequence<I...>) {
  kernel(Parameter<std::decay_t<Args>>::get(parameters[I])...);
}
template <typename... Args>
void invoke(void (*kernel)(Args...), void **parameters) {
  invoke(kernel, parameters, std::index_sequence_for<Args...>{});
}

/// The slot sizes of `kernel`'s parameters, for the driver's KernelInfo.
template <typename... Args>
constexpr ParameterLayout parameterLayout(void (*)(Args...)) {
  static_assert(sizeof...(Args) <= kMaxParameters,
                "too many kernel parameters for the emulator");
  ParameterLayout layout;
  uint32_t bytes[] = {Parameter<std::decay_t<Args>>::kBytes..., 0};
  layout.count = sizeof...(Args);
  for (uint32_t i = 0; i < layout.count; ++i)
    layout.bytes[i] = bytes[i];
  return layout;
}

//===----------------------------------------------------------------------===//
// Shared memory
//===----------------------------------------------------------------------===//

/// An element of shared memory, checked for bounds, initialization, races
/// and bytes a cp.async still writes.
template <typename T> class SharedRef : public CheckedRef<SharedRef<T>, T> {
public:
  SharedRef(uint32_t offset, uint32_t begin, uint32_t end)
      : offset(offset), begin(begin), end(end) {}
  using CheckedRef<SharedRef<T>, T>::operator=;
  /// Assigns the value, not the reference (a[i] = b[j]).
  const SharedRef &operator=(const SharedRef &other) const {
    store(other.load());
    return *this;
  }

  std::remove_const_t<T> load() const {
    check("read");
    Thread &thread = self();
    SharedMemory &shared = *thread.shared;
    uint32_t epoch = *thread.blockEpoch;
    for (uint32_t i = 0; i < sizeof(T); ++i) {
      SharedShadow &shadow = shared.shadow[offset + i];
      if (shadow.flags & kAsyncPending)
        fail("reads shared byte %u while a cp.async still writes it (no "
             "cp.async wait before the read)",
             offset + i);
      if (!(shadow.flags & kInitialized))
        fail("read of never-written shared memory: byte %u", offset + i);
      if (shadow.writer != thread.linear && !ordered(thread, shadow))
        fail("race: thread %u reads shared byte %u that thread %u wrote "
             "with no barrier between",
             thread.linear, offset + i, shadow.writer);
      recordRead(shadow, thread.linear, epoch);
    }
    std::remove_const_t<T> value;
    std::memcpy(&value, shared.data + offset, sizeof(T));
    return value;
  }
  void store(const std::remove_const_t<T> &value) const {
    check("write");
    Thread &thread = self();
    SharedMemory &shared = *thread.shared;
    uint32_t epoch = *thread.blockEpoch;
    for (uint32_t i = 0; i < sizeof(T); ++i) {
      SharedShadow &shadow = shared.shadow[offset + i];
      if (shadow.flags & kAsyncPending)
        fail("writes shared byte %u while a cp.async still writes it",
             offset + i);
      if ((shadow.flags & kInitialized) && shadow.writer != thread.linear &&
          !ordered(thread, shadow))
        fail("race: threads %u and %u write shared byte %u with no barrier "
             "between",
             shadow.writer, thread.linear, offset + i);
      if (readByOther(shadow, thread.linear, epoch))
        fail("race: thread %u writes shared byte %u that %s read with no "
             "barrier between",
             thread.linear, offset + i,
             shadow.reader == kManyReaders ? "other threads"
                                           : "another thread");
      recordWrite(shadow, thread.linear, epoch, thread.warpEpochs[thread.warp]);
    }
    std::memcpy(shared.data + offset, &value, sizeof(T));
  }

private:
  static bool ordered(const Thread &thread, const SharedShadow &shadow) {
    return writeOrdered(shadow, *thread.blockEpoch, thread.warp,
                        thread.warpEpochs[thread.warp]);
  }
  void check(const char *what) const {
    if (offset < begin || offset + sizeof(T) > end)
      fail("out-of-bounds %s of %zu bytes at element offset %lld of a shared "
           "array of %u bytes",
           what, sizeof(T), ((long long)offset - begin) / (long long)sizeof(T),
           end - begin);
    if (offset % alignof(T) != 0)
      fail("misaligned shared %s of %zu bytes at byte %u", what, sizeof(T),
           offset);
  }
  uint32_t offset, begin, end;
};

/// A pointer into one shared array (its bounds travel with it).
template <typename T> class SharedPtr {
public:
  SharedPtr() = default;
  SharedPtr(uint32_t begin, uint32_t end, int64_t offset)
      : begin(begin), end(end), offset(offset) {}
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U *, T *>>>
  SharedPtr(const SharedPtr<U> &other)
      : begin(other.getBegin()), end(other.getEnd()),
        offset(other.getOffset()) {}

  SharedRef<T> operator[](long long index) const {
    int64_t byte = offset + index * (int64_t)sizeof(T);
    if (byte < (int64_t)begin || byte + (int64_t)sizeof(T) > (int64_t)end)
      fail("out-of-bounds shared access of %zu bytes at element %lld of a "
           "shared array of %u bytes",
           sizeof(T), (long long)(byte - (int64_t)begin) / (long long)sizeof(T),
           end - begin);
    return SharedRef<T>((uint32_t)byte, begin, end);
  }
  SharedRef<T> operator*() const { return (*this)[0]; }
  SharedPtr operator+(long long elements) const {
    return SharedPtr(begin, end, offset + elements * (int64_t)sizeof(T));
  }
  SharedPtr operator-(long long elements) const { return *this + -elements; }
  SharedPtr &operator+=(long long elements) { return *this = *this + elements; }

  uint32_t getBegin() const { return begin; }
  uint32_t getEnd() const { return end; }
  int64_t getOffset() const { return offset; }

private:
  uint32_t begin = 0, end = 0;
  int64_t offset = 0;
};

template <typename To, typename From>
SharedPtr<To> pointer_cast(SharedPtr<From> pointer) {
  return SharedPtr<To>(pointer.getBegin(), pointer.getEnd(),
                       pointer.getOffset());
}

template <typename T>
SharedPtr<T> staticShared(const void *key, uint32_t count) {
  Thread &thread = self();
  uint32_t bytes = count * (uint32_t)sizeof(T);
  uint32_t offset = thread.hooks->staticShared(&thread, key, bytes, 16);
  return SharedPtr<T>(offset, offset + bytes, offset);
}

template <typename T> SharedPtr<T> dynamicShared() {
  SharedMemory &shared = *self().shared;
  return SharedPtr<T>(shared.dynamicOffset,
                      shared.dynamicOffset + shared.dynamicSize,
                      shared.dynamicOffset);
}

} // namespace deconv_emu

//===----------------------------------------------------------------------===//
// The CUDA surface kernels are written against
//===----------------------------------------------------------------------===//

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ DECONV_SHARED_IS_NOT_EMULATED_USE_DECONV_SHARED_ARRAY

#define threadIdx (::deconv_emu::self().threadIdx)
#define blockIdx (::deconv_emu::self().blockIdx)
#define blockDim (::deconv_emu::self().blockDim)
#define gridDim (::deconv_emu::self().gridDim)

/// A kernel parameter or pointer into device memory.
#define DECONV_GLOBAL(T) ::deconv_emu::GlobalPtr<T>
/// A pointer into shared memory.
#define DECONV_SHARED_PTR(T) ::deconv_emu::SharedPtr<T>
/// A static shared array of `count` elements, 16-byte aligned.
#define DECONV_SHARED_ARRAY(T, name, count)                                    \
  static const char name##_deconv_key = 0;                                     \
  const ::deconv_emu::SharedPtr<T> name =                                      \
      ::deconv_emu::staticShared<T>(&name##_deconv_key, (count))
/// The dynamic shared memory of the launch, as an array of T.
#define DECONV_DYNAMIC_SHARED(T, name)                                         \
  const ::deconv_emu::SharedPtr<T> name = ::deconv_emu::dynamicShared<T>()

#define deconv_pointer_cast ::deconv_emu::pointer_cast

inline void __syncthreads() {
  deconv_emu::Thread &thread = deconv_emu::self();
  thread.hooks->syncThreads(&thread);
}

/// CUDA's vector types that kernels load and store whole.
struct alignas(16) float4 {
  float x, y, z, w;
};
struct alignas(8) float2 {
  float x, y;
};

inline float __int_as_float(int value) {
  float result;
  std::memcpy(&result, &value, sizeof(result));
  return result;
}
inline float __uint_as_float(unsigned value) {
  float result;
  std::memcpy(&result, &value, sizeof(result));
  return result;
}
inline int __float_as_int(float value) {
  int result;
  std::memcpy(&result, &value, sizeof(result));
  return result;
}
inline unsigned __float_as_uint(float value) {
  unsigned result;
  std::memcpy(&result, &value, sizeof(result));
  return result;
}
// A product rounded to f32 that is never fused into a later add, as on the
// GPU (x86-64's baseline has no FMA; volatile keeps it so on hosts that do).
inline float __fmul_rn(float a, float b) {
  volatile float product = a * b;
  return product;
}
using std::max;
using std::min;
inline long long max(long long a, long long b) { return a < b ? b : a; }
inline long long min(long long a, long long b) { return a < b ? a : b; }

/// Division rounding toward -infinity and +infinity (C's rounds to zero).
inline long long deconv_floordiv(long long a, long long b) {
  long long q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline long long deconv_ceildiv(long long a, long long b) {
  long long q = a / b;
  return (a % b != 0 && ((a < 0) == (b < 0))) ? q + 1 : q;
}

//===----------------------------------------------------------------------===//
// Conversions, bit-exact with the PTX instructions the CUDA prelude uses
//===----------------------------------------------------------------------===//

/// cvt.f32.f16
inline float deconv_half_to_float(unsigned short h) {
  unsigned sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f,
           mantissa = h & 0x3ff;
  unsigned bits;
  if (exponent == 0x1f) {
    bits = (sign << 31) | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = (sign << 31) | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign << 31;
  } else { // Subnormal: normalize.
    int shift = 0;
    while (!(mantissa & 0x400)) {
      mantissa <<= 1;
      ++shift;
    }
    bits = (sign << 31) | ((113 - shift) << 23) | ((mantissa & 0x3ff) << 13);
  }
  return __uint_as_float(bits);
}

/// cvt.rn.f16.f32: round to nearest even, overflow to infinity.
inline unsigned short deconv_float_to_half(float f) {
  unsigned bits = __float_as_uint(f);
  unsigned sign = (bits >> 16) & 0x8000;
  unsigned exponent = (bits >> 23) & 0xff, mantissa = bits & 0x7fffff;
  if (exponent == 0xff) // Inf or NaN (NaN stays a quiet NaN).
    return (unsigned short)(sign | 0x7c00 | (mantissa ? 0x200 : 0));
  int e = (int)exponent - 127 + 15;
  if (e >= 0x1f)
    return (unsigned short)(sign | 0x7c00);
  if (e <= 0) { // Subnormal or zero in f16.
    if (e < -10)
      return (unsigned short)sign;
    mantissa |= 0x800000;
    unsigned shift = (unsigned)(14 - e);
    unsigned half = mantissa >> shift;
    unsigned rest = mantissa & ((1u << shift) - 1),
             midpoint = 1u << (shift - 1);
    if (rest > midpoint || (rest == midpoint && (half & 1)))
      ++half;
    return (unsigned short)(sign | half);
  }
  unsigned half = ((unsigned)e << 10) | (mantissa >> 13);
  unsigned rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
    ++half; // May carry into the exponent, up to infinity: correct.
  return (unsigned short)(sign | half);
}

inline float deconv_bfloat16_to_float(unsigned short b) {
  return __uint_as_float((unsigned)b << 16);
}

/// cvt.rn.bf16.f32
inline unsigned short deconv_float_to_bfloat16(float f) {
  unsigned bits = __float_as_uint(f);
  if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffff))
    return (unsigned short)((bits >> 16) | 0x40); // Quiet NaN.
  unsigned rounded = bits + 0x7fff + ((bits >> 16) & 1);
  return (unsigned short)(rounded >> 16);
}

#include "deconv_device_warp.h"

#endif // DECONV_DEVICE_H
