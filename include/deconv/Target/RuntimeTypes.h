//===- RuntimeTypes.h - MLIR element types as the runtime's -----*- C++ -*-===//
//
// The one mapping between MLIR element types and the runtime's, for the
// targets, the tools and the C++ API.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_RUNTIMETYPES_H
#define DECONV_TARGET_RUNTIMETYPES_H

#include "deconv/Runtime/HostTensor.h"

#include "mlir/IR/Builders.h"
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
  if (type.isSignlessInteger(8))
    return ::deconv::ElementType::I8;
  if (type.isUnsignedInteger(8))
    return ::deconv::ElementType::U8;
  return std::nullopt;
}

/// The MLIR element type of a runtime element type.
inline Type fromRuntimeElementType(::deconv::ElementType type,
                                   MLIRContext *context) {
  Builder builder(context);
  switch (type) {
  case ::deconv::ElementType::F32:
    return builder.getF32Type();
  case ::deconv::ElementType::F16:
    return builder.getF16Type();
  case ::deconv::ElementType::BF16:
    return builder.getBF16Type();
  case ::deconv::ElementType::I8:
    return builder.getI8Type();
  case ::deconv::ElementType::U8:
    return builder.getIntegerType(8, /*isSigned=*/false);
  }
  return Type();
}

} // namespace mlir::deconv

#endif // DECONV_TARGET_RUNTIMETYPES_H
