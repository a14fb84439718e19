//===- LoweringSupport.h - what the grouped_deconv lowerings share -*- C++
//-*-===//
//
// Index arithmetic over IR values that folds constants (the `Math` of
// DeconvPhases.h), the operand buffers, and the result buffer with its
// dynamic sizes: the loop-nest and the vector lowering both start here.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_CONVERSION_LOWERINGSUPPORT_H
#define DECONV_CONVERSION_LOWERINGSUPPORT_H

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::deconv {

class GroupedDeconvOp;

/// Index arithmetic that folds constants, so static sizes stay constants.
class IndexMath {
public:
  using Value = mlir::Value;
  using Bool = mlir::Value;

  IndexMath(OpBuilder &builder, Location loc) : b(builder), loc(loc) {}

  Value constant(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value add(Value x, Value y) {
    return b.createOrFold<arith::AddIOp>(loc, x, y);
  }
  Value add(Value x, int64_t y) { return y == 0 ? x : add(x, constant(y)); }
  Value sub(Value x, Value y) {
    return b.createOrFold<arith::SubIOp>(loc, x, y);
  }
  Value mul(Value x, Value y) {
    return b.createOrFold<arith::MulIOp>(loc, x, y);
  }
  Value mul(Value x, int64_t y) {
    return y == 1 ? x : b.createOrFold<arith::MulIOp>(loc, x, constant(y));
  }
  Value floorDiv(Value x, int64_t y) {
    return y == 1 ? x
                  : b.createOrFold<arith::FloorDivSIOp>(loc, x, constant(y));
  }
  Value ceilDiv(Value x, int64_t y) {
    return y == 1 ? x : b.createOrFold<arith::CeilDivSIOp>(loc, x, constant(y));
  }
  /// x / y and x mod y for x >= 0, y > 0.
  Value div(Value x, Value y) {
    return b.createOrFold<arith::DivUIOp>(loc, x, y);
  }
  Value rem(Value x, Value y) {
    return b.createOrFold<arith::RemUIOp>(loc, x, y);
  }
  Value rem(Value x, int64_t y) {
    return y == 1 ? constant(0) : rem(x, constant(y));
  }
  Value max(Value x, Value y) {
    return b.createOrFold<arith::MaxSIOp>(loc, x, y);
  }
  Value min(Value x, Value y) {
    return b.createOrFold<arith::MinSIOp>(loc, x, y);
  }
  Value lessThan(Value x, Value y) {
    return b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, y);
  }
  Value equal(Value x, Value y) {
    return b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, x, y);
  }
  Value both(Value x, Value y) {
    return b.createOrFold<arith::AndIOp>(loc, x, y);
  }
  Value select(Value condition, Value x, Value y) {
    return b.createOrFold<arith::SelectOp>(loc, condition, x, y);
  }

  /// The size of `memref`'s dimension `dim`, a constant when static.
  Value dim(Value memref, int64_t dim) {
    int64_t size = cast<MemRefType>(memref.getType()).getDimSize(dim);
    if (!ShapedType::isDynamic(size))
      return constant(size);
    return memref::DimOp::create(b, loc, memref, dim);
  }

private:
  OpBuilder &b;
  Location loc;
};

/// The body of nested loops: the induction variables (outermost first) and
/// the carried values; returns the values to carry on.
using NestedLoopBody = llvm::function_ref<SmallVector<Value>(
    OpBuilder &, Location, ValueRange ivs, ValueRange carried)>;

/// Nested scf.for loops over [lower[i], upper[i]) with step 1, carrying
/// `carried`; returns the carried values after them.
SmallVector<Value> buildNestedLoops(OpBuilder &builder, Location loc,
                                    ArrayRef<Value> lower,
                                    ArrayRef<Value> upper, ValueRange carried,
                                    NestedLoopBody body);
/// The same from 0.
SmallVector<Value> buildNestedLoops(OpBuilder &builder, Location loc,
                                    ArrayRef<Value> upper, ValueRange carried,
                                    NestedLoopBody body);

/// scf.parallel over [0, upper[i]) with step 1; `body` gets the induction
/// variables.
void buildParallelLoop(
    OpBuilder &builder, Location loc, ArrayRef<Value> upper,
    llvm::function_ref<void(OpBuilder &, Location, ValueRange)> body);

/// The body of a loop over the outputs of one phase: n, g, co and the
/// phase's values on each axis.
using PhaseLoopBody =
    llvm::function_ref<void(OpBuilder &, Location, Value n, Value g, Value co,
                            ArrayRef<Phase<Value>> phases)>;

/// scf.parallel over (n, g, co, phase of each axis) of `result`, a buffer
/// (N, G, Cout/G, O...): the loops of a gather over whole phases.
void buildPhaseParallelLoop(OpBuilder &builder, Location loc, Value result,
                            ArrayRef<PhaseAxis> axes, PhaseLoopBody body);

/// The buffer a lowering reads `tensor` through (null for a null tensor).
Value getReadBuffer(OpBuilder &builder, Location loc, Value tensor);

/// A fresh 64-byte aligned buffer for `op`'s result, its dynamic sizes (the
/// batch, and O = (I-1)*S + R per axis) taken from `input`, `op`'s input
/// buffer.
Value allocateResult(OpBuilder &builder, Location loc, GroupedDeconvOp op,
                     ArrayRef<PhaseAxis> axes, Value input);

/// Replaces `op` with the tensor of `result`, the buffer the lowering wrote.
void replaceWithResult(RewriterBase &rewriter, GroupedDeconvOp op,
                       Value result);

} // namespace mlir::deconv

#endif // DECONV_CONVERSION_LOWERINGSUPPORT_H
