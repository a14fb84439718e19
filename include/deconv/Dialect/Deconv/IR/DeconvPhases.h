//===- DeconvPhases.h - the stride-phase decomposition ----------*- C++ -*-===//
//
// The gather form both targets compute. For output position o on an axis with
// stride S, dilation L and start crop B, the taps that reach o satisfy
// k*L = o + B - i*S for some input i. Splitting the outputs into their S
// phases p = o mod S fixes the residue r = (p + B) mod S, and with it the
// taps: with g = gcd(S, L), S' = S/g and L' = L/g, taps exist only when g
// divides r, and then they are k = k0 + m*S' (m = 0, 1, ...) with
// k0 = (r/g) * inv(L') mod S', reading input i = q + c0 - m*L' for
// o = p + S*q. Per phase the taps are an arithmetic progression with a fixed
// count, and per output the range of m that stays inside the input is two
// divisions.
//
// The formulas are written once, generic over the arithmetic: IntegerMath
// evaluates them at compile time (strategies, the cost model), the loop-nest
// lowering instantiates them over IR values, and the CUDA planner over size
// expressions. A `Math` provides a `Value` and a `Bool` type and:
//   constant(int64_t), add(V, V), add(V, int64_t), sub(V, V), mul(V, int64_t),
//   floorDiv(V, int64_t), ceilDiv(V, int64_t), rem(V, int64_t) (for V >= 0),
//   max(V, V), min(V, V), lessThan(V, V), equal(V, V), both(Bool, Bool),
//   select(Bool, V, V).
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_DECONVPHASES_H
#define DECONV_DIALECT_DECONV_IR_DECONVPHASES_H

#include "deconv/Dialect/Deconv/IR/DeconvShape.h"

#include <algorithm>
#include <cstdint>

