//===- Nvrtc.cpp - NVRTC loaded at run time -------------------------------===//
//
// The few NVRTC entry points we use, declared here with NVRTC's C ABI
// (nvrtcProgram is an opaque pointer, nvrtcResult an int) so the runtime
// needs neither CUDA headers nor a link-time dependency.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Nvrtc.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

using namespace deconv;

namespace {

using Program = void *;
using CreateProgramFn = int (*)(Program *, const char *, const char *, int,
                                const char *const *, const char *const *);
using CompileProgramFn = int (*)(Program, int, const char *const *);
using GetSizeFn = int (*)(Program, size_t *);
using GetBytesFn = int (*)(Program, char *);
using DestroyProgramFn = int (*)(Program *);
using GetErrorStringFn = const char *(*)(int);
using VersionFn = int (*)(int *, int *);

struct NvrtcLibrary {
  std::string error; ///< Why it did not load; empty when it did.
  CreateProgramFn createProgram = nullptr;
  CompileProgramFn compileProgram = nullptr;
  GetSizeFn getCubinSize = nullptr;
  GetBytesFn getCubin = nullptr;
  GetSizeFn getLogSize = nullptr;
  GetBytesFn getLog = nullptr;
  DestroyProgramFn destroyProgram = nullptr;
  GetErrorStringFn getErrorString = nullptr;
  VersionFn version = nullptr;
};

const NvrtcLibrary &library() {
  static NvrtcLibrary nvrtc;
  static std::once_flag once;
  std::call_once(once, [] {
    void *handle = nullptr;
    const char *names[] = {"libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so",
                           "/usr/local/cuda/lib64/libnvrtc.so"};
    for (const char *name : names)
      if ((handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)))
        break;
    if (!handle) {
      nvrtc.error = "NVRTC is not available (libnvrtc.so not found)";
      return;
    }
    auto load = [&](auto &function, const char *symbol) {
      function = reinterpret_cast<std::decay_t<decltype(function)>>(
          dlsym(handle, symbol));
      if (!function && nvrtc.error.empty())
        nvrtc.error = std::string("NVRTC lacks ") + symbol;
    };
    load(nvrtc.createProgram, "nvrtcCreateProgram");
    load(nvrtc.compileProgram, "nvrtcCompileProgram");
    load(nvrtc.getCubinSize, "nvrtcGetCUBINSize");
    load(nvrtc.getCubin, "nvrtcGetCUBIN");
    load(nvrtc.getLogSize, "nvrtcGetProgramLogSize");
    load(nvrtc.getLog, "nvrtcGetProgramLog");
    load(nvrtc.destroyProgram, "nvrtcDestroyProgram");
    load(nvrtc.getErrorString, "nvrtcGetErrorString");
    load(nvrtc.version, "nvrtcVersion");
  });
  return nvrtc;
}

} // namespace

bool deconv::isNvrtcAvailable() { return library().error.empty(); }

StatusOr<int> deconv::getNvrtcVersion() {
  const NvrtcLibrary &nvrtc = library();
  if (!nvrtc.error.empty())
    return Status::error(nvrtc.error);
  int major = 0, minor = 0;
  if (nvrtc.version(&major, &minor) != 0)
    return Status::error("nvrtcVersion failed");
  return major * 1000 + minor * 10;
}

StatusOr<std::string>
deconv::compileToCubin(const std::string &source, const std::string &name,
                       const std::string &arch,
                       const std::vector<std::string> &options) {
  const NvrtcLibrary &nvrtc = library();
  if (!nvrtc.error.empty())
    return Status::error(nvrtc.error);
  Program program = nullptr;
  int result = nvrtc.createProgram(&program, source.c_str(), name.c_str(), 0,
                                   nullptr, nullptr);
  if (result != 0)
    return Status::error(std::string("NVRTC could not create a program: ") +
                         nvrtc.getErrorString(result));
  std::vector<std::string> all = {"--gpu-architecture=" + arch, "--std=c++17"};
  all.insert(all.end(), options.begin(), options.end());
  std::vector<const char *> pointers;
  for (const std::string &option : all)
    pointers.push_back(option.c_str());
  result = nvrtc.compileProgram(program, static_cast<int>(pointers.size()),
                                pointers.data());
  if (result != 0) {
    size_t size = 0;
    std::string log;
    if (nvrtc.getLogSize(program, &size) == 0 && size > 1) {
      log.resize(size);
      nvrtc.getLog(program, log.data());
      log.resize(size - 1);
    }
    nvrtc.destroyProgram(&program);
    return Status::error("NVRTC failed to compile " + name + " for " + arch +
                         ": " + nvrtc.getErrorString(result) +
                         (log.empty() ? "" : "\n" + log));
  }
  size_t size = 0;
  std::string cubin;
  if (nvrtc.getCubinSize(program, &size) == 0) {
    cubin.resize(size);
    nvrtc.getCubin(program, cubin.data());
  }
  nvrtc.destroyProgram(&program);
  if (cubin.empty())
    return Status::error("NVRTC produced no CUBIN for " + name + " (" + arch +
                         ")");
  return cubin;
}
