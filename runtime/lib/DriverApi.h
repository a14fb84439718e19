//===- DriverApi.h - the CUDA driver entry points we use --------*- C++ -*-===//
//
// The driver's C ABI, declared here (CUresult is an int, handles are
// pointers, CUdeviceptr a 64-bit integer), so the runtime needs no CUDA
// headers. One table per backend: the GPU's is filled from libcuda.so.1
// through cuGetProcAddress, the emulator's from the emulated driver's own
// functions, so everything above the table runs unchanged on both.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_LIB_DRIVERAPI_H
#define DECONV_RUNTIME_LIB_DRIVERAPI_H

#include "deconv/Runtime/CudaDriver.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace deconv {

using CuResult = int;

// The few enumerators we use, with the driver's values.
inline constexpr CuResult kCudaSuccess = 0;
inline constexpr CuResult kCudaErrorInvalidValue = 1;
inline constexpr CuResult kCudaErrorNotInitialized = 3;
inline constexpr CuResult kCudaErrorNoDevice = 100;
inline constexpr CuResult kCudaErrorInvalidImage = 200;
inline constexpr CuResult kCudaErrorInvalidContext = 201;
inline constexpr CuResult kCudaErrorNoBinaryForGpu = 209;
inline constexpr CuResult kCudaErrorUnsupportedPtxVersion = 222;
inline constexpr CuResult kCudaErrorInvalidHandle = 400;
inline constexpr CuResult kCudaErrorIllegalState = 401;
inline constexpr CuResult kCudaErrorNotFound = 500;
inline constexpr CuResult kCudaErrorNotReady = 600;
inline constexpr CuResult kCudaErrorIllegalAddress = 700;
inline constexpr CuResult kCudaErrorLaunchOutOfResources = 701;
inline constexpr CuResult kCudaErrorMisalignedAddress = 716;
inline constexpr CuResult kCudaErrorLaunchFailed = 719;
inline constexpr CuResult kCudaErrorStreamCaptureUnsupported = 900;
inline constexpr CuResult kCudaErrorStreamCaptureInvalidated = 901;
inline constexpr CuResult kCudaErrorStreamCaptureUnmatched = 903;
inline constexpr CuResult kCudaErrorStreamCaptureImplicit = 906;
inline constexpr CuResult kCudaErrorStreamCaptureWrongThread = 908;
inline constexpr CuResult kCudaErrorUnknown = 999;

inline constexpr int kAttributeMaxSharedMemoryPerBlockOptin = 97;
inline constexpr int kAttributeMultiprocessorCount = 16;
inline constexpr int kAttributeComputeCapabilityMajor = 75;
inline constexpr int kAttributeComputeCapabilityMinor = 76;
inline constexpr int kFunctionAttributeMaxDynamicSharedSizeBytes = 8;
inline constexpr unsigned kStreamNonBlocking = 1;
inline constexpr int kStreamCaptureModeGlobal = 0;
inline constexpr int kStreamCaptureModeThreadLocal = 1;
inline constexpr int kStreamCaptureModeRelaxed = 2;

struct DriverApi {
  std::string error; ///< Why the backend is unusable; empty when usable.
  CuResult (*init)(unsigned) = nullptr;
  CuResult (*deviceGetCount)(int *) = nullptr;
  CuResult (*deviceGet)(int *, int) = nullptr;
  CuResult (*deviceGetAttribute)(int *, int, int) = nullptr;
  CuResult (*deviceGetName)(char *, int, int) = nullptr;
  CuResult (*primaryCtxRetain)(void **, int) = nullptr;
  CuResult (*primaryCtxRelease)(int) = nullptr;
  CuResult (*ctxGetCurrent)(void **) = nullptr;
  CuResult (*ctxPushCurrent)(void *) = nullptr;
  CuResult (*ctxPopCurrent)(void **) = nullptr;
  CuResult (*ctxSynchronize)() = nullptr;
  CuResult (*memAlloc)(uint64_t *, size_t) = nullptr;
  CuResult (*memFree)(uint64_t) = nullptr;
  CuResult (*memcpyHtoD)(uint64_t, const void *, size_t) = nullptr;
  CuResult (*memcpyDtoH)(void *, uint64_t, size_t) = nullptr;
  CuResult (*memcpyHtoDAsync)(uint64_t, const void *, size_t, void *) = nullptr;
  CuResult (*memcpyDtoHAsync)(void *, uint64_t, size_t, void *) = nullptr;
  CuResult (*memcpyDtoDAsync)(uint64_t, uint64_t, size_t, void *) = nullptr;
  CuResult (*moduleLoadData)(void **, const void *) = nullptr;
  CuResult (*moduleUnload)(void *) = nullptr;
  CuResult (*moduleGetFunction)(void **, void *, const char *) = nullptr;
  CuResult (*funcSetAttribute)(void *, int, int) = nullptr;
  CuResult (*launchKernel)(void *, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, void *, void **,
                           void **) = nullptr;
  CuResult (*getErrorString)(CuResult, const char **) = nullptr;
  CuResult (*streamCreate)(void **, unsigned) = nullptr;
  CuResult (*streamDestroy)(void *) = nullptr;
  CuResult (*streamSynchronize)(void *) = nullptr;
  CuResult (*streamWaitEvent)(void *, void *, unsigned) = nullptr;
  CuResult (*eventCreate)(void **, unsigned) = nullptr;
  CuResult (*eventDestroy)(void *) = nullptr;
  CuResult (*eventRecord)(void *, void *) = nullptr;
  CuResult (*eventSynchronize)(void *) = nullptr;
  CuResult (*eventElapsedTime)(float *, void *, void *) = nullptr;
  // CUDA graphs, optional: a driver without them still runs everything,
  // launch by launch.
  CuResult (*streamBeginCapture)(void *, int) = nullptr;
  CuResult (*streamEndCapture)(void *, void **) = nullptr;
  CuResult (*graphInstantiate)(void **, void *, unsigned long long) = nullptr;
  CuResult (*graphLaunch)(void *, void *) = nullptr;
  CuResult (*graphExecDestroy)(void *) = nullptr;
  CuResult (*graphDestroy)(void *) = nullptr;

  /// Whether every graph entry point is there.
  bool hasGraphs() const {
    return streamBeginCapture && streamEndCapture && graphInstantiate &&
           graphLaunch && graphExecDestroy && graphDestroy;
  }
  std::string describe(CuResult result) const;
};

/// The table of `backend`, loaded on first use (never fails: a backend
/// that cannot load says why in `error`).
const DriverApi &getDriverApi(CudaBackend backend);

/// Fills `api` from `lookup(symbol)`; the first missing required symbol
/// goes to `api.error` (the graph entry points are optional).
void fillDriverApi(DriverApi &api, void *(*lookup)(const char *symbol));

} // namespace deconv

#endif // DECONV_RUNTIME_LIB_DRIVERAPI_H
