//===- Nvrtc.h - NVRTC loaded at run time -----------------------*- C++ -*-===//
//
// Compiles CUDA C++ to CUBIN with NVRTC, which is dlopen'ed (never linked),
// so every binary starts on a machine without CUDA and reports it cleanly.
// NVRTC needs no GPU: CUBINs for any architecture compile anywhere.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_NVRTC_H
#define DECONV_RUNTIME_NVRTC_H

#include "deconv/Runtime/Status.h"

#include <string>
#include <vector>

namespace deconv {

/// Whether NVRTC can be loaded here (cached after the first call).
bool isNvrtcAvailable();

/// NVRTC's version as major*1000 + minor*10 (13000 for 13.0), or a status
/// saying why NVRTC is unavailable.
StatusOr<int> getNvrtcVersion();

/// Compiles `source` for `arch` (e.g. "sm_90") to a CUBIN. Options are passed
/// to NVRTC as given (e.g. "-DDECONV_N=8"); no fast math is ever added. A
/// failed compile returns NVRTC's log.
StatusOr<std::string> compileToCubin(const std::string &source,
                                     const std::string &name,
                                     const std::string &arch,
                                     const std::vector<std::string> &options);

} // namespace deconv

#endif // DECONV_RUNTIME_NVRTC_H
