//===- FileIO.h - whole-file reads and atomic writes ------------*- C++ -*-===//
//
// The runtime's files (.npy, plans, cached CUBINs) are read whole and written
// atomically: a temporary file named after the process, then a rename, so a
// reader never sees half a file and concurrent writers never share one.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_FILEIO_H
#define DECONV_RUNTIME_FILEIO_H

#include "deconv/Runtime/Status.h"

#include <string>
#include <string_view>

namespace deconv {

/// The bytes of `path`, or "cannot open '<path>': <reason>".
StatusOr<std::string> readFile(const std::string &path);

/// Replaces `path` with `bytes`, or "cannot write '<path>': <reason>".
Status writeFileAtomically(const std::string &path, std::string_view bytes);

} // namespace deconv

#endif // DECONV_RUNTIME_FILEIO_H
