//===- CudaDriver.cpp - the CUDA driver, loaded at run time ---------------===//
//
// The driver's C ABI, declared here (CUresult is an int, handles are
// pointers, CUdeviceptr a 64-bit integer), so the runtime needs no CUDA
// headers. Entry points come from cuGetProcAddress_v2 (CUDA 12 and later),
// which returns each function's current version (cuMemAlloc is cuMemAlloc_v2).
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/CudaDriver.h"

#include <dlfcn.h>

#include <mutex>

using namespace deconv;

namespace {

using Result = int;
constexpr int kComputeCapabilityMajor = 75, kComputeCapabilityMinor = 76;

struct Driver {
  std::string error; ///< Why the driver is unusable; empty when it is usable.
  Result (*init)(unsigned) = nullptr;
  Result (*deviceGetCount)(int *) = nullptr;
  Result (*deviceGet)(int *, int) = nullptr;
  Result (*deviceGetAttribute)(int *, int, int) = nullptr;
  Result (*deviceGetName)(char *, int, int) = nullptr;
  Result (*primaryCtxRetain)(void **, int) = nullptr;
  Result (*primaryCtxRelease)(int) = nullptr;
  Result (*ctxSetCurrent)(void *) = nullptr;
  Result (*ctxSynchronize)() = nullptr;
  Result (*memAlloc)(uint64_t *, size_t) = nullptr;
  Result (*memFree)(uint64_t) = nullptr;
  Result (*memcpyHtoD)(uint64_t, const void *, size_t) = nullptr;
  Result (*memcpyDtoH)(void *, uint64_t, size_t) = nullptr;
  Result (*memcpyDtoDAsync)(uint64_t, uint64_t, size_t, void *) = nullptr;
  Result (*moduleLoadData)(void **, const void *) = nullptr;
  Result (*moduleUnload)(void *) = nullptr;
  Result (*moduleGetFunction)(void **, void *, const char *) = nullptr;
  Result (*launchKernel)(void *, unsigned, unsigned, unsigned, unsigned,
                         unsigned, unsigned, unsigned, void *, void **,
                         void **) = nullptr;
  Result (*getErrorString)(Result, const char **) = nullptr;
  Result (*streamCreate)(void **, unsigned) = nullptr;
  Result (*streamDestroy)(void *) = nullptr;
  Result (*streamSynchronize)(void *) = nullptr;
  Result (*eventCreate)(void **, unsigned) = nullptr;
  Result (*eventDestroy)(void *) = nullptr;
  Result (*eventRecord)(void *, void *) = nullptr;
  Result (*eventSynchronize)(void *) = nullptr;
  Result (*eventElapsedTime)(float *, void *, void *) = nullptr;

  std::string describe(Result result) const {
    const char *text = nullptr;
    if (getErrorString && getErrorString(result, &text) == 0 && text)
      return text;
    return "CUDA error " + std::to_string(result);
  }
};

const Driver &driver() {
  static Driver loaded;
  static std::once_flag once;
  std::call_once(once, [] {
    void *handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      loaded.error = "libcuda.so.1 not found (no NVIDIA driver)";
      return;
    }
    using GetProcV2 = Result (*)(const char *, void **, int, uint64_t, int *);
    using GetProcV1 = Result (*)(const char *, void **, int, uint64_t);
    auto getProcV2 =
        reinterpret_cast<GetProcV2>(dlsym(handle, "cuGetProcAddress_v2"));
    auto getProcV1 =
        reinterpret_cast<GetProcV1>(dlsym(handle, "cuGetProcAddress"));
    if (!getProcV2 && !getProcV1) {
      loaded.error = "the driver has no cuGetProcAddress (too old)";
      return;
    }
    auto fetch = [&](auto &function, const char *symbol) {
      void *pointer = nullptr;
      int status = 0;
      Result result = getProcV2
                          ? getProcV2(symbol, &pointer, 12000, 0, &status)
                          : getProcV1(symbol, &pointer, 12000, 0);
      if (result != 0 || !pointer) {
        if (loaded.error.empty())
          loaded.error = std::string("the driver lacks ") + symbol;
        return;
      }
      function = reinterpret_cast<std::decay_t<decltype(function)>>(pointer);
    };
    fetch(loaded.getErrorString, "cuGetErrorString");
    fetch(loaded.init, "cuInit");
    fetch(loaded.deviceGetCount, "cuDeviceGetCount");
    fetch(loaded.deviceGet, "cuDeviceGet");
    fetch(loaded.deviceGetAttribute, "cuDeviceGetAttribute");
    fetch(loaded.deviceGetName, "cuDeviceGetName");
    fetch(loaded.primaryCtxRetain, "cuDevicePrimaryCtxRetain");
    fetch(loaded.primaryCtxRelease, "cuDevicePrimaryCtxRelease");
    fetch(loaded.ctxSetCurrent, "cuCtxSetCurrent");
    fetch(loaded.ctxSynchronize, "cuCtxSynchronize");
    fetch(loaded.memAlloc, "cuMemAlloc");
    fetch(loaded.memFree, "cuMemFree");
    fetch(loaded.memcpyHtoD, "cuMemcpyHtoD");
    fetch(loaded.memcpyDtoH, "cuMemcpyDtoH");
    fetch(loaded.memcpyDtoDAsync, "cuMemcpyDtoDAsync");
    fetch(loaded.moduleLoadData, "cuModuleLoadData");
    fetch(loaded.moduleUnload, "cuModuleUnload");
    fetch(loaded.moduleGetFunction, "cuModuleGetFunction");
    fetch(loaded.launchKernel, "cuLaunchKernel");
    fetch(loaded.streamCreate, "cuStreamCreate");
    fetch(loaded.streamDestroy, "cuStreamDestroy");
    fetch(loaded.streamSynchronize, "cuStreamSynchronize");
    fetch(loaded.eventCreate, "cuEventCreate");
    fetch(loaded.eventDestroy, "cuEventDestroy");
    fetch(loaded.eventRecord, "cuEventRecord");
    fetch(loaded.eventSynchronize, "cuEventSynchronize");
    fetch(loaded.eventElapsedTime, "cuEventElapsedTime");
    if (!loaded.error.empty())
      return;
    if (Result result = loaded.init(0); result != 0)
      loaded.error = "cuInit failed: " + loaded.describe(result);
  });
  return loaded;
}

