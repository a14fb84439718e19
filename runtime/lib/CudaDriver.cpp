//===- CudaDriver.cpp - the CUDA driver, loaded at run time ---------------===//
//
// Entry points come from cuGetProcAddress_v2 (CUDA 12 and later), which
// returns each function's current version (cuMemAlloc is cuMemAlloc_v2), or
// from the emulated driver. Every call runs between a push and a pop of the
// device's primary context.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/CudaDriver.h"

#include "DriverApi.h"
#include "Emulator/Emulator.h"

#include <dlfcn.h>

#include <mutex>

using namespace deconv;

std::string DriverApi::describe(CuResult result) const {
  const char *text = nullptr;
  if (getErrorString && getErrorString(result, &text) == 0 && text)
    return text;
  return "CUDA error " + std::to_string(result);
}

void deconv::fillDriverApi(DriverApi &api,
                           void *(*lookup)(const char *symbol)) {
  auto fetch = [&](auto &function, const char *symbol) {
    void *pointer = lookup(symbol);
    if (!pointer) {
      if (api.error.empty())
        api.error = std::string("the driver lacks ") + symbol;
      return;
    }
    function = reinterpret_cast<std::decay_t<decltype(function)>>(pointer);
  };
  fetch(api.getErrorString, "cuGetErrorString");
  fetch(api.init, "cuInit");
  fetch(api.deviceGetCount, "cuDeviceGetCount");
  fetch(api.deviceGet, "cuDeviceGet");
  fetch(api.deviceGetAttribute, "cuDeviceGetAttribute");
  fetch(api.deviceGetName, "cuDeviceGetName");
  fetch(api.primaryCtxRetain, "cuDevicePrimaryCtxRetain");
  fetch(api.primaryCtxRelease, "cuDevicePrimaryCtxRelease");
  fetch(api.ctxGetCurrent, "cuCtxGetCurrent");
  fetch(api.ctxPushCurrent, "cuCtxPushCurrent");
  fetch(api.ctxPopCurrent, "cuCtxPopCurrent");
  fetch(api.ctxSynchronize, "cuCtxSynchronize");
  fetch(api.memAlloc, "cuMemAlloc");
  fetch(api.memFree, "cuMemFree");
  fetch(api.memcpyHtoD, "cuMemcpyHtoD");
  fetch(api.memcpyDtoH, "cuMemcpyDtoH");
  fetch(api.memcpyHtoDAsync, "cuMemcpyHtoDAsync");
  fetch(api.memcpyDtoHAsync, "cuMemcpyDtoHAsync");
  fetch(api.memcpyDtoDAsync, "cuMemcpyDtoDAsync");
  fetch(api.moduleLoadData, "cuModuleLoadData");
  fetch(api.moduleUnload, "cuModuleUnload");
  fetch(api.moduleGetFunction, "cuModuleGetFunction");
  fetch(api.funcSetAttribute, "cuFuncSetAttribute");
  fetch(api.launchKernel, "cuLaunchKernel");
  fetch(api.streamCreate, "cuStreamCreate");
  fetch(api.streamDestroy, "cuStreamDestroy");
  fetch(api.streamSynchronize, "cuStreamSynchronize");
  fetch(api.streamWaitEvent, "cuStreamWaitEvent");
  fetch(api.eventCreate, "cuEventCreate");
  fetch(api.eventDestroy, "cuEventDestroy");
  fetch(api.eventRecord, "cuEventRecord");
  fetch(api.eventSynchronize, "cuEventSynchronize");
  fetch(api.eventElapsedTime, "cuEventElapsedTime");
  // Names as cuGetProcAddress resolves them for CUDA 12: cuStreamBeginCapture
  // is the (stream, mode) version; cuGraphInstantiateWithFlags is the
  // (exec, graph, flags) ABI that cuGraphInstantiate became in CUDA 12. All
  // or none: a partial set is as good as none.
  DriverApi graphs;
  auto optional = [&](auto &function, const char *symbol) {
    function =
        reinterpret_cast<std::decay_t<decltype(function)>>(lookup(symbol));
  };
  optional(graphs.streamBeginCapture, "cuStreamBeginCapture");
  optional(graphs.streamEndCapture, "cuStreamEndCapture");
  optional(graphs.graphInstantiate, "cuGraphInstantiateWithFlags");
  optional(graphs.graphLaunch, "cuGraphLaunch");
  optional(graphs.graphExecDestroy, "cuGraphExecDestroy");
  optional(graphs.graphDestroy, "cuGraphDestroy");
  if (graphs.hasGraphs()) {
    api.streamBeginCapture = graphs.streamBeginCapture;
    api.streamEndCapture = graphs.streamEndCapture;
    api.graphInstantiate = graphs.graphInstantiate;
    api.graphLaunch = graphs.graphLaunch;
    api.graphExecDestroy = graphs.graphExecDestroy;
    api.graphDestroy = graphs.graphDestroy;
  }
}

