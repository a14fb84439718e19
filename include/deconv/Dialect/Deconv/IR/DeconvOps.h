//===- DeconvOps.h - deconv dialect operations ------------------*- C++ -*-===//
//
// Operation classes of the deconv dialect.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_DECONVOPS_H
#define DECONV_DIALECT_DECONV_IR_DECONVOPS_H

#include "deconv/Dialect/Deconv/IR/DeconvDialect.h"
#include "deconv/Dialect/Deconv/IR/DeconvShape.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/Support/Error.h"

#include "deconv/Dialect/Deconv/IR/DeconvInterfaces.h.inc"

#define GET_OP_CLASSES
#include "deconv/Dialect/Deconv/IR/DeconvOps.h.inc"

#endif // DECONV_DIALECT_DECONV_IR_DECONVOPS_H
