//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Reads and writes NumPy's .npy format (versions 1.0, 2.0 and 3.0): C order,
// little-endian. Element types: '<f4' (f32), '<f2' (f16), '|i1' (int8) and
// 'bfloat16' (bf16 as ml_dtypes writes it); anything else is an error naming
// the type. Every malformation is a one-line error, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_NPY_H
#define DECONV_RUNTIME_NPY_H

#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Status.h"

#include <string>
#include <string_view>

namespace deconv {

/// Parses the bytes of a whole .npy file.
StatusOr<HostTensor> parseNpy(std::string_view contents);
/// Reads a .npy file.
StatusOr<HostTensor> readNpyFile(const std::string &path);

/// The bytes of a version 1.0 .npy file holding `tensor`.
std::string serializeNpy(const HostTensor &tensor);
/// Writes a .npy file (through a temporary file and a rename).
Status writeNpyFile(const std::string &path, const HostTensor &tensor);

/// Parses IREE's inline form `2x3xf32=1 2 3 4 5 6` (values separated by
/// spaces or commas; a single value fills the whole tensor).
StatusOr<HostTensor> parseInlineTensor(std::string_view text);

} // namespace deconv

#endif // DECONV_RUNTIME_NPY_H
