//===- KernelCache.cpp - compiled kernels, in memory and on disk ----------===//
//
// A disk entry is a small header (magic, key, size, SHA-256 of the CUBIN)
// followed by the CUBIN; anything that does not check out is a miss.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/KernelCache.h"

#include "deconv/Runtime/DeviceHeaders.h"
#include "deconv/Runtime/FileIO.h"
#include "deconv/Runtime/Nvrtc.h"
#include "deconv/Runtime/Sha256.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace deconv;

namespace {

constexpr std::string_view kMagic = "DECONV-CUBIN-1\n";

std::string environment(const char *name) {
  const char *value = std::getenv(name);
  return value ? value : "";
}

} // namespace

std::string deconv::getDefaultKernelCacheDirectory() {
  if (environment("DECONV_KERNEL_CACHE") == "0")
    return "";
  if (std::string directory = environment("DECONV_KERNEL_CACHE_DIR");
      !directory.empty())
    return directory;
  if (std::string cache = environment("XDG_CACHE_HOME"); !cache.empty())
    return cache + "/deconv/kernels";
  if (std::string home = environment("HOME"); !home.empty())
    return home + "/.cache/deconv/kernels";
  return "";
}

KernelCache::KernelCache(std::string directory)
    : directory(std::move(directory)),
      dumpDirectory(environment("DECONV_DUMP_KERNELS")) {}

KernelCache &KernelCache::global() {
  static KernelCache cache(getDefaultKernelCacheDirectory());
  return cache;
}

StatusOr<std::string> KernelCache::key(const std::string &source,
                                       const std::string &arch,
                                       const std::vector<std::string> &options,
                                       CudaBackend backend) {
  StatusOr<std::string> compiler = getCompilerIdentity(backend);
  if (!compiler)
    return compiler.status();
  std::string material = std::string(kCodegenVersion) + '\0' +
                         getCudaBackendName(backend) + '\0' + *compiler + '\0' +
                         arch + '\0';
  for (const std::string &option : options)
    material += option + '\0';
  for (const DeviceHeader &header : getDeviceHeaders(backend))
    material += std::string(header.name) + '\0' + header.text + '\0';
  material += '\0' + source;
  return sha256Hex(material);
}

std::string KernelCache::readDisk(const std::string &key) {
  if (directory.empty())
    return "";
  StatusOr<std::string> contents = readFile(directory + "/" + key + ".cubin");
  if (!contents)
    return "";
  const std::string &entry = *contents;
  // magic, key, '\n', size, '\n', sha256, '\n', cubin
  if (entry.compare(0, kMagic.size(), kMagic) != 0)
    return "";
  size_t pos = kMagic.size();
  if (entry.compare(pos, key.size(), key) != 0 || entry.size() < pos + 65)
    return "";
  pos += key.size() + 1;
  size_t newline = entry.find('\n', pos);
  if (newline == std::string::npos || newline - pos > 12)
    return "";
  size_t size =
      std::strtoull(entry.substr(pos, newline - pos).c_str(), nullptr, 10);
  pos = newline + 1;
  if (entry.size() < pos + 65)
    return "";
  std::string digest = entry.substr(pos, 64);
  pos += 65;
  if (entry.size() - pos != size)
    return "";
  std::string cubin = entry.substr(pos);
  if (sha256Hex(cubin) != digest)
    return "";
  return cubin;
}

void KernelCache::writeDisk(const std::string &key, const std::string &cubin) {
  if (directory.empty())
    return;
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error)
    return; // The cache is an optimization: a read-only disk is no error.
  std::ostringstream entry;
  entry << kMagic << key << '\n'
        << cubin.size() << '\n'
        << sha256Hex(cubin) << '\n'
        << cubin;
  // A failed write only costs a recompile later.
  (void)writeFileAtomically(directory + "/" + key + ".cubin", entry.str());
}

StatusOr<std::string>
KernelCache::getOrCompile(const std::string &source, const std::string &name,
                          const std::string &arch,
                          const std::vector<std::string> &options,
                          CudaBackend backend, KernelSource *origin) {
  StatusOr<std::string> cacheKey = key(source, arch, options, backend);
  if (!cacheKey)
    return cacheKey.status();
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto found = memory.find(*cacheKey);
    if (found != memory.end()) {
      if (origin)
        *origin = KernelSource::Memory;
      return found->second;
    }
  }
  std::string cubin = readDisk(*cacheKey);
  KernelSource from = KernelSource::Disk;
  if (cubin.empty()) {
    if (!dumpDirectory.empty()) {
      std::error_code error;
      std::filesystem::create_directories(dumpDirectory, error);
      std::ofstream(dumpDirectory + "/" + name + "-" + cacheKey->substr(0, 16) +
                    ".cu")
          << source;
    }
    StatusOr<std::string> compiled =
        compileToCubin(source, name, arch, options, backend);
    if (!compiled)
      return compiled.status();
    cubin = std::move(*compiled);
    writeDisk(*cacheKey, cubin);
    from = KernelSource::Compiled;
  }
  std::lock_guard<std::mutex> lock(mutex);
  memory.emplace(*cacheKey, cubin);
  if (origin)
    *origin = from;
  return cubin;
}
