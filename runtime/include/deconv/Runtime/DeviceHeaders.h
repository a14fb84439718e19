//===- DeviceHeaders.h - the device prelude kernels include -----*- C++ -*-===//
//
// Kernel sources `#include "deconv_device.h"`. The runtime supplies it when
// it compiles them: the CUDA implementation to NVRTC, the host one (with the
// emulator's ABI) to the emulator's compiler. The files live in
// runtime/device/ and are embedded into the runtime at build time, so a
// kernel cache key covers the exact text a kernel was compiled with.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_DEVICEHEADERS_H
#define DECONV_RUNTIME_DEVICEHEADERS_H

#include "deconv/Runtime/CudaDriver.h"

#include <string>
#include <vector>

namespace deconv {

struct DeviceHeader {
  const char *name; ///< As kernels include it.
  const char *text;
};

/// The headers kernels of `backend` compile against.
const std::vector<DeviceHeader> &getDeviceHeaders(CudaBackend backend);

} // namespace deconv

#endif // DECONV_RUNTIME_DEVICEHEADERS_H
