//===- Nvrtc.cpp - NVRTC loaded at run time -------------------------------===//
//
// The few NVRTC entry points we use, declared here with NVRTC's C ABI
// (nvrtcProgram is an opaque pointer, nvrtcResult an int) so the runtime
// needs neither CUDA headers nor a link-time dependency.
//
// NVRTC loads its builtins library (libnvrtc-builtins.so.MAJOR.MINOR) by
// name at compile time, which fails where CUDA's library folder is not
// registered with the loader (a toolkit from a tarball, a runfile or pip).
// We load it first from NVRTC's own folder, so the name is already known.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Nvrtc.h"

#include "Emulator/Emulator.h"

#include "deconv/Runtime/DeviceHeaders.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
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
  GetSizeFn getPtxSize = nullptr;
  GetBytesFn getPtx = nullptr;
  GetSizeFn getLogSize = nullptr;
  GetBytesFn getLog = nullptr;
  DestroyProgramFn destroyProgram = nullptr;
  GetErrorStringFn getErrorString = nullptr;
  VersionFn version = nullptr;
};

void fill(NvrtcLibrary &nvrtc,
          const std::function<void *(const char *)> &lookup, bool needPtx) {
  auto load = [&](auto &function, const char *symbol) {
    function =
        reinterpret_cast<std::decay_t<decltype(function)>>(lookup(symbol));
    if (!function && nvrtc.error.empty())
      nvrtc.error = std::string("NVRTC lacks ") + symbol;
  };
  load(nvrtc.createProgram, "nvrtcCreateProgram");
  load(nvrtc.compileProgram, "nvrtcCompileProgram");
  load(nvrtc.getCubinSize, "nvrtcGetCUBINSize");
  load(nvrtc.getCubin, "nvrtcGetCUBIN");
  if (needPtx) {
    load(nvrtc.getPtxSize, "nvrtcGetPTXSize");
    load(nvrtc.getPtx, "nvrtcGetPTX");
  }
  load(nvrtc.getLogSize, "nvrtcGetProgramLogSize");
  load(nvrtc.getLog, "nvrtcGetProgramLog");
  load(nvrtc.destroyProgram, "nvrtcDestroyProgram");
  load(nvrtc.getErrorString, "nvrtcGetErrorString");
  load(nvrtc.version, "nvrtcVersion");
}

/// Loads libnvrtc-builtins from the folder `nvrtcSymbol` was loaded from.
void preloadBuiltins(void *nvrtcSymbol, int major, int minor) {
  Dl_info info;
  if (!dladdr(nvrtcSymbol, &info) || !info.dli_fname)
    return;
  std::filesystem::path folder =
      std::filesystem::path(info.dli_fname).parent_path();
  std::string name = "libnvrtc-builtins.so." + std::to_string(major) + "." +
                     std::to_string(minor);
  for (const std::filesystem::path &candidate :
       {folder / name, folder / "libnvrtc-builtins.so"})
    if (dlopen(candidate.c_str(), RTLD_NOW | RTLD_GLOBAL))
      return;
}

void loadGpuNvrtc(NvrtcLibrary &nvrtc) {
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
  fill(
      nvrtc, [&](const char *symbol) { return dlsym(handle, symbol); },
      /*needPtx=*/true);
  int major = 0, minor = 0;
  if (nvrtc.error.empty() && nvrtc.version(&major, &minor) == 0)
    preloadBuiltins(reinterpret_cast<void *>(nvrtc.version), major, minor);
}

const NvrtcLibrary &library(CudaBackend backend) {
  static NvrtcLibrary libraries[2];
  static std::once_flag once[2];
  int index = backend == CudaBackend::Gpu ? 0 : 1;
  std::call_once(once[index], [&] {
    if (backend == CudaBackend::Gpu)
      loadGpuNvrtc(libraries[index]);
    else
      fill(libraries[index], emulator::lookupNvrtcSymbol, /*needPtx=*/false);
  });
  return libraries[index];
}

enum class Output { Cubin, Ptx };

