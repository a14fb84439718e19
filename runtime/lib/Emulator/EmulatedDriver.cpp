//===- EmulatedDriver.cpp - the CUDA driver API on the host ---------------===//
//
// The driver entry points the runtime uses, with the driver's C signatures.
// Work runs synchronously when it is enqueued, so results never depend on
// timing; what asynchrony would make unsafe is checked instead: every
// stream, and the host, carries a vector clock, and every copy or kernel
// that reads or writes an allocation must be ordered after the last write
// to it (and a write after every read) by stream order, the legacy default
// stream's implicit synchronization, events or host synchronization. A
// missing order is a "stream-order hazard" error naming both operations.
// That is how a copy on the legacy stream read by a launch on a
// non-blocking stream is caught.
//
// Stream capture records a stream's kernel launches into a graph instead of
// running them, each with its parameters copied by value (the slot sizes come
// from the kernel object, as the driver's come from a CUBIN); launching the
// instantiated graph runs them in order on the launch's stream through the
// same path as a direct launch, so every check above applies to replays.
// What breaks a capture on the driver breaks it here, with its error codes.
//
// Memory lives on the host at fake device addresses (so a device address
// used as a host pointer crashes, as on a GPU), with a shadow of which
// bytes were ever written and by which thread of which launch.
//
// Every call takes one lock: the emulator serializes the driver.
//
//===----------------------------------------------------------------------===//

#include "Emulator.h"

#include "../DriverApi.h"
#include "BlockScheduler.h"

#include "deconv/Runtime/Emulator.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

using namespace deconv;
using namespace deconv::emulator;

