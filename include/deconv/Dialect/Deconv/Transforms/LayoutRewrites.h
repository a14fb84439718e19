//===- LayoutRewrites.h - transposes and reshapes of tensors ----*- C++ -*-===//
//
// The tensor rearrangements the front half inserts around deconvolutions.
// Each folds a constant operand at compile time (dense or dense_resource
// values) and otherwise builds the runtime op, so weights known at compile
// time never cost a transpose at run time.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_TRANSFORMS_LAYOUTREWRITES_H
#define DECONV_DIALECT_DECONV_TRANSFORMS_LAYOUTREWRITES_H

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Builders.h"

#include <optional>
#include <vector>

namespace mlir::deconv {

class DequantizeOp;

/// Result dimension i is `value`'s dimension permutation[i]. Builds a
/// `linalg.transpose` unless `value` is a foldable constant.
Value transposeTensor(OpBuilder &builder, Location loc, Value value,
                      ArrayRef<int64_t> permutation);

/// Splits dimensions of `value` into `resultShape` (kDynamic where `value`'s
/// dimension is). Builds a `tensor.expand_shape` unless `value` is constant.
Value expandTensor(OpBuilder &builder, Location loc, Value value,
                   ArrayRef<int64_t> resultShape,
                   ArrayRef<ReassociationIndices> reassociation);

/// Merges dimensions of `value`. Builds a `tensor.collapse_shape` unless
/// `value` is constant.
Value collapseTensor(OpBuilder &builder, Location loc, Value value,
                     ArrayRef<ReassociationIndices> reassociation);

/// The reassociation that splits dimension `split` of a rank `rank` tensor
/// in two and keeps the others (the group axis: (N, C, ...) <->
/// (N, G, C/G, ...)).
SmallVector<ReassociationIndices> splitDimension(int64_t rank, int64_t split);

/// The permutation that moves the last dimension to position 1:
/// (N, spatial..., C) -> (N, C, spatial...).
SmallVector<int64_t> lastToSecondPermutation(int64_t rank);
/// Its inverse: (N, C, spatial...) -> (N, spatial..., C).
SmallVector<int64_t> secondToLastPermutation(int64_t rank);

/// The values of `value`, row-major and converted to f32, when it is a
/// constant of f32, f16 or bf16 whose values can be read (dense, or a
/// dense_resource with its blob); else nothing.
std::optional<std::vector<float>> getConstantFloats(Value value);

/// The same for a constant of i8 or ui8, as the integers they stand for.
std::optional<std::vector<int32_t>> getConstantIntegers(Value value);

/// Fails with one error on `constant` when it is a dense_resource without
/// data or whose blob is not exactly its type's bytes; succeeds otherwise.
LogicalResult checkResourceBlob(Operation *constant);

/// A constant holding `op`'s result when its input is a constant whose values
/// can be read (dense or a dense_resource with its blob), computed exactly
/// as the lowering computes a dequantization; null otherwise.
Value foldDequantizeOfConstant(OpBuilder &builder, DequantizeOp op);

/// Erases `value`'s defining constant if nothing uses it any more.
void eraseIfDeadConstant(Value value);

} // namespace mlir::deconv

#endif // DECONV_DIALECT_DECONV_TRANSFORMS_LAYOUTREWRITES_H