namespace {

using GetProcV2 = CuResult (*)(const char *, void **, int, uint64_t, int *);
using GetProcV1 = CuResult (*)(const char *, void **, int, uint64_t);
GetProcV2 getProcV2 = nullptr;
GetProcV1 getProcV1 = nullptr;

void *lookupGpuSymbol(const char *symbol) {
  void *pointer = nullptr;
  int status = 0;
  CuResult result = getProcV2 ? getProcV2(symbol, &pointer, 12000, 0, &status)
                              : getProcV1(symbol, &pointer, 12000, 0);
  return result == 0 ? pointer : nullptr;
}

void loadGpuDriver(DriverApi &api) {
  void *handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    api.error = "libcuda.so.1 not found (no NVIDIA driver)";
    return;
  }
  getProcV2 = reinterpret_cast<GetProcV2>(dlsym(handle, "cuGetProcAddress_v2"));
  getProcV1 = reinterpret_cast<GetProcV1>(dlsym(handle, "cuGetProcAddress"));
  if (!getProcV2 && !getProcV1) {
    api.error = "the driver has no cuGetProcAddress (too old)";
    return;
  }
  fillDriverApi(api, lookupGpuSymbol);
}

/// The device's primary context is current between construction and
/// destruction; the caller's is current again afterwards.
class ContextScope {
public:
  explicit ContextScope(const DeviceContext &owner) : api(owner.api) {
    result = api->ctxPushCurrent(owner.context);
  }
  ~ContextScope() {
    void *popped = nullptr;
    if (result == kCudaSuccess)
      api->ctxPopCurrent(&popped);
  }
  Status status() const {
    return result == kCudaSuccess ? Status::ok()
                                  : Status::error("cuCtxPushCurrent failed: " +
                                                  api->describe(result));
  }

private:
  const DriverApi *api;
  CuResult result;
};

Status noDevice(const std::string &why) {
  return Status::error("no usable CUDA device: " + why);
}

Status check(const DriverApi &api, CuResult result, const char *what) {
  if (result == kCudaSuccess)
    return Status::ok();
  return Status::error(std::string(what) + " failed: " + api.describe(result));
}

} // namespace

const DriverApi &deconv::getDriverApi(CudaBackend backend) {
  static DriverApi apis[2];
  static std::once_flag once[2];
  int index = backend == CudaBackend::Gpu ? 0 : 1;
  std::call_once(once[index], [&] {
    DriverApi &api = apis[index];
    if (backend == CudaBackend::Gpu)
      loadGpuDriver(api);
    else
      fillDriverApi(api, emulator::lookupDriverSymbol);
    if (!api.error.empty())
      return;
    if (CuResult result = api.init(0); result != kCudaSuccess)
      api.error = "cuInit failed: " + api.describe(result);
  });
  return apis[index];
}

const char *deconv::getCudaBackendName(CudaBackend backend) {
  return backend == CudaBackend::Gpu ? "cuda" : "cuda-emulator";
}

bool deconv::isRefusedImage(const Status &status) {
  // The driver's own words for the refusals compiling again can cure.
  for (const char *words :
       {"device kernel image is invalid", "no kernel image is available",
        "unsupported PTX version", "not a kernel object"})
    if (status.message().find(words) != std::string::npos)
      return true;
  return false;
}

//===----------------------------------------------------------------------===//
// Resources
//===----------------------------------------------------------------------===//

