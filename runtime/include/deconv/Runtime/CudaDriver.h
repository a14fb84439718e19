//===- CudaDriver.h - the CUDA driver, loaded at run time -------*- C++ -*-===//
//
// The driver library is dlopen'ed ("libcuda.so.1") and its entry points are
// fetched with cuGetProcAddress, never linked, so every binary starts on a
// machine without a GPU and every entry point then returns one clear status:
// "no usable CUDA device: <why>".
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_CUDADRIVER_H
#define DECONV_RUNTIME_CUDADRIVER_H

#include "deconv/Runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace deconv {

class CudaDevice;

/// Device memory, freed when destroyed. Move-only.
class DeviceBuffer {
public:
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer &&other) noexcept;
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  ~DeviceBuffer();

  uint64_t address() const { return pointer; }
  size_t size() const { return bytes; }

private:
  friend class CudaDevice;
  uint64_t pointer = 0;
  size_t bytes = 0;
};

/// A loaded CUBIN, unloaded when destroyed. Move-only.
class CudaModule {
public:
  CudaModule() = default;
  CudaModule(CudaModule &&other) noexcept;
  CudaModule &operator=(CudaModule &&other) noexcept;
  CudaModule(const CudaModule &) = delete;
  CudaModule &operator=(const CudaModule &) = delete;
  ~CudaModule();

  /// The kernel `name` of the module.
  StatusOr<void *> getFunction(const std::string &name) const;

private:
  friend class CudaDevice;
  void *handle = nullptr;
};

/// A stream, destroyed when destroyed. Move-only.
class CudaStream {
public:
  CudaStream() = default;
  CudaStream(CudaStream &&other) noexcept;
  CudaStream &operator=(CudaStream &&other) noexcept;
  CudaStream(const CudaStream &) = delete;
  CudaStream &operator=(const CudaStream &) = delete;
  ~CudaStream();

  void *get() const { return handle; }

private:
  friend class CudaDevice;
  void *handle = nullptr;
};

/// An event for timing, destroyed when destroyed. Move-only.
class CudaEvent {
public:
  CudaEvent() = default;
  CudaEvent(CudaEvent &&other) noexcept;
  CudaEvent &operator=(CudaEvent &&other) noexcept;
  CudaEvent(const CudaEvent &) = delete;
  CudaEvent &operator=(const CudaEvent &) = delete;
  ~CudaEvent();

private:
  friend class CudaDevice;
  void *handle = nullptr;
};

/// One GPU with its primary context.
class CudaDevice {
public:
  /// Device `ordinal`, its primary context made current on this thread.
  static StatusOr<std::shared_ptr<CudaDevice>> open(int ordinal = 0);

  ~CudaDevice();

  const std::string &getName() const { return name; }
  /// The architecture NVRTC compiles for, e.g. "sm_90".
  const std::string &getArch() const { return arch; }

  StatusOr<DeviceBuffer> allocate(size_t bytes);
  Status copyToDevice(const DeviceBuffer &buffer, const void *data,
                      size_t bytes);
  Status copyToHost(void *data, const DeviceBuffer &buffer, size_t bytes);
  /// Copies from a raw device address (blocking).
  Status copyToHost(void *data, uint64_t address, size_t bytes);
  /// Enqueues a device-to-device copy between raw addresses on `stream`
  /// (a CUstream; null: the default stream).
  Status copyOnDevice(uint64_t destination, uint64_t source, size_t bytes,
                      void *stream);
  StatusOr<CudaModule> loadModule(const std::string &cubin);
  StatusOr<CudaStream> createStream();
  StatusOr<CudaEvent> createEvent();
  /// Launches `function` on a 1-D grid on `stream` (null: the default
  /// stream); `arguments` points to each kernel argument, as cuLaunchKernel
  /// takes them.
  Status launch(void *function, uint64_t blocks, unsigned threadsPerBlock,
                std::vector<void *> arguments, const CudaStream *stream = nullptr);
  /// The same on a raw CUstream owned by the caller (null: the default
  /// stream), e.g. one from the CUDA runtime.
  Status launch(void *function, uint64_t blocks, unsigned threadsPerBlock,
                std::vector<void *> arguments, void *stream);
  Status record(const CudaEvent &event, const CudaStream &stream);
  /// Milliseconds between two recorded events (waits for `end`).
  StatusOr<float> elapsedMilliseconds(const CudaEvent &start,
                                      const CudaEvent &end);
  Status synchronize(const CudaStream &stream);
  /// Waits for all work on the device.
  Status synchronize();
  /// Makes the device's primary context current on the calling thread, as
  /// every thread that uses the device must (the CUDA runtime shares it).
  Status makeCurrent();

private:
  CudaDevice() = default;
  int device = 0;
  void *context = nullptr;
  std::string name, arch;
};

} // namespace deconv

#endif // DECONV_RUNTIME_CUDADRIVER_H
