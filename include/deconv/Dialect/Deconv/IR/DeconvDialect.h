//===- DeconvDialect.h - deconv dialect -------------------------*- C++ -*-===//
//
// The dialect class, its enums and its enum attributes.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_DECONVDIALECT_H
#define DECONV_DIALECT_DECONV_IR_DECONVDIALECT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Dialect.h"

#include "deconv/Dialect/Deconv/IR/DeconvOpsDialect.h.inc"

#include "deconv/Dialect/Deconv/IR/DeconvEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "deconv/Dialect/Deconv/IR/DeconvAttrs.h.inc"

#endif // DECONV_DIALECT_DECONV_IR_DECONVDIALECT_H