// Each resource is released in its device's context, on whatever thread
// destroys it.
#define DECONV_MOVE_ONLY_RESOURCE(Class, field, Empty)                         \
  Class::Class(Class &&other) noexcept                                         \
      : owner(other.owner), field(other.field) {                               \
    other.field = Empty;                                                       \
  }                                                                            \
  Class &Class::operator=(Class &&other) noexcept {                            \
    if (this != &other) {                                                      \
      release();                                                               \
      owner = other.owner;                                                     \
      field = other.field;                                                     \
      other.field = Empty;                                                     \
    }                                                                          \
    return *this;                                                              \
  }                                                                            \
  Class::~Class() { release(); }

DeviceBuffer::DeviceBuffer(DeviceBuffer &&other) noexcept
    : owner(other.owner), pointer(other.pointer), bytes(other.bytes) {
  other.pointer = 0;
  other.bytes = 0;
}
DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  if (this != &other) {
    release();
    owner = other.owner;
    pointer = other.pointer;
    bytes = other.bytes;
    other.pointer = 0;
    other.bytes = 0;
  }
  return *this;
}
DeviceBuffer::~DeviceBuffer() { release(); }
void DeviceBuffer::release() {
  if (!pointer)
    return;
  ContextScope scope(owner);
  owner.api->memFree(pointer);
  pointer = 0;
}

DECONV_MOVE_ONLY_RESOURCE(CudaModule, handle, nullptr)
void CudaModule::release() {
  if (!handle)
    return;
  ContextScope scope(owner);
  owner.api->moduleUnload(handle);
  handle = nullptr;
}

StatusOr<void *> CudaModule::getFunction(const std::string &name) const {
  ContextScope scope(owner);
  if (Status status = scope.status(); !status)
    return status;
  void *function = nullptr;
  if (Status status =
          check(*owner.api,
                owner.api->moduleGetFunction(&function, handle, name.c_str()),
                "cuModuleGetFunction");
      !status)
    return Status::error(status.message() + " (kernel " + name + ")");
  return function;
}

DECONV_MOVE_ONLY_RESOURCE(CudaStream, handle, nullptr)
void CudaStream::release() {
  if (!handle)
    return;
  ContextScope scope(owner);
  owner.api->streamDestroy(handle);
  handle = nullptr;
}

DECONV_MOVE_ONLY_RESOURCE(CudaEvent, handle, nullptr)
void CudaEvent::release() {
  if (!handle)
    return;
  ContextScope scope(owner);
  owner.api->eventDestroy(handle);
  handle = nullptr;
}

DECONV_MOVE_ONLY_RESOURCE(CudaGraphExec, handle, nullptr)
void CudaGraphExec::release() {
  if (!handle)
    return;
  ContextScope scope(owner);
  owner.api->graphExecDestroy(handle);
  handle = nullptr;
}

//===----------------------------------------------------------------------===//
// CudaDevice
//===----------------------------------------------------------------------===//

StatusOr<std::shared_ptr<CudaDevice>> CudaDevice::open(int ordinal,
                                                       CudaBackend backend) {
  const DriverApi &cuda = getDriverApi(backend);
  if (!cuda.error.empty())
    return noDevice(cuda.error);
  int count = 0;
  if (CuResult result = cuda.deviceGetCount(&count); result != 0)
    return noDevice(cuda.describe(result));
  if (ordinal < 0 || ordinal >= count)
    return noDevice("device " + std::to_string(ordinal) + " requested, " +
                    std::to_string(count) + " present");
  std::shared_ptr<CudaDevice> device(new CudaDevice());
  device->backend = backend;
  if (CuResult result = cuda.deviceGet(&device->device, ordinal); result != 0)
    return noDevice(cuda.describe(result));
  int major = 0, minor = 0;
  char name[256] = {0};
  if (cuda.deviceGetAttribute(&major, kAttributeComputeCapabilityMajor,
                              device->device) != 0 ||
      cuda.deviceGetAttribute(&minor, kAttributeComputeCapabilityMinor,
                              device->device) != 0 ||
      cuda.deviceGetAttribute(&device->multiprocessors,
                              kAttributeMultiprocessorCount,
                              device->device) != 0 ||
      cuda.deviceGetAttribute(&device->maxSharedPerBlock,
                              kAttributeMaxSharedMemoryPerBlockOptin,
                              device->device) != 0 ||
      cuda.deviceGetName(name, sizeof(name) - 1, device->device) != 0)
    return noDevice("cannot query device " + std::to_string(ordinal));
  device->name = name;
  device->arch = "sm_" + std::to_string(major * 10 + minor);
  void *context = nullptr;
  if (CuResult result = cuda.primaryCtxRetain(&context, device->device);
      result != 0)
    return noDevice(cuda.describe(result));
  device->owner = {&cuda, context};
  return device;
}

