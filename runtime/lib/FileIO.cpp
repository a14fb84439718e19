//===- FileIO.cpp - whole-file reads and atomic writes --------------------===//

#include "deconv/Runtime/FileIO.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace deconv;

StatusOr<std::string> deconv::readFile(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Status::error("cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

Status deconv::writeFileAtomically(const std::string &path,
                                   std::string_view bytes) {
  static std::atomic<unsigned> counter{0};
  auto cannotWrite = [&] {
    return Status::error("cannot write '" + path + "': " +
                         std::strerror(errno));
  };
  std::string temporary = path + ".tmp." + std::to_string(getpid()) + "." +
                          std::to_string(counter++);
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file)
      return cannotWrite();
    file.write(bytes.data(), bytes.size());
    if (!file) {
      Status status = cannotWrite();
      file.close();
      std::remove(temporary.c_str());
      return status;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    Status status = cannotWrite();
    std::remove(temporary.c_str());
    return status;
  }
  return Status::ok();
}
