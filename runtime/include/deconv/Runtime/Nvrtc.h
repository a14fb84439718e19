//===- Nvrtc.h - NVRTC loaded at run time -----------------------*- C++ -*-===//
//
// Compiles CUDA C++ to CUBIN with NVRTC, which is dlopen'ed (never linked),
// so every binary starts on a machine without CUDA and reports it cleanly.
// NVRTC needs no GPU: CUBINs for any architecture compile anywhere. The
// emulator backend has an NVRTC of its own behind the same entry points
// (the host C++ compiler; its "CUBINs" are kernel objects for the emulated
// driver). Sources include "deconv_device.h", which the compile supplies.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_NVRTC_H
#define DECONV_RUNTIME_NVRTC_H

#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/Status.h"

#include <string>
#include <vector>

namespace deconv {

/// Whether NVRTC can be loaded here (cached after the first call).
bool isNvrtcAvailable(CudaBackend backend = CudaBackend::Gpu);

/// NVRTC's version as major*1000 + minor*10 (13000 for 13.0), or a status
/// saying why NVRTC is unavailable.
StatusOr<int> getNvrtcVersion(CudaBackend backend = CudaBackend::Gpu);

/// What identifies the compiler of `backend` for cache keys: NVRTC's
/// version, or the emulator's host compiler and flags.
StatusOr<std::string> getCompilerIdentity(CudaBackend backend);

/// Compiles `source` for `arch` (e.g. "sm_90") to a CUBIN. Options are passed
/// to NVRTC as given (e.g. "-DDECONV_N=8"); no fast math is ever added. A
/// failed compile returns NVRTC's log; `log`, when given, receives it after a
/// successful one too (with --ptxas-options=-v: registers and spills).
StatusOr<std::string> compileToCubin(const std::string &source,
                                     const std::string &name,
                                     const std::string &arch,
                                     const std::vector<std::string> &options,
                                     CudaBackend backend = CudaBackend::Gpu,
                                     std::string *log = nullptr);

/// The same to PTX for the `compute_` architecture of `arch`, which a driver
/// older than NVRTC may still load when it refuses the CUBIN (GPU only).
StatusOr<std::string> compileToPtx(const std::string &source,
                                   const std::string &name,
                                   const std::string &arch,
                                   const std::vector<std::string> &options);

} // namespace deconv

#endif // DECONV_RUNTIME_NVRTC_H