CudaDevice::~CudaDevice() {
  if (owner.context)
    owner.api->primaryCtxRelease(device);
}

// Runs `call` with the primary context current; `what` names it in errors.
#define DECONV_IN_CONTEXT(call, what)                                          \
  do {                                                                         \
    ContextScope scope(owner);                                                 \
    if (Status status = scope.status(); !status)                               \
      return status;                                                           \
    return check(*owner.api, call, what);                                      \
  } while (false)

StatusOr<DeviceBuffer> CudaDevice::allocate(size_t bytes) {
  ContextScope scope(owner);
  if (Status status = scope.status(); !status)
    return status;
  DeviceBuffer buffer;
  buffer.owner = owner;
  // cuMemAlloc refuses zero bytes; an empty tensor still gets an address.
  if (Status status = check(
          *owner.api, owner.api->memAlloc(&buffer.pointer, bytes ? bytes : 1),
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
  if (!bytes)
    return Status::ok();
  DECONV_IN_CONTEXT(owner.api->memcpyHtoD(buffer.address(), data, bytes),
                    "cuMemcpyHtoD");
}

Status CudaDevice::copyToHost(void *data, uint64_t address, size_t bytes) {
  if (!bytes)
    return Status::ok();
  DECONV_IN_CONTEXT(owner.api->memcpyDtoH(data, address, bytes),
                    "cuMemcpyDtoH");
}

Status CudaDevice::copyToDeviceAsync(uint64_t address, const void *data,
                                     size_t bytes, void *stream) {
  if (!bytes)
    return Status::ok();
  DECONV_IN_CONTEXT(owner.api->memcpyHtoDAsync(address, data, bytes, stream),
                    "cuMemcpyHtoDAsync");
}

Status CudaDevice::copyToHostAsync(void *data, uint64_t address, size_t bytes,
                                   void *stream) {
  if (!bytes)
    return Status::ok();
  DECONV_IN_CONTEXT(owner.api->memcpyDtoHAsync(data, address, bytes, stream),
                    "cuMemcpyDtoHAsync");
}

Status CudaDevice::copyOnDevice(uint64_t destination, uint64_t source,
                                size_t bytes, void *stream) {
  if (!bytes)
    return Status::ok();
  DECONV_IN_CONTEXT(
      owner.api->memcpyDtoDAsync(destination, source, bytes, stream),
      "cuMemcpyDtoDAsync");
}

StatusOr<CudaModule> CudaDevice::loadModule(const std::string &image) {
  ContextScope scope(owner);
  if (Status status = scope.status(); !status)
    return status;
  CudaModule module;
  module.owner = owner;
  if (Status status = check(
          *owner.api, owner.api->moduleLoadData(&module.handle, image.data()),
          "cuModuleLoadData");
      !status)
    return status;
  return module;
}

StatusOr<CudaStream> CudaDevice::createStream() {
  ContextScope scope(owner);
  if (Status status = scope.status(); !status)
    return status;
  CudaStream stream;
  stream.owner = owner;
  if (Status status =
          check(*owner.api,
                owner.api->streamCreate(&stream.handle, kStreamNonBlocking),
                "cuStreamCreate");
      !status)
    return status;
  return stream;
}

StatusOr<CudaEvent> CudaDevice::createEvent() {
  ContextScope scope(owner);
  if (Status status = scope.status(); !status)
    return status;
  CudaEvent event;
  event.owner = owner;
  if (Status status =
          check(*owner.api, owner.api->eventCreate(&event.handle, 0),
                "cuEventCreate");
      !status)
    return status;
  return event;
}

Status CudaDevice::record(const CudaEvent &event, void *stream) {
  DECONV_IN_CONTEXT(owner.api->eventRecord(event.handle, stream),
                    "cuEventRecord");
}

Status CudaDevice::wait(void *stream, const CudaEvent &event) {
  DECONV_IN_CONTEXT(owner.api->streamWaitEvent(stream, event.handle, 0),
                    "cuStreamWaitEvent");
}

StatusOr<float> CudaDevice::elapsedMilliseconds(const CudaEvent &start,
                                                const CudaEvent &end) {
  ContextScope scope(owner);
  if (Status status = scope.status(); !status)
    return status;
  if (Status status = check(*owner.api, owner.api->eventSynchronize(end.handle),
                            "cuEventSynchronize");
      !status)
    return status;
  float milliseconds = 0;
  if (Status status = check(
          *owner.api,
          owner.api->eventElapsedTime(&milliseconds, start.handle, end.handle),
          "cuEventElapsedTime");
      !status)
    return status;
  return milliseconds;
}

Status CudaDevice::synchronize(void *stream) {
  DECONV_IN_CONTEXT(owner.api->streamSynchronize(stream),
                    "cuStreamSynchronize");
}

Status CudaDevice::synchronize() {
  DECONV_IN_CONTEXT(owner.api->ctxSynchronize(), "cuCtxSynchronize");
}

Status CudaDevice::launch(void *function, LaunchDims grid, LaunchDims block,
                          uint32_t sharedBytes,
                          const std::vector<void *> &arguments, void *stream) {
  if (uint64_t(grid.x) * grid.y * grid.z == 0)
    return Status::ok();
  if (grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535)
    return Status::error("a grid of " + std::to_string(grid.x) + "x" +
                         std::to_string(grid.y) + "x" + std::to_string(grid.z) +
                         " blocks exceeds the limits (2^31-1 x 65535 x "
                         "65535)");
  ContextScope scope(owner);
  if (Status status = scope.status(); !status)
    return status;
  // Above 48 KB of dynamic shared memory a kernel must opt in.
  if (sharedBytes > 48 * 1024)
    if (Status status =
            check(*owner.api,
                  owner.api->funcSetAttribute(
                      function, kFunctionAttributeMaxDynamicSharedSizeBytes,
                      static_cast<int>(sharedBytes)),
                  "cuFuncSetAttribute");
        !status)
      return status;
  return check(
      *owner.api,
      owner.api->launchKernel(function, grid.x, grid.y, grid.z, block.x,
                              block.y, block.z, sharedBytes, stream,
                              const_cast<void **>(arguments.data()), nullptr),
      "cuLaunchKernel");
}

bool CudaDevice::supportsGraphs() const { return owner.api->hasGraphs(); }

Status CudaDevice::beginCapture(void *stream) {
  if (!supportsGraphs())
    return Status::error("the CUDA driver has no graphs");
  DECONV_IN_CONTEXT(
      owner.api->streamBeginCapture(stream, kStreamCaptureModeThreadLocal),
      "cuStreamBeginCapture");
}

StatusOr<CudaGraphExec> CudaDevice::endCapture(void *stream) {
  if (!supportsGraphs())
    return Status::error("the CUDA driver has no graphs");
  ContextScope scope(owner);
  if (Status status = scope.status(); !status)
    return status;
  void *graph = nullptr;
  if (Status status =
          check(*owner.api, owner.api->streamEndCapture(stream, &graph),
                "cuStreamEndCapture");
      !status)
    return status;
  CudaGraphExec exec;
  exec.owner = owner;
  Status status =
      check(*owner.api, owner.api->graphInstantiate(&exec.handle, graph, 0),
            "cuGraphInstantiate");
  // The executable graph is independent of the graph it came from.
  owner.api->graphDestroy(graph);
  if (!status)
    return status;
  return exec;
}

Status CudaDevice::launchGraph(const CudaGraphExec &graph, void *stream) {
  if (!graph)
    return Status::error("cuGraphLaunch of an empty graph");
  DECONV_IN_CONTEXT(owner.api->graphLaunch(graph.handle, stream),
                    "cuGraphLaunch");
}