namespace {

/// What an operation has synchronized with: per agent (a stream), the
/// number of its operations known complete or ordered before.
using VectorClock = std::map<uint64_t, uint64_t>;

void join(VectorClock &into, const VectorClock &from) {
  for (const auto &[agent, count] : from) {
    uint64_t &mine = into[agent];
    mine = std::max(mine, count);
  }
}

/// One operation's access to an allocation, for ordering checks.
struct Access {
  uint64_t agent = 0, count = 0;
  std::string what;
};

struct Function;

/// A captured kernel launch: the parameters' bytes were copied at capture.
struct KernelNode {
  Function *function = nullptr;
  unsigned grid[3] = {1, 1, 1}, block[3] = {1, 1, 1};
  unsigned sharedBytes = 0;
  std::vector<unsigned char> parameterBytes;
  std::vector<size_t> parameterOffsets;
};

/// A graph, or an executable graph instantiated from one: kernel nodes that
/// run in order (a stream capture gives a chain).
struct Graph {
  std::vector<KernelNode> nodes;
};

/// A capture in progress on a stream.
struct Capture {
  Graph graph;
  int mode = kStreamCaptureModeGlobal;
  std::thread::id thread;
  /// Why an operation broke it, or empty.
  std::string invalidatedBy;
};

struct Stream {
  uint64_t id = 0; ///< 0 is the legacy default stream.
  bool blocking = true;
  VectorClock clock;
  std::optional<Capture> capture;
  std::string describe() const {
    return id == 0 ? "the legacy default stream"
                   : "stream " + std::to_string(id);
  }
};

struct Event {
  VectorClock clock;
  bool recorded = false;
  std::chrono::steady_clock::time_point time;
};

struct AllocationRecord {
  deconv_emu::Allocation abi;
  std::vector<unsigned char> data, initialized;
  std::vector<uint64_t> lastWriter;
  std::optional<Access> lastWrite;
  std::map<uint64_t, Access> reads; ///< Latest read per agent since.
};

struct Function {
  KernelImage image;
};

struct Module {
  void *handle = nullptr;
  /// The memfd holding the object, open while loaded: dlopen identifies
  /// libraries by path, so /proc/self/fd/N must not be reused meanwhile.
  int fd = -1;
  std::map<std::string, std::unique_ptr<Function>> functions;
};

struct Context {
  int retained = 0;
};

/// The emulated device's properties, from DECONV_EMULATOR_ARCH (sm_90).
struct DeviceProperties {
  int major = 9, minor = 0;
  int multiprocessors = 132;
  int maxSharedOptin = 227 * 1024;
};

DeviceProperties readProperties() {
  DeviceProperties properties;
  const char *arch = std::getenv("DECONV_EMULATOR_ARCH");
  int version = 0;
  if (arch && std::sscanf(arch, "sm_%d", &version) == 1 && version >= 50) {
    properties.major = version / 10;
    properties.minor = version % 10;
  }
  if (properties.major < 9) { // A100-class limits.
    properties.multiprocessors = 108;
    properties.maxSharedOptin = 163 * 1024;
  }
  return properties;
}

struct State {
  std::recursive_mutex mutex;
  DeviceProperties properties = readProperties();
  Context primary;
  Stream legacy;
  std::map<void *, std::unique_ptr<Stream>> streams;
  uint64_t nextStreamId = 1;
  VectorClock host;
  std::map<uint64_t, std::unique_ptr<AllocationRecord>> allocations;
  uint64_t nextAddress = 0x7e0000000000ull;
  std::map<void *, std::unique_ptr<Module>> modules;
  std::map<void *, Function *> functions;
  std::map<void *, std::unique_ptr<Event>> events;
  std::map<void *, std::unique_ptr<Graph>> graphs, graphExecs;
  uint64_t launches = 0, threads = 0, graphLaunches = 0;
};

State &state() {
  static State *instance = new State(); // Lives as long as the process.
  return *instance;
}

thread_local std::vector<void *> contextStack;
/// The detail of the last failure on this thread, for cuGetErrorString.
thread_local std::string lastError;
thread_local CuResult lastErrorCode = kCudaSuccess;

CuResult fail(CuResult code, std::string message) {
  lastError = std::move(message);
  lastErrorCode = code;
  return code;
}

bool hasContext() {
  return !contextStack.empty() && contextStack.back() == &state().primary;
}

#define DECONV_NEED_CONTEXT()                                                  \
  std::lock_guard<std::recursive_mutex> lock(state().mutex);                   \
  if (!hasContext())                                                           \
    return fail(kCudaErrorInvalidContext,                                      \
                "invalid device context (no context is current on this "       \
                "thread)");

Stream *resolveStream(void *handle) {
  // Null and CU_STREAM_LEGACY / CU_STREAM_PER_THREAD are the default stream.
  if (reinterpret_cast<uintptr_t>(handle) <= 2)
    return &state().legacy;
  auto found = state().streams.find(handle);
  return found == state().streams.end() ? nullptr : found->second.get();
}

/// Enqueues one operation on `stream`; returns its number on the stream.
uint64_t enqueue(Stream &stream) {
  State &s = state();
  if (stream.id == 0) {
    // The legacy stream waits for the work of every blocking stream.
    for (auto &[handle, other] : s.streams)
      if (other->blocking)
        join(stream.clock, other->clock);
  } else if (stream.blocking) {
    join(stream.clock, s.legacy.clock);
  }
  join(stream.clock, s.host);
  return ++stream.clock[stream.id];
}

bool ordered(const Access &access, const VectorClock &clock) {
  auto found = clock.find(access.agent);
  return found != clock.end() && found->second >= access.count;
}

std::string describeAgent(uint64_t agent) {
  return agent == 0 ? "the legacy default stream"
                    : "stream " + std::to_string(agent);
}

/// Checks and records a read (or a write) of `record` by operation `what`,
/// number `count` of `stream`.
CuResult access(AllocationRecord &record, Stream &stream, uint64_t count,
                const std::string &what, bool write) {
  auto hazard = [&](const Access &earlier, const char *earlierVerb) {
    return fail(kCudaErrorLaunchFailed,
                "stream-order hazard: " + what + " on " + stream.describe() +
                    (write ? " writes" : " reads") + " a buffer of " +
                    std::to_string(record.abi.size) + " bytes that " +
                    earlier.what + " on " + describeAgent(earlier.agent) + " " +
                    earlierVerb +
                    ", with no stream order, event or synchronization "
                    "between them");
  };
  if (record.lastWrite && !ordered(*record.lastWrite, stream.clock))
    return hazard(*record.lastWrite, "wrote");
  if (write) {
    for (const auto &[agent, read] : record.reads)
      if (!ordered(read, stream.clock))
        return hazard(read, "reads");
    record.lastWrite = Access{stream.id, count, what};
    record.reads.clear();
  } else {
    record.reads[stream.id] = Access{stream.id, count, what};
  }
  return kCudaSuccess;
}

/// The allocation holding [address, address + bytes), or null.
AllocationRecord *findRecord(uint64_t address, size_t bytes) {
  auto &allocations = state().allocations;
  auto next = allocations.upper_bound(address);
  if (next == allocations.begin())
    return nullptr;
  AllocationRecord *record = std::prev(next)->second.get();
  if (address + bytes > record->abi.address + record->abi.size)
    return nullptr;
  return record;
}

CuResult badAddress(const char *what, uint64_t address, size_t bytes) {
  char text[160];
  std::snprintf(text, sizeof(text),
                "%s: [0x%llx, +%zu) is not inside one device allocation", what,
                static_cast<unsigned long long>(address), bytes);
  return fail(kCudaErrorInvalidValue, text);
}

void markWritten(AllocationRecord &record, uint64_t offset, size_t bytes) {
  std::memset(record.initialized.data() + offset, 1, bytes);
  std::fill(record.lastWriter.begin() + offset,
            record.lastWriter.begin() + offset + bytes, 0);
}

/// Breaks the capture of `stream` (if it has one) and fails with `code`:
/// the driver invalidates a capture an illegal operation touched, and
/// cuStreamEndCapture then returns no graph.
CuResult breakCapture(Stream &stream, CuResult code, const std::string &why) {
  if (stream.capture && stream.capture->invalidatedBy.empty())
    stream.capture->invalidatedBy = why;
  return fail(code, why);
}

/// Using the legacy stream while a blocking stream captures would make it
/// wait for work that is not running: CUDA_ERROR_STREAM_CAPTURE_IMPLICIT.
CuResult refuseImplicitLegacyUse(Stream &stream, const std::string &what) {
  if (stream.id == 0)
    for (auto &[handle, other] : state().streams)
      if (other->capture && other->blocking)
        return breakCapture(*other, kCudaErrorStreamCaptureImplicit,
                            what +
                                " on the legacy default stream would wait "
                                "for the capturing " +
                                other->describe());
  return kCudaSuccess;
}

/// What an operation the emulator does not record (copies, events,
/// synchronization) does on a capturing stream.
CuResult refuseWhileCapturing(Stream &stream, const std::string &what) {
  if (stream.capture)
    return breakCapture(stream, kCudaErrorStreamCaptureUnsupported,
                        "operation not permitted when stream is capturing (" +
                            what + " on " + stream.describe() +
                            "; the emulator captures kernel launches only)");
  return refuseImplicitLegacyUse(stream, what);
}

/// What an allocation, free or device-wide synchronization does while a
/// capture forbids it: any thread breaks a global-mode capture, the
/// capturing thread a thread-local one; relaxed captures allow it.
CuResult refuseUnsafeCall(const std::string &what) {
  for (auto &[handle, stream] : state().streams) {
    const std::optional<Capture> &capture = stream->capture;
    if (!capture || capture->mode == kStreamCaptureModeRelaxed ||
        (capture->mode == kStreamCaptureModeThreadLocal &&
         capture->thread != std::this_thread::get_id()))
      continue;
    return breakCapture(*stream, kCudaErrorStreamCaptureUnsupported,
                        "operation not permitted when stream is capturing (" +
                            what + " while " + stream->describe() +
                            " captures)");
  }
  return kCudaSuccess;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

CuResult cuGetErrorString(CuResult code, const char **text) {
  if (code == lastErrorCode && !lastError.empty()) {
    *text = lastError.c_str();
    return kCudaSuccess;
  }
  switch (code) {
  case kCudaSuccess:
    *text = "no error";
    return kCudaSuccess;
  case kCudaErrorInvalidValue:
    *text = "invalid argument";
    return kCudaSuccess;
  case kCudaErrorInvalidContext:
    *text = "invalid device context";
    return kCudaSuccess;
  default:
    *text = "emulator error";
    return kCudaSuccess;
  }
}

CuResult cuInit(unsigned) { return kCudaSuccess; }

CuResult cuDeviceGetCount(int *count) {
  *count = 1;
  return kCudaSuccess;
}

CuResult cuDeviceGet(int *device, int ordinal) {
  if (ordinal != 0)
    return fail(kCudaErrorInvalidValue, "invalid device ordinal");
  *device = 0;
  return kCudaSuccess;
}

CuResult cuDeviceGetAttribute(int *value, int attribute, int) {
  const DeviceProperties &properties = state().properties;
  switch (attribute) {
  case kAttributeComputeCapabilityMajor:
    *value = properties.major;
    return kCudaSuccess;
  case kAttributeComputeCapabilityMinor:
    *value = properties.minor;
    return kCudaSuccess;
  case kAttributeMultiprocessorCount:
    *value = properties.multiprocessors;
    return kCudaSuccess;
  case kAttributeMaxSharedMemoryPerBlockOptin:
    *value = properties.maxSharedOptin;
    return kCudaSuccess;
  default:
    return fail(kCudaErrorInvalidValue, "device attribute " +
                                            std::to_string(attribute) +
                                            " is not emulated");
  }
}

CuResult cuDeviceGetName(char *name, int length, int) {
  const DeviceProperties &properties = state().properties;
  std::snprintf(name, length, "deconv CUDA emulator (sm_%d%d)",
                properties.major, properties.minor);
  return kCudaSuccess;
}

CuResult cuDevicePrimaryCtxRetain(void **context, int) {
  std::lock_guard<std::recursive_mutex> lock(state().mutex);
  ++state().primary.retained;
  *context = &state().primary;
  return kCudaSuccess;
}

CuResult cuDevicePrimaryCtxRelease(int) {
  std::lock_guard<std::recursive_mutex> lock(state().mutex);
  if (state().primary.retained == 0)
    return fail(kCudaErrorInvalidContext, "primary context released more "
                                          "often than retained");
  --state().primary.retained;
  return kCudaSuccess;
}

CuResult cuCtxGetCurrent(void **context) {
  *context = contextStack.empty() ? nullptr : contextStack.back();
  return kCudaSuccess;
}

CuResult cuCtxPushCurrent(void *context) {
  if (context != &state().primary)
    return fail(kCudaErrorInvalidContext, "invalid device context");
  contextStack.push_back(context);
  return kCudaSuccess;
}

CuResult cuCtxPopCurrent(void **context) {
  if (contextStack.empty())
    return fail(kCudaErrorInvalidContext, "no context to pop");
  if (context)
    *context = contextStack.back();
  contextStack.pop_back();
  return kCudaSuccess;
}

CuResult cuCtxSynchronize() {
  DECONV_NEED_CONTEXT();
  if (CuResult result = refuseUnsafeCall("cuCtxSynchronize"))
    return result;
  State &s = state();
  join(s.host, s.legacy.clock);
  for (auto &[handle, stream] : s.streams)
    join(s.host, stream->clock);
  return kCudaSuccess;
}

CuResult cuMemAlloc(uint64_t *address, size_t bytes) {
  DECONV_NEED_CONTEXT();
  if (bytes == 0)
    return fail(kCudaErrorInvalidValue, "cuMemAlloc of 0 bytes");
  if (CuResult result = refuseUnsafeCall("cuMemAlloc"))
    return result;
  State &s = state();
  auto record = std::make_unique<AllocationRecord>();
  record->data.resize(bytes);
  record->initialized.resize(bytes);
  record->lastWriter.resize(bytes);
  record->abi.address = s.nextAddress;
  record->abi.size = bytes;
  record->abi.data = record->data.data();
  record->abi.initialized = record->initialized.data();
  record->abi.lastWriter = record->lastWriter.data();
  // 256-byte aligned like the driver's, with a gap so that one past the
  // end of an allocation is never the start of the next.
  s.nextAddress += (bytes + 256 + 255) / 256 * 256;
  *address = record->abi.address;
  s.allocations.emplace(*address, std::move(record));
  return kCudaSuccess;
}

CuResult cuMemFree(uint64_t address) {
  DECONV_NEED_CONTEXT();
  State &s = state();
  auto found = s.allocations.find(address);
  if (found == s.allocations.end())
    return fail(kCudaErrorInvalidValue,
                "cuMemFree of an address that is not an allocation's start");
  if (CuResult result = refuseUnsafeCall("cuMemFree"))
    return result;
  // cuMemFree waits for the device: nothing in flight can still use it.
  cuCtxSynchronize();
  s.allocations.erase(found);
  return kCudaSuccess;
}

/// The checks and ordering of a copy between the host and `bytes` at
/// `address`: finds the stream and allocation and records the access.
CuResult beginCopy(uint64_t address, size_t bytes, void *streamHandle,
                   const char *what, bool write, Stream *&stream,
                   AllocationRecord *&record) {
  stream = resolveStream(streamHandle);
  if (!stream)
    return fail(kCudaErrorInvalidHandle,
                std::string(what) + ": not a stream of this context");
  if (CuResult result = refuseWhileCapturing(*stream, what))
    return result;
  record = findRecord(address, bytes);
  if (!record)
    return badAddress(what, address, bytes);
  return access(*record, *stream, enqueue(*stream), what, write);
}

CuResult copyIn(uint64_t address, const void *data, size_t bytes,
                void *streamHandle, const char *what) {
  DECONV_NEED_CONTEXT();
  Stream *stream;
  AllocationRecord *record;
  if (CuResult result =
          beginCopy(address, bytes, streamHandle, what, true, stream, record))
    return result;
  uint64_t offset = address - record->abi.address;
  std::memcpy(record->data.data() + offset, data, bytes);
  markWritten(*record, offset, bytes);
  return kCudaSuccess;
}

CuResult copyOut(void *data, uint64_t address, size_t bytes, void *streamHandle,
                 const char *what, bool synchronous) {
  DECONV_NEED_CONTEXT();
  Stream *stream;
  AllocationRecord *record;
  if (CuResult result =
          beginCopy(address, bytes, streamHandle, what, false, stream, record))
    return result;
  uint64_t offset = address - record->abi.address;
  for (size_t i = 0; i < bytes; ++i)
    if (!record->initialized[offset + i])
      return fail(kCudaErrorLaunchFailed,
                  std::string(what) +
                      " reads never-written device memory: "
                      "byte " +
                      std::to_string(offset + i) + " of a buffer of " +
                      std::to_string(record->abi.size) + " bytes");
  std::memcpy(data, record->data.data() + offset, bytes);
  // A synchronous copy returns when it is done: the host knows it is.
  if (synchronous)
    join(state().host, stream->clock);
  return kCudaSuccess;
}

CuResult cuMemcpyHtoD(uint64_t address, const void *data, size_t bytes) {
  // From pageable memory the call may return before the DMA ends, so the
  // host does not learn that it completed.
  return copyIn(address, data, bytes, nullptr, "cuMemcpyHtoD");
}

CuResult cuMemcpyHtoDAsync(uint64_t address, const void *data, size_t bytes,
                           void *stream) {
  return copyIn(address, data, bytes, stream, "cuMemcpyHtoDAsync");
}

CuResult cuMemcpyDtoH(void *data, uint64_t address, size_t bytes) {
  return copyOut(data, address, bytes, nullptr, "cuMemcpyDtoH", true);
}

CuResult cuMemcpyDtoHAsync(void *data, uint64_t address, size_t bytes,
                           void *stream) {
  return copyOut(data, address, bytes, stream, "cuMemcpyDtoHAsync", false);
}

CuResult cuMemcpyDtoDAsync(uint64_t destination, uint64_t source, size_t bytes,
                           void *streamHandle) {
  DECONV_NEED_CONTEXT();
  const char *what = "cuMemcpyDtoDAsync";
  Stream *stream = resolveStream(streamHandle);
  if (!stream)
    return fail(kCudaErrorInvalidHandle,
                "cuMemcpyDtoDAsync: not a stream of this context");
  if (CuResult result = refuseWhileCapturing(*stream, what))
    return result;
  AllocationRecord *from = findRecord(source, bytes);
  AllocationRecord *to = findRecord(destination, bytes);
  if (!from || !to)
    return badAddress(what, from ? destination : source, bytes);
  uint64_t count = enqueue(*stream);
  if (CuResult result = access(*from, *stream, count, what, false))
    return result;
  if (CuResult result = access(*to, *stream, count, what, true))
    return result;
  uint64_t fromOffset = source - from->abi.address,
           toOffset = destination - to->abi.address;
  for (size_t i = 0; i < bytes; ++i)
    if (!from->initialized[fromOffset + i])
      return fail(kCudaErrorLaunchFailed,
                  "cuMemcpyDtoDAsync reads never-written device memory");
  std::memmove(to->data.data() + toOffset, from->data.data() + fromOffset,
               bytes);
  markWritten(*to, toOffset, bytes);
  return kCudaSuccess;
}

CuResult cuModuleLoadData(void **module, const void *image) {
  DECONV_NEED_CONTEXT();
  // The image is a shared object from the emulated NVRTC: its size, then
  // its bytes (NVRTC's CUBINs carry their size in their ELF header; ours is
  // prefixed by the emulated NVRTC).
  const char *bytes = static_cast<const char *>(image);
  static const char kMagic[8] = {'D', 'E', 'C', 'O', 'N', 'V', 'S', 'O'};
  if (std::memcmp(bytes, kMagic, sizeof(kMagic)) != 0)
    return fail(kCudaErrorInvalidImage,
                "device kernel image is invalid (not a kernel object of the "
                "emulator: a CUBIN for a real GPU?)");
  uint64_t size;
  std::memcpy(&size, bytes + 8, sizeof(size));
  int fd = memfd_create("deconv-kernel", MFD_CLOEXEC);
  if (fd < 0)
    return fail(kCudaErrorUnknown, "memfd_create failed");
  size_t written = 0;
  while (written < size) {
    ssize_t n = write(fd, bytes + 16 + written, size - written);
    if (n <= 0) {
      close(fd);
      return fail(kCudaErrorUnknown, "cannot stage a kernel object");
    }
    written += static_cast<size_t>(n);
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    close(fd);
  if (!handle)
    return fail(kCudaErrorInvalidImage,
                std::string("device kernel image is invalid (") + dlerror() +
                    ")");
  using VersionFn = uint32_t (*)();
  auto version =
      reinterpret_cast<VersionFn>(dlsym(handle, "deconv_emu_abi_version"));
  if (!version || version() != deconv_emu::kAbiVersion) {
    dlclose(handle);
    close(fd);
    return fail(kCudaErrorInvalidImage,
                "device kernel image is invalid (built for another version of "
                "the emulator)");
  }
  auto owned = std::make_unique<Module>();
  owned->handle = handle;
  owned->fd = fd;
  *module = owned.get();
  state().modules.emplace(*module, std::move(owned));
  return kCudaSuccess;
}

CuResult cuModuleUnload(void *module) {
  DECONV_NEED_CONTEXT();
  State &s = state();
  auto found = s.modules.find(module);
  if (found == s.modules.end())
    return fail(kCudaErrorInvalidHandle, "not a loaded module");
  for (auto &[name, function] : found->second->functions)
    s.functions.erase(function.get());
  dlclose(found->second->handle);
  close(found->second->fd);
  s.modules.erase(found);
  return kCudaSuccess;
}

CuResult cuModuleGetFunction(void **function, void *moduleHandle,
                             const char *name) {
  DECONV_NEED_CONTEXT();
  State &s = state();
  auto found = s.modules.find(moduleHandle);
  if (found == s.modules.end())
    return fail(kCudaErrorInvalidHandle, "not a loaded module");
  Module &module = *found->second;
  auto known = module.functions.find(name);
  if (known == module.functions.end()) {
    std::string entry = std::string("deconv_emu_entry_") + name;
    std::string info = std::string("deconv_emu_info_") + name;
    auto image = std::make_unique<Function>();
    image->image.name = name;
    image->image.entry = reinterpret_cast<void (*)(void **)>(
        dlsym(module.handle, entry.c_str()));
    image->image.setCurrent = reinterpret_cast<void (*)(deconv_emu::Thread *)>(
        dlsym(module.handle, "deconv_emu_set_current"));
    auto *kernelInfo = reinterpret_cast<const deconv_emu::KernelInfo *>(
        dlsym(module.handle, info.c_str()));
    if (!image->image.entry || !image->image.setCurrent || !kernelInfo)
      return fail(kCudaErrorNotFound,
                  std::string("named symbol not found (no kernel '") + name +
                      "' in the module)");
    image->image.info = *kernelInfo;
    s.functions[image.get()] = image.get();
    known = module.functions.emplace(name, std::move(image)).first;
  }
  *function = known->second.get();
  return kCudaSuccess;
}

CuResult cuFuncSetAttribute(void *handle, int attribute, int value) {
  DECONV_NEED_CONTEXT();
  auto found = state().functions.find(handle);
  if (found == state().functions.end())
    return fail(kCudaErrorInvalidHandle, "not a kernel");
  if (attribute != kFunctionAttributeMaxDynamicSharedSizeBytes)
    return fail(kCudaErrorInvalidValue, "function attribute " +
                                            std::to_string(attribute) +
                                            " is not emulated");
  if (value < 0 || value > state().properties.maxSharedOptin)
    return fail(kCudaErrorInvalidValue,
                "dynamic shared memory of " + std::to_string(value) +
                    " bytes exceeds the device's " +
                    std::to_string(state().properties.maxSharedOptin));
  found->second->image.maxDynamicShared = static_cast<uint32_t>(value);
  return kCudaSuccess;
}

/// The checks cuLaunchKernel makes of a launch before it runs or is
/// captured.
CuResult checkLaunch(const KernelImage &kernel, const unsigned grid[3],
                     const unsigned block[3], unsigned sharedBytes,
                     void **parameters, void **extra) {
  auto invalid = [&](const std::string &why) {
    return fail(kCudaErrorInvalidValue, kernel.name + ": " + why);
  };
  if (extra)
    return invalid("the extra launch parameters are not emulated");
  if (!parameters && kernel.info.parameters.count)
    return invalid("no kernel parameters");
  if (grid[0] == 0 || grid[1] == 0 || grid[2] == 0 || grid[0] > 0x7fffffffu ||
      grid[1] > 65535 || grid[2] > 65535)
    return invalid("grid " + std::to_string(grid[0]) + "x" +
                   std::to_string(grid[1]) + "x" + std::to_string(grid[2]) +
                   " outside the limits (1..2^31-1 x 1..65535 x 1..65535)");
  uint64_t blockSize = uint64_t(block[0]) * block[1] * block[2];
  if (blockSize == 0 || block[0] > 1024 || block[1] > 1024 || block[2] > 64 ||
      blockSize > 1024)
    return invalid("block " + std::to_string(block[0]) + "x" +
                   std::to_string(block[1]) + "x" + std::to_string(block[2]) +
                   " outside the limits (x, y <= 1024, z <= 64, 1024 threads)");
  if (kernel.info.maxThreadsPerBlock &&
      blockSize > kernel.info.maxThreadsPerBlock)
    return fail(kCudaErrorLaunchOutOfResources,
                kernel.name + ": a block of " + std::to_string(blockSize) +
                    " threads exceeds its __launch_bounds__ of " +
                    std::to_string(kernel.info.maxThreadsPerBlock));
  if (sharedBytes > kernel.maxDynamicShared)
    return invalid(std::to_string(sharedBytes) +
                   " bytes of dynamic shared memory above the kernel's limit "
                   "of " +
                   std::to_string(kernel.maxDynamicShared) +
                   " (above 48 KB a kernel must opt in with "
                   "cuFuncSetAttribute)");
  return kCudaSuccess;
}

/// Runs a checked launch on `stream`, then checks the stream order of every
/// allocation it read or wrote: direct launches and graph replays alike.
CuResult runLaunch(const KernelImage &kernel, const unsigned grid[3],
                   const unsigned block[3], unsigned sharedBytes,
                   Stream &stream, void **parameters) {
  State &s = state();
  uint64_t count = enqueue(stream);
  std::vector<deconv_emu::Allocation *> allocations;
  for (auto &[address, record] : s.allocations) {
    record->abi.readByLaunch = record->abi.writtenByLaunch = 0;
    allocations.push_back(&record->abi);
  }
  ++s.launches;
  GridLaunch launch;
  launch.kernel = &kernel;
  launch.grid = {grid[0], grid[1], grid[2]};
  launch.block = {block[0], block[1], block[2]};
  launch.dynamicShared = sharedBytes;
  launch.maxShared = static_cast<uint32_t>(s.properties.maxSharedOptin);
  launch.parameters = parameters;
  // Serials live in the top 24 bits of the shadow's writer ids.
  launch.serial = 1 + (s.launches - 1) % ((1u << 24) - 1);
  launch.allocations = &allocations;
  unsigned cores = std::thread::hardware_concurrency();
  if (const char *threads = std::getenv("DECONV_EMULATOR_THREADS"))
    cores = static_cast<unsigned>(std::max(1, std::atoi(threads)));
  launch.workers = std::max(1u, cores);
  GridResult result = runGrid(launch);
  s.threads += result.threads;
  if (result.kind != FaultKind::None)
    return fail(result.kind == FaultKind::IllegalAddress
                    ? kCudaErrorIllegalAddress
                : result.kind == FaultKind::MisalignedAddress
                    ? kCudaErrorMisalignedAddress
                    : kCudaErrorLaunchFailed,
                result.fault);
  std::string what = "kernel " + kernel.name;
  for (auto &[address, record] : s.allocations)
    if (record->abi.readByLaunch == launch.serial)
      if (CuResult error = access(*record, stream, count, what, false))
        return error;
  for (auto &[address, record] : s.allocations)
    if (record->abi.writtenByLaunch == launch.serial)
      if (CuResult error = access(*record, stream, count, what, true))
        return error;
  return kCudaSuccess;
}

CuResult cuLaunchKernel(void *handle, unsigned gridX, unsigned gridY,
                        unsigned gridZ, unsigned blockX, unsigned blockY,
                        unsigned blockZ, unsigned sharedBytes,
                        void *streamHandle, void **parameters, void **extra) {
  DECONV_NEED_CONTEXT();
  State &s = state();
  auto found = s.functions.find(handle);
  if (found == s.functions.end())
    return fail(kCudaErrorInvalidHandle, "cuLaunchKernel: not a kernel");
  const KernelImage &kernel = found->second->image;
  const unsigned grid[3] = {gridX, gridY, gridZ};
  const unsigned block[3] = {blockX, blockY, blockZ};
  if (CuResult result =
          checkLaunch(kernel, grid, block, sharedBytes, parameters, extra))
    return result;
  Stream *stream = resolveStream(streamHandle);
  if (!stream)
    return fail(kCudaErrorInvalidValue,
                kernel.name + ": not a stream of this context");
  if (CuResult result = refuseImplicitLegacyUse(*stream, "cuLaunchKernel"))
    return result;
  if (!stream->capture)
    return runLaunch(kernel, grid, block, sharedBytes, *stream, parameters);

  // Captured: the parameters are copied now, as the driver does, so the
  // caller may reuse its argument slots as soon as this returns.
  if (!stream->capture->invalidatedBy.empty())
    return fail(kCudaErrorStreamCaptureInvalidated,
                "operation failed due to a previous error during capture (" +
                    stream->capture->invalidatedBy + ")");
  KernelNode node;
  node.function = found->second;
  std::copy(grid, grid + 3, node.grid);
  std::copy(block, block + 3, node.block);
  node.sharedBytes = sharedBytes;
  const deconv_emu::ParameterLayout &layout = kernel.info.parameters;
  for (uint32_t i = 0; i < layout.count; ++i) {
    const auto *bytes = static_cast<const unsigned char *>(parameters[i]);
    node.parameterOffsets.push_back(node.parameterBytes.size());
    node.parameterBytes.insert(node.parameterBytes.end(), bytes,
                               bytes + layout.bytes[i]);
  }
  stream->capture->graph.nodes.push_back(std::move(node));
  return kCudaSuccess;
}

CuResult cuStreamCreate(void **handle, unsigned flags) {
  DECONV_NEED_CONTEXT();
  State &s = state();
  auto stream = std::make_unique<Stream>();
  stream->id = s.nextStreamId++;
  stream->blocking = !(flags & kStreamNonBlocking);
  *handle = stream.get();
  s.streams.emplace(*handle, std::move(stream));
  return kCudaSuccess;
}

CuResult cuStreamDestroy(void *handle) {
  DECONV_NEED_CONTEXT();
  if (!state().streams.erase(handle))
    return fail(kCudaErrorInvalidHandle, "not a stream");
  return kCudaSuccess;
}

CuResult cuStreamSynchronize(void *handle) {
  DECONV_NEED_CONTEXT();
  Stream *stream = resolveStream(handle);
  if (!stream)
    return fail(kCudaErrorInvalidHandle, "not a stream");
  if (CuResult result = refuseWhileCapturing(*stream, "cuStreamSynchronize"))
    return result;
  join(state().host, stream->clock);
  return kCudaSuccess;
}

CuResult cuStreamWaitEvent(void *handle, void *eventHandle, unsigned) {
  DECONV_NEED_CONTEXT();
  Stream *stream = resolveStream(handle);
  auto event = state().events.find(eventHandle);
  if (!stream || event == state().events.end())
    return fail(kCudaErrorInvalidHandle, "not a stream or event");
  if (CuResult result = refuseWhileCapturing(*stream, "cuStreamWaitEvent"))
    return result;
  join(stream->clock, event->second->clock);
  return kCudaSuccess;
}

CuResult cuEventCreate(void **handle, unsigned) {
  DECONV_NEED_CONTEXT();
  auto event = std::make_unique<Event>();
  *handle = event.get();
  state().events.emplace(*handle, std::move(event));
  return kCudaSuccess;
}

CuResult cuEventDestroy(void *handle) {
  DECONV_NEED_CONTEXT();
  if (!state().events.erase(handle))
    return fail(kCudaErrorInvalidHandle, "not an event");
  return kCudaSuccess;
}

CuResult cuEventRecord(void *handle, void *streamHandle) {
  DECONV_NEED_CONTEXT();
  Stream *stream = resolveStream(streamHandle);
  auto event = state().events.find(handle);
  if (!stream || event == state().events.end())
    return fail(kCudaErrorInvalidHandle, "not a stream or event");
  if (CuResult result = refuseWhileCapturing(*stream, "cuEventRecord"))
    return result;
  enqueue(*stream);
  event->second->clock = stream->clock;
  event->second->recorded = true;
  event->second->time = std::chrono::steady_clock::now();
  return kCudaSuccess;
}

CuResult cuEventSynchronize(void *handle) {
  DECONV_NEED_CONTEXT();
  auto event = state().events.find(handle);
  if (event == state().events.end())
    return fail(kCudaErrorInvalidHandle, "not an event");
  join(state().host, event->second->clock);
  return kCudaSuccess;
}

CuResult cuEventElapsedTime(float *milliseconds, void *start, void *end) {
  DECONV_NEED_CONTEXT();
  auto first = state().events.find(start), last = state().events.find(end);
  if (first == state().events.end() || last == state().events.end())
    return fail(kCudaErrorInvalidHandle, "not an event");
  if (!first->second->recorded || !last->second->recorded)
    return fail(kCudaErrorInvalidValue, "an event was never recorded");
  *milliseconds = std::chrono::duration<float, std::milli>(last->second->time -
                                                           first->second->time)
                      .count();
  return kCudaSuccess;
}

//===----------------------------------------------------------------------===//
// Graphs
//===----------------------------------------------------------------------===//

CuResult cuStreamBeginCapture(void *handle, int mode) {
  DECONV_NEED_CONTEXT();
  Stream *stream = resolveStream(handle);
  if (!stream)
    return fail(kCudaErrorInvalidHandle, "cuStreamBeginCapture: not a stream");
  if (stream->id == 0)
    return fail(kCudaErrorStreamCaptureUnsupported,
                "operation not permitted when stream is capturing (the legacy "
                "default stream cannot be captured)");
  if (mode < kStreamCaptureModeGlobal || mode > kStreamCaptureModeRelaxed)
    return fail(kCudaErrorInvalidValue, "cuStreamBeginCapture: capture mode " +
                                            std::to_string(mode) +
                                            " is not one of the driver's");
  if (stream->capture)
    return fail(kCudaErrorIllegalState,
                "cuStreamBeginCapture: " + stream->describe() +
                    " is capturing already");
  stream->capture.emplace();
  stream->capture->mode = mode;
  stream->capture->thread = std::this_thread::get_id();
  return kCudaSuccess;
}

CuResult cuStreamEndCapture(void *handle, void **graph) {
  DECONV_NEED_CONTEXT();
  Stream *stream = resolveStream(handle);
  if (!stream)
    return fail(kCudaErrorInvalidHandle, "cuStreamEndCapture: not a stream");
  if (!graph)
    return fail(kCudaErrorInvalidValue, "cuStreamEndCapture: no graph pointer");
  if (!stream->capture)
    return fail(kCudaErrorStreamCaptureUnmatched,
                "capture was not initiated in this stream (" +
                    stream->describe() + " is not capturing)");
  if (stream->capture->mode != kStreamCaptureModeRelaxed &&
      stream->capture->thread != std::this_thread::get_id())
    return fail(kCudaErrorStreamCaptureWrongThread,
                "attempt to terminate a thread-local capture sequence from "
                "another thread");
  Capture capture = std::move(*stream->capture);
  stream->capture.reset();
  *graph = nullptr;
  if (!capture.invalidatedBy.empty())
    return fail(kCudaErrorStreamCaptureInvalidated,
                "operation failed due to a previous error during capture (" +
                    capture.invalidatedBy + ")");
  auto owned = std::make_unique<Graph>(std::move(capture.graph));
  *graph = owned.get();
  state().graphs.emplace(*graph, std::move(owned));
  return kCudaSuccess;
}

CuResult cuGraphInstantiateWithFlags(void **exec, void *graph,
                                     unsigned long long flags) {
  DECONV_NEED_CONTEXT();
  auto found = state().graphs.find(graph);
  if (found == state().graphs.end())
    return fail(kCudaErrorInvalidHandle, "cuGraphInstantiate: not a graph");
  if (!exec)
    return fail(kCudaErrorInvalidValue, "cuGraphInstantiate: no exec pointer");
  if (flags)
    return fail(kCudaErrorInvalidValue, "cuGraphInstantiate: flags " +
                                            std::to_string(flags) +
                                            " are not emulated");
  // A copy: the executable graph lives on when the graph is destroyed.
  auto owned = std::make_unique<Graph>(*found->second);
  *exec = owned.get();
  state().graphExecs.emplace(*exec, std::move(owned));
  return kCudaSuccess;
}

CuResult cuGraphLaunch(void *exec, void *streamHandle) {
  DECONV_NEED_CONTEXT();
  State &s = state();
  auto found = s.graphExecs.find(exec);
  if (found == s.graphExecs.end())
    return fail(kCudaErrorInvalidHandle,
                "cuGraphLaunch: not an executable graph (destroyed?)");
  Stream *stream = resolveStream(streamHandle);
  if (!stream)
    return fail(kCudaErrorInvalidHandle,
                "cuGraphLaunch: not a stream of this context");
  if (CuResult result = refuseImplicitLegacyUse(*stream, "cuGraphLaunch"))
    return result;
  const Graph &graph = *found->second;
  for (const KernelNode &node : graph.nodes)
    if (!s.functions.count(node.function))
      return fail(kCudaErrorInvalidHandle,
                  "cuGraphLaunch: a kernel of the graph was unloaded");
  if (stream->capture) {
    // Captured into the capturing graph, as a child graph is.
    if (!stream->capture->invalidatedBy.empty())
      return fail(kCudaErrorStreamCaptureInvalidated,
                  "operation failed due to a previous error during capture (" +
                      stream->capture->invalidatedBy + ")");
    stream->capture->graph.nodes.insert(stream->capture->graph.nodes.end(),
                                        graph.nodes.begin(), graph.nodes.end());
    return kCudaSuccess;
  }
  ++s.graphLaunches;
  for (const KernelNode &node : graph.nodes) {
    // The kernel reads its own copy of the captured bytes.
    std::vector<unsigned char> bytes = node.parameterBytes;
    std::vector<void *> parameters;
    for (size_t offset : node.parameterOffsets)
      parameters.push_back(bytes.data() + offset);
    if (CuResult result =
            runLaunch(node.function->image, node.grid, node.block,
                      node.sharedBytes, *stream, parameters.data()))
      return result;
  }
  return kCudaSuccess;
}

CuResult cuGraphExecDestroy(void *exec) {
  DECONV_NEED_CONTEXT();
  if (!state().graphExecs.erase(exec))
    return fail(kCudaErrorInvalidHandle,
                "cuGraphExecDestroy: not an executable graph");
  return kCudaSuccess;
}

CuResult cuGraphDestroy(void *graph) {
  DECONV_NEED_CONTEXT();
  if (!state().graphs.erase(graph))
    return fail(kCudaErrorInvalidHandle, "cuGraphDestroy: not a graph");
  return kCudaSuccess;
}

} // namespace

void *deconv::emulator::lookupDriverSymbol(const char *symbol) {
  static const std::map<std::string, void *> table = {
#define DECONV_ENTRY(name) {#name, reinterpret_cast<void *>(&name)}
      DECONV_ENTRY(cuGetErrorString),
      DECONV_ENTRY(cuInit),
      DECONV_ENTRY(cuDeviceGetCount),
      DECONV_ENTRY(cuDeviceGet),
      DECONV_ENTRY(cuDeviceGetAttribute),
      DECONV_ENTRY(cuDeviceGetName),
      DECONV_ENTRY(cuDevicePrimaryCtxRetain),
      DECONV_ENTRY(cuDevicePrimaryCtxRelease),
      DECONV_ENTRY(cuCtxGetCurrent),
      DECONV_ENTRY(cuCtxPushCurrent),
      DECONV_ENTRY(cuCtxPopCurrent),
      DECONV_ENTRY(cuCtxSynchronize),
      DECONV_ENTRY(cuMemAlloc),
      DECONV_ENTRY(cuMemFree),
      DECONV_ENTRY(cuMemcpyHtoD),
      DECONV_ENTRY(cuMemcpyDtoH),
      DECONV_ENTRY(cuMemcpyHtoDAsync),
      DECONV_ENTRY(cuMemcpyDtoHAsync),
      DECONV_ENTRY(cuMemcpyDtoDAsync),
      DECONV_ENTRY(cuModuleLoadData),
      DECONV_ENTRY(cuModuleUnload),
      DECONV_ENTRY(cuModuleGetFunction),
      DECONV_ENTRY(cuFuncSetAttribute),
      DECONV_ENTRY(cuLaunchKernel),
      DECONV_ENTRY(cuStreamCreate),
      DECONV_ENTRY(cuStreamDestroy),
      DECONV_ENTRY(cuStreamSynchronize),
      DECONV_ENTRY(cuStreamWaitEvent),
      DECONV_ENTRY(cuEventCreate),
      DECONV_ENTRY(cuEventDestroy),
      DECONV_ENTRY(cuEventRecord),
      DECONV_ENTRY(cuEventSynchronize),
      DECONV_ENTRY(cuEventElapsedTime),
      DECONV_ENTRY(cuStreamBeginCapture),
      DECONV_ENTRY(cuStreamEndCapture),
      DECONV_ENTRY(cuGraphInstantiateWithFlags),
      DECONV_ENTRY(cuGraphLaunch),
      DECONV_ENTRY(cuGraphExecDestroy),
      DECONV_ENTRY(cuGraphDestroy),
#undef DECONV_ENTRY
  };
  auto found = table.find(symbol);
  return found == table.end() ? nullptr : found->second;
}

EmulatorStatistics deconv::getEmulatorStatistics() {
  State &s = state();
  std::lock_guard<std::recursive_mutex> lock(s.mutex);
  EmulatorStatistics statistics;
  statistics.liveAllocations = s.allocations.size();
  statistics.launches = s.launches;
  statistics.graphLaunches = s.graphLaunches;
  statistics.threads = s.threads;
  statistics.compiles = getEmulatorCompileCount();
  return statistics;
}
