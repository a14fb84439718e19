//===- CudaDriver.h - the CUDA driver, loaded at run time -------*- C++ -*-===//
//
// The driver library is dlopen'ed ("libcuda.so.1") and its entry points are
// fetched with cuGetProcAddress, never linked, so every binary starts on a
// machine without a GPU and every entry point then returns one clear status:
// "no usable CUDA device: <why>". The same classes run on the host emulator
// (CudaBackend::Emulator, docs/Emulator.md): an emulated driver behind the
// same entry points, so the executor's code is the code under test.
//
// Every call makes the device's primary context current for its duration
// and restores the caller's afterwards (push/pop), destructors included: a
// caller's own context is never disturbed, and resources may be released on
// any thread.
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

struct DriverApi;

/// Where CUDA work runs.
enum class CudaBackend : uint8_t {
  Gpu,      ///< An NVIDIA GPU through libcuda.so.1 and NVRTC.
  Emulator, ///< The host emulator: kernels built by the system C++ compiler.
};

/// "cuda" or "cuda-emulator", as the command line spells the targets.
const char *getCudaBackendName(CudaBackend backend);

/// The grid or block extent of a launch.
struct LaunchDims {
  uint32_t x = 1, y = 1, z = 1;
};

/// A primary context and the driver it belongs to; what a resource needs to
/// release itself on any thread.
struct DeviceContext {
  const DriverApi *api = nullptr;
  void *context = nullptr;
};

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
  void release();
  DeviceContext owner;
  uint64_t pointer = 0;
  size_t bytes = 0;
};

/// A loaded module, unloaded when destroyed. Move-only.
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
  void release();
  DeviceContext owner;
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
  void release();
  DeviceContext owner;
  void *handle = nullptr;
};

/// An event, destroyed when destroyed. Move-only.
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
  void release();
  DeviceContext owner;
  void *handle = nullptr;
};

/// An executable CUDA graph (instantiated from a stream capture), destroyed
/// when destroyed. Move-only.
class CudaGraphExec {
public:
  CudaGraphExec() = default;
  CudaGraphExec(CudaGraphExec &&other) noexcept;
  CudaGraphExec &operator=(CudaGraphExec &&other) noexcept;
  CudaGraphExec(const CudaGraphExec &) = delete;
  CudaGraphExec &operator=(const CudaGraphExec &) = delete;
  ~CudaGraphExec();

  explicit operator bool() const { return handle != nullptr; }

private:
  friend class CudaDevice;
  void release();
  DeviceContext owner;
  void *handle = nullptr;
};

/// Why a driver refused a module image (CUDA_ERROR_INVALID_IMAGE, no binary
/// for this GPU, a PTX or CUBIN newer than the driver): the cases where
/// compiling the source again for this device can help.
bool isRefusedImage(const Status &status);

/// One device with its primary context (retained while this object lives).
class CudaDevice {
public:
  /// Device `ordinal` of `backend`.
  static StatusOr<std::shared_ptr<CudaDevice>>
  open(int ordinal = 0, CudaBackend backend = CudaBackend::Gpu);

  ~CudaDevice();

  CudaBackend getBackend() const { return backend; }
  const std::string &getName() const { return name; }
  /// The architecture NVRTC compiles for, e.g. "sm_90".
  const std::string &getArch() const { return arch; }
  int getMultiprocessorCount() const { return multiprocessors; }
  /// Shared memory a block may use with the opt-in attribute.
  int getMaxSharedMemoryPerBlock() const { return maxSharedPerBlock; }

  StatusOr<DeviceBuffer> allocate(size_t bytes);
  /// Synchronous copies on the legacy default stream (tests and tools).
  Status copyToDevice(const DeviceBuffer &buffer, const void *data,
                      size_t bytes);
  Status copyToHost(void *data, uint64_t address, size_t bytes);
  /// Copies enqueued on `stream` (null: the legacy default stream), ordered
  /// with the kernels on it. The host memory must stay valid until the
  /// stream reaches the copy.
  Status copyToDeviceAsync(uint64_t address, const void *data, size_t bytes,
                           void *stream);
  Status copyToHostAsync(void *data, uint64_t address, size_t bytes,
                         void *stream);
  Status copyOnDevice(uint64_t destination, uint64_t source, size_t bytes,
                      void *stream);
  /// Loads a CUBIN (or, on the emulator, a kernel object).
  StatusOr<CudaModule> loadModule(const std::string &image);
  /// A stream that does not synchronize with the legacy default stream.
  StatusOr<CudaStream> createStream();
  StatusOr<CudaEvent> createEvent();
  /// Launches `function` on `stream` (null: the legacy default stream);
  /// `arguments` points to each kernel argument, as cuLaunchKernel takes
  /// them. Dynamic shared memory above 48 KB sets the function's opt-in
  /// attribute first.
  Status launch(void *function, LaunchDims grid, LaunchDims block,
                uint32_t sharedBytes, const std::vector<void *> &arguments,
                void *stream);
  Status record(const CudaEvent &event, void *stream);
  /// Makes `stream` wait for the work recorded in `event`.
  Status wait(void *stream, const CudaEvent &event);
  /// Milliseconds between two recorded events (waits for `end`).
  StatusOr<float> elapsedMilliseconds(const CudaEvent &start,
                                      const CudaEvent &end);
  Status synchronize(void *stream);
  /// Waits for all work on the device.
  Status synchronize();

  /// Whether the driver has CUDA graphs (stream capture, graph launch).
  bool supportsGraphs() const;
  /// Starts capturing `stream` (one created by createStream or a caller's,
  /// never the legacy default stream): until endCapture, what is enqueued
  /// on it is recorded, not run. Thread-local mode: allocating or
  /// synchronizing on this thread meanwhile breaks the capture.
  Status beginCapture(void *stream);
  /// Ends the capture of `stream` and instantiates what it recorded.
  StatusOr<CudaGraphExec> endCapture(void *stream);
  /// Runs `graph` on `stream`, ordered like any work enqueued there.
  Status launchGraph(const CudaGraphExec &graph, void *stream);

private:
  CudaDevice() = default;
  CudaBackend backend = CudaBackend::Gpu;
  DeviceContext owner;
  int device = 0;
  int multiprocessors = 0, maxSharedPerBlock = 0;
  std::string name, arch;
};

} // namespace deconv

#endif // DECONV_RUNTIME_CUDADRIVER_H