namespace mlir::deconv {

class GroupedDeconvOp;

/// Compile-time facts of one spatial axis of a canonical op.
struct PhaseAxis {
  int64_t stride = 1, dilation = 1, kernel = 1;
  int64_t preCrop = 0;      ///< B.
  int64_t outputOffset = 0; ///< R in O = (I-1)*S + R.
  int64_t gcd = 1;          ///< g = gcd(S, L).
  int64_t phaseStride = 1;  ///< S' = S/g: step between the taps of a phase.
  int64_t inputStep = 1;    ///< L' = L/g: input step between its taps.
  int64_t inverse = 0;      ///< inv(L') mod S' (0 when S' = 1).
};

/// The axis of stride S, dilation L and kernel K whose geometry the shape
/// helper resolved.
PhaseAxis getPhaseAxis(int64_t stride, int64_t dilation, int64_t kernel,
                       const AxisGeometry &geometry);

/// Every spatial axis of a verified canonical op.
llvm::SmallVector<PhaseAxis> getPhaseAxes(GroupedDeconvOp op);

/// Exact integer arithmetic, for values known at compile time.
struct IntegerMath {
  using Value = int64_t;
  using Bool = bool;
  static int64_t constant(int64_t value) { return value; }
  static int64_t add(int64_t x, int64_t y) { return x + y; }
  static int64_t sub(int64_t x, int64_t y) { return x - y; }
  static int64_t mul(int64_t x, int64_t y) { return x * y; }
  static int64_t floorDiv(int64_t x, int64_t y) {
    int64_t q = x / y;
    return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
  }
  static int64_t ceilDiv(int64_t x, int64_t y) {
    int64_t q = x / y;
    return (x % y != 0 && ((x < 0) == (y < 0))) ? q + 1 : q;
  }
  static int64_t rem(int64_t x, int64_t y) { return x % y; }
  static int64_t max(int64_t x, int64_t y) { return std::max(x, y); }
  static int64_t min(int64_t x, int64_t y) { return std::min(x, y); }
  static bool lessThan(int64_t x, int64_t y) { return x < y; }
  static bool equal(int64_t x, int64_t y) { return x == y; }
  static bool both(bool x, bool y) { return x && y; }
  static int64_t select(bool c, int64_t x, int64_t y) { return c ? x : y; }
};

/// The output size for input size I: O = (I-1)*S + R.
template <typename Math>
typename Math::Value computeOutputSize(Math &math, const PhaseAxis &axis,
                                       typename Math::Value inputSize) {
  return math.add(math.mul(math.add(inputSize, -1), axis.stride),
                  axis.outputOffset);
}

/// The per-phase values of one axis.
template <typename V> struct Phase {
  V phase;      ///< p: outputs o = p + S*q.
  V firstTap;   ///< k0.
  V tapCount;   ///< M: taps of the phase (0 when none reach it).
  V inputShift; ///< c0: input index of tap k0 at q = 0.
  V outputs;    ///< Q: positions of the phase in an output of outputSize.
};

template <typename Math>
Phase<typename Math::Value> computePhase(Math &math, const PhaseAxis &axis,
                                         typename Math::Value phase,
                                         typename Math::Value outputSize) {
  using V = typename Math::Value;
  Phase<V> values;
  values.phase = phase;
  // r = (p + B) mod S with a non-negative left side.
  int64_t preModStride =
      ((axis.preCrop % axis.stride) + axis.stride) % axis.stride;
  V residue = math.rem(math.add(phase, preModStride), axis.stride);
  // k0 = (r/g * inv) mod S'; with g = 1 and inv = 1 that is r itself (< S).
  V firstTap =
      axis.gcd == 1 && axis.inverse == 1
          ? residue
          : math.rem(math.mul(math.floorDiv(residue, axis.gcd), axis.inverse),
                     axis.phaseStride);
  // M = (K - 1 - k0) / S' + 1 when g divides r and k0 < K, else 0.
  V count =
      math.add(math.floorDiv(math.sub(math.constant(axis.kernel - 1), firstTap),
                             axis.phaseStride),
               1);
  V zero = math.constant(0);
  auto reachable = math.lessThan(firstTap, math.constant(axis.kernel));
  if (axis.gcd != 1)
    reachable =
        math.both(reachable, math.equal(math.rem(residue, axis.gcd), zero));
  values.tapCount = math.select(reachable, count, zero);
  values.firstTap = firstTap;
  // c0 = (p + B - k0*L) / S, exact where taps exist.
  values.inputShift = math.floorDiv(math.sub(math.add(phase, axis.preCrop),
                                             math.mul(firstTap, axis.dilation)),
                                    axis.stride);
  values.outputs = math.ceilDiv(math.sub(outputSize, phase), axis.stride);
  return values;
}

/// For position q of a phase: the input index of tap m = 0 (q + c0) and the
/// taps m in [lo, hi) that keep 0 <= q + c0 - m*L' < I.
template <typename V> struct TapRange { V start, lo, hi; };

template <typename Math>
TapRange<typename Math::Value>
computeTapRange(Math &math, const PhaseAxis &axis,
                const Phase<typename Math::Value> &phase,
                typename Math::Value q, typename Math::Value inputSize) {
  TapRange<typename Math::Value> range;
  range.start = math.add(q, phase.inputShift);
  range.lo =
      math.max(math.constant(0),
               math.ceilDiv(math.add(math.sub(range.start, inputSize), 1),
                            axis.inputStep));
  range.hi = math.min(phase.tapCount,
                      math.add(math.floorDiv(range.start, axis.inputStep), 1));
  return range;
}

/// Input index along the axis of tap m of the range, and the weight index.
template <typename Math>
std::pair<typename Math::Value, typename Math::Value>
computeTapIndices(Math &math, const PhaseAxis &axis,
                  const Phase<typename Math::Value> &phase,
                  typename Math::Value start, typename Math::Value m) {
  return {math.sub(start, math.mul(m, axis.inputStep)),
          math.add(phase.firstTap, math.mul(m, axis.phaseStride))};
}

} // namespace mlir::deconv

#endif // DECONV_DIALECT_DECONV_IR_DECONVPHASES_H
