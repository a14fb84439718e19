//===- Emulator.h - the host emulator's entry points ------------*- C++ -*-===//
//
// The emulator implements the CUDA driver's and NVRTC's C entry points that
// the runtime uses (DriverApi.h, Nvrtc.cpp), so the runtime fills its
// function tables from here instead of from libcuda and libnvrtc and runs
// unchanged. See docs/Emulator.md for what it models and checks.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_LIB_EMULATOR_EMULATOR_H
#define DECONV_RUNTIME_LIB_EMULATOR_EMULATOR_H

#include <cstdint>
#include <string>

namespace deconv::emulator {

/// The emulated driver's entry point named `symbol` ("cuMemAlloc", ...).
void *lookupDriverSymbol(const char *symbol);

/// The emulated NVRTC's entry point named `symbol` ("nvrtcCompileProgram").
void *lookupNvrtcSymbol(const char *symbol);

/// What identifies the emulator's compiler (the host C++ compiler's version
/// line and our flags), for kernel cache keys.
std::string getCompilerIdentity();

/// Kernels the emulator's compiler built in this process.
uint64_t getEmulatorCompileCount();

} // namespace deconv::emulator

#endif // DECONV_RUNTIME_LIB_EMULATOR_EMULATOR_H