Status noDevice(const std::string &why) {
  return Status::error("no usable CUDA device: " + why);
}

Status check(Result result, const char *what) {
  if (result == 0)
    return Status::ok();
  return Status::error(std::string(what) + " failed: " +
                       driver().describe(result));
}

} // namespace

DeviceBuffer::DeviceBuffer(DeviceBuffer &&other) noexcept
    : pointer(other.pointer), bytes(other.bytes) {
  other.pointer = 0;
  other.bytes = 0;
}

DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  if (this != &other) {
    if (pointer)
      driver().memFree(pointer);
    pointer = other.pointer;
    bytes = other.bytes;
    other.pointer = 0;
    other.bytes = 0;
  }
  return *this;
}

DeviceBuffer::~DeviceBuffer() {
  if (pointer)
    driver().memFree(pointer);
}

CudaModule::CudaModule(CudaModule &&other) noexcept : handle(other.handle) {
  other.handle = nullptr;
}

CudaModule &CudaModule::operator=(CudaModule &&other) noexcept {
  if (this != &other) {
    if (handle)
      driver().moduleUnload(handle);
    handle = other.handle;
    other.handle = nullptr;
  }
  return *this;
}

CudaModule::~CudaModule() {
  if (handle)
    driver().moduleUnload(handle);
}

StatusOr<void *> CudaModule::getFunction(const std::string &name) const {
  void *function = nullptr;
  if (Status status =
          check(driver().moduleGetFunction(&function, handle, name.c_str()),
                "cuModuleGetFunction");
      !status)
    return Status::error(status.message() + " (kernel " + name + ")");
  return function;
}

CudaStream::CudaStream(CudaStream &&other) noexcept : handle(other.handle) {
  other.handle = nullptr;
}

CudaStream &CudaStream::operator=(CudaStream &&other) noexcept {
  if (this != &other) {
    if (handle)
      driver().streamDestroy(handle);
    handle = other.handle;
    other.handle = nullptr;
  }
  return *this;
}

CudaStream::~CudaStream() {
  if (handle)
    driver().streamDestroy(handle);
}

CudaEvent::CudaEvent(CudaEvent &&other) noexcept : handle(other.handle) {
  other.handle = nullptr;
}

CudaEvent &CudaEvent::operator=(CudaEvent &&other) noexcept {
  if (this != &other) {
    if (handle)
      driver().eventDestroy(handle);
    handle = other.handle;
    other.handle = nullptr;
  }
  return *this;
}

CudaEvent::~CudaEvent() {
  if (handle)
    driver().eventDestroy(handle);
}

StatusOr<std::shared_ptr<CudaDevice>> CudaDevice::open(int ordinal) {
  const Driver &cuda = driver();
  if (!cuda.error.empty())
    return noDevice(cuda.error);
  int count = 0;
  if (Result result = cuda.deviceGetCount(&count); result != 0)
    return noDevice(cuda.describe(result));
  if (ordinal < 0 || ordinal >= count)
    return noDevice("device " + std::to_string(ordinal) + " requested, " +
                    std::to_string(count) + " present");
  std::shared_ptr<CudaDevice> device(new CudaDevice());
  if (Result result = cuda.deviceGet(&device->device, ordinal); result != 0)
    return noDevice(cuda.describe(result));
  int major = 0, minor = 0;
  char name[256] = {0};
  if (cuda.deviceGetAttribute(&major, kComputeCapabilityMajor,
                              device->device) != 0 ||
      cuda.deviceGetAttribute(&minor, kComputeCapabilityMinor,
                              device->device) != 0 ||
      cuda.deviceGetName(name, sizeof(name) - 1, device->device) != 0)
    return noDevice("cannot query device " + std::to_string(ordinal));
  device->name = name;
  device->arch = "sm_" + std::to_string(major * 10 + minor);
  if (Result result = cuda.primaryCtxRetain(&device->context, device->device);
      result != 0)
    return noDevice(cuda.describe(result));
  if (Result result = cuda.ctxSetCurrent(device->context); result != 0)
    return noDevice(cuda.describe(result));
  return device;
}

