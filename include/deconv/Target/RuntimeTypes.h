//===- RuntimeTypes.h - MLIR element types as the runtime's -----*- C++ -*-===//
//
// The one mapping from MLIR element types to the runtime's, for the targets
// and the tools.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_RUNTIMETYPES_H
#define DECONV_TARGET_RUNTIMETYPES_H

#include "deconv/Runtime/HostTensor.h"

#include "mlir/IR/Types.h"

#include <optional>

namespace mlir::deconv {

/// The runtime's element type for `type`, if the runtime has one.
inline std::optional<::deconv::ElementType> toRuntimeElementType(Type type) {
  if (type.isF32())
    return ::deconv::ElementType::F32;
  if (type.isF16())
    return ::deconv::ElementType::F16;
  if (type.isBF16())
    return ::deconv::ElementType::BF16;
  if (type.isInteger(8))
    return ::deconv::ElementType::I8;
  return std::nullopt;
}

} // namespace mlir::deconv

#endif // DECONV_TARGET_RUNTIMETYPES_H
