//===- DeconvDialect.cpp - deconv dialect registration ---------------------===//
//
// Registers the ops and enum attributes, and holds the generated definitions
// of the dialect, enums and attributes.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvDialect.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::deconv;

#include "deconv/Dialect/Deconv/IR/DeconvOpsDialect.cpp.inc"

#include "deconv/Dialect/Deconv/IR/DeconvEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "deconv/Dialect/Deconv/IR/DeconvAttrs.cpp.inc"

void DeconvDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "deconv/Dialect/Deconv/IR/DeconvOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "deconv/Dialect/Deconv/IR/DeconvAttrs.cpp.inc"
      >();
}