/// NVRTC's log of `program`.
std::string programLog(const NvrtcLibrary &nvrtc, Program program) {
  size_t size = 0;
  std::string log;
  if (nvrtc.getLogSize(program, &size) == 0 && size > 1) {
    log.resize(size);
    nvrtc.getLog(program, log.data());
    log.resize(size - 1);
  }
  return log;
}

StatusOr<std::string> compile(const std::string &source,
                              const std::string &name, const std::string &arch,
                              const std::vector<std::string> &options,
                              CudaBackend backend, Output output,
                              std::string *log = nullptr) {
  const NvrtcLibrary &nvrtc = library(backend);
  if (!nvrtc.error.empty())
    return Status::error(nvrtc.error);
  std::vector<const char *> headers, includeNames;
  for (const DeviceHeader &header : getDeviceHeaders(backend)) {
    headers.push_back(header.text);
    includeNames.push_back(header.name);
  }
  Program program = nullptr;
  int result = nvrtc.createProgram(&program, source.c_str(), name.c_str(),
                                   static_cast<int>(headers.size()),
                                   headers.data(), includeNames.data());
  if (result != 0)
    return Status::error(std::string("NVRTC could not create a program: ") +
                         nvrtc.getErrorString(result));
  std::string target = arch;
  if (output == Output::Ptx && target.rfind("sm_", 0) == 0)
    target = "compute_" + target.substr(3);
  std::vector<std::string> all = {"--gpu-architecture=" + target,
                                  "--std=c++17"};
  all.insert(all.end(), options.begin(), options.end());
  std::vector<const char *> pointers;
  for (const std::string &option : all)
    pointers.push_back(option.c_str());
  result = nvrtc.compileProgram(program, static_cast<int>(pointers.size()),
                                pointers.data());
  if (result != 0) {
    std::string log = programLog(nvrtc, program);
    nvrtc.destroyProgram(&program);
    return Status::errorWithDetails(
        std::string(backend == CudaBackend::Gpu ? "NVRTC"
                                                : "the emulator's compiler") +
            " failed to compile " + name + " for " + arch + ": " +
            nvrtc.getErrorString(result),
        log);
  }
  if (log)
    *log = programLog(nvrtc, program);
  size_t size = 0;
  std::string image;
  GetSizeFn getSize =
      output == Output::Cubin ? nvrtc.getCubinSize : nvrtc.getPtxSize;
  GetBytesFn getBytes = output == Output::Cubin ? nvrtc.getCubin : nvrtc.getPtx;
  if (getSize(program, &size) == 0) {
    image.resize(size);
    getBytes(program, image.data());
  }
  nvrtc.destroyProgram(&program);
  if (image.empty())
    return Status::error(
        "NVRTC produced no " +
        std::string(output == Output::Cubin ? "CUBIN" : "PTX") + " for " +
        name + " (" + arch + ")");
  return image;
}

} // namespace

bool deconv::isNvrtcAvailable(CudaBackend backend) {
  return library(backend).error.empty();
}

StatusOr<int> deconv::getNvrtcVersion(CudaBackend backend) {
  const NvrtcLibrary &nvrtc = library(backend);
  if (!nvrtc.error.empty())
    return Status::error(nvrtc.error);
  int major = 0, minor = 0;
  if (nvrtc.version(&major, &minor) != 0)
    return Status::error("nvrtcVersion failed");
  return major * 1000 + minor * 10;
}

StatusOr<std::string> deconv::getCompilerIdentity(CudaBackend backend) {
  if (backend == CudaBackend::Emulator)
    return "emulator " + emulator::getCompilerIdentity();
  StatusOr<int> version = getNvrtcVersion(backend);
  if (!version)
    return version.status();
  return "nvrtc " + std::to_string(*version);
}

StatusOr<std::string>
deconv::compileToCubin(const std::string &source, const std::string &name,
                       const std::string &arch,
                       const std::vector<std::string> &options,
                       CudaBackend backend, std::string *log) {
  return compile(source, name, arch, options, backend, Output::Cubin, log);
}

StatusOr<std::string>
deconv::compileToPtx(const std::string &source, const std::string &name,
                     const std::string &arch,
                     const std::vector<std::string> &options) {
  return compile(source, name, arch, options, CudaBackend::Gpu, Output::Ptx);
}
