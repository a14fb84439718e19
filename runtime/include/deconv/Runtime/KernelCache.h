//===- KernelCache.h - compiled kernels, in memory and on disk --*- C++ -*-===//
//
// CUBINs (and the emulator's kernel objects) keyed by a content hash of
// everything that changes them: the codegen version, the backend and its
// compiler's identity (NVRTC's version, or the host compiler's), the device
// prelude's text, the source, the options and the architecture (Triton's
// scheme). An in-memory map sits in front of a disk
// directory; disk entries are written atomically (temporary file, then
// rename) and checked on load, so a torn or corrupt entry is recompiled, not
// used. Safe to use from several threads.
//
// Environment:
//   DECONV_KERNEL_CACHE_DIR  the disk directory (default
//                            $XDG_CACHE_HOME/deconv/kernels, else
//                            ~/.cache/deconv/kernels)
//   DECONV_KERNEL_CACHE=0    no disk cache (memory only)
//   DECONV_DUMP_KERNELS=DIR  write every kernel source compiled to DIR
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_KERNELCACHE_H
#define DECONV_RUNTIME_KERNELCACHE_H

#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/Status.h"

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace deconv {

/// Bumped whenever generated code changes meaning, so old entries miss.
inline constexpr const char *kCodegenVersion = "deconv-codegen-3";

/// The disk cache's directory the environment names (see above); empty
/// when the disk cache is off.
std::string getDefaultKernelCacheDirectory();

/// Where a kernel came from, for tests and benchmarks.
enum class KernelSource { Memory, Disk, Compiled };

class KernelCache {
public:
  /// A cache over `directory`; an empty directory means memory only.
  explicit KernelCache(std::string directory);

  /// The process-wide cache configured from the environment.
  static KernelCache &global();

  /// The CUBIN of `source` for `arch`, from memory, disk or the compiler
  /// of `backend`.
  StatusOr<std::string> getOrCompile(const std::string &source,
                                     const std::string &name,
                                     const std::string &arch,
                                     const std::vector<std::string> &options,
                                     CudaBackend backend = CudaBackend::Gpu,
                                     KernelSource *origin = nullptr);

  /// The key of a kernel (hex SHA-256).
  static StatusOr<std::string> key(const std::string &source,
                                   const std::string &arch,
                                   const std::vector<std::string> &options,
                                   CudaBackend backend = CudaBackend::Gpu);

  const std::string &getDirectory() const { return directory; }

private:
  std::string readDisk(const std::string &key);
  void writeDisk(const std::string &key, const std::string &cubin);

  std::string directory;
  std::string dumpDirectory;
  std::mutex mutex;
  std::unordered_map<std::string, std::string> memory;
};

} // namespace deconv

#endif // DECONV_RUNTIME_KERNELCACHE_H