CudaDevice::~CudaDevice() {
  if (context)
    driver().primaryCtxRelease(device);
}

StatusOr<DeviceBuffer> CudaDevice::allocate(size_t bytes) {
  DeviceBuffer buffer;
  // cuMemAlloc refuses zero bytes; an empty tensor still gets an address.
  if (Status status = check(driver().memAlloc(&buffer.pointer,
                                              bytes ? bytes : 1),
                            "cuMemAlloc");
      !status)
    return Status::error(status.message() + " (" + std::to_string(bytes) +
                         " bytes)");
  buffer.bytes = bytes;
  return buffer;
}

Status CudaDevice::copyToDevice(const DeviceBuffer &buffer, const void *data,
                                size_t bytes) {
  if (bytes > buffer.size())
    return Status::error("copy of " + std::to_string(bytes) +
                         " bytes into a buffer of " +
                         std::to_string(buffer.size()));
  return bytes ? check(driver().memcpyHtoD(buffer.address(), data, bytes),
                       "cuMemcpyHtoD")
               : Status::ok();
}

Status CudaDevice::copyToHost(void *data, const DeviceBuffer &buffer,
                              size_t bytes) {
  if (bytes > buffer.size())
    return Status::error("copy of " + std::to_string(bytes) +
                         " bytes out of a buffer of " +
                         std::to_string(buffer.size()));
  return bytes ? check(driver().memcpyDtoH(data, buffer.address(), bytes),
                       "cuMemcpyDtoH")
               : Status::ok();
}

Status CudaDevice::copyToHost(void *data, uint64_t address, size_t bytes) {
  return bytes ? check(driver().memcpyDtoH(data, address, bytes),
                       "cuMemcpyDtoH")
               : Status::ok();
}

Status CudaDevice::copyOnDevice(uint64_t destination, uint64_t source,
                                size_t bytes, void *stream) {
  return bytes ? check(driver().memcpyDtoDAsync(destination, source, bytes,
                                                stream),
                       "cuMemcpyDtoDAsync")
               : Status::ok();
}

StatusOr<CudaModule> CudaDevice::loadModule(const std::string &cubin) {
  CudaModule module;
  if (Status status = check(driver().moduleLoadData(&module.handle,
                                                    cubin.data()),
                            "cuModuleLoadData");
      !status)
    return status;
  return module;
}

StatusOr<CudaStream> CudaDevice::createStream() {
  CudaStream stream;
  // CU_STREAM_NON_BLOCKING (1): no implicit sync with the default stream.
  if (Status status = check(driver().streamCreate(&stream.handle, 1),
                            "cuStreamCreate");
      !status)
    return status;
  return stream;
}

StatusOr<CudaEvent> CudaDevice::createEvent() {
  CudaEvent event;
  if (Status status =
          check(driver().eventCreate(&event.handle, 0), "cuEventCreate");
      !status)
    return status;
  return event;
}

Status CudaDevice::record(const CudaEvent &event, const CudaStream &stream) {
  return check(driver().eventRecord(event.handle, stream.get()),
               "cuEventRecord");
}

StatusOr<float> CudaDevice::elapsedMilliseconds(const CudaEvent &start,
                                                const CudaEvent &end) {
  if (Status status =
          check(driver().eventSynchronize(end.handle), "cuEventSynchronize");
      !status)
    return status;
  float milliseconds = 0;
  if (Status status = check(driver().eventElapsedTime(
                                &milliseconds, start.handle, end.handle),
                            "cuEventElapsedTime");
      !status)
    return status;
  return milliseconds;
}

Status CudaDevice::synchronize(const CudaStream &stream) {
  return check(driver().streamSynchronize(stream.get()),
               "cuStreamSynchronize");
}

Status CudaDevice::launch(void *function, uint64_t blocks,
                          unsigned threadsPerBlock,
                          std::vector<void *> arguments,
                          const CudaStream *stream) {
  return launch(function, blocks, threadsPerBlock, std::move(arguments),
                stream ? stream->get() : static_cast<void *>(nullptr));
}

Status CudaDevice::launch(void *function, uint64_t blocks,
                          unsigned threadsPerBlock,
                          std::vector<void *> arguments, void *stream) {
  if (blocks == 0)
    return Status::ok();
  if (blocks > 0x7fffffffULL)
    return Status::error("launch of " + std::to_string(blocks) +
                         " blocks exceeds the grid limit");
  return check(driver().launchKernel(function, static_cast<unsigned>(blocks),
                                     1, 1, threadsPerBlock, 1, 1, 0, stream,
                                     arguments.data(), nullptr),
               "cuLaunchKernel");
}

Status CudaDevice::synchronize() {
  return check(driver().ctxSynchronize(), "cuCtxSynchronize");
}

Status CudaDevice::makeCurrent() {
  return check(driver().ctxSetCurrent(context), "cuCtxSetCurrent");
}
