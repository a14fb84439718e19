//===- DeconvShape.h - the one deconvolution shape helper -------*- C++ -*-===//
//
// Every fact about a deconvolution's geometry lives here and nowhere else:
// the output-size formula, the priority rules that turn the frameworks'
// padding conventions into crops, the channel bookkeeping of groups and
// kernel formats, and the range checks on every attribute. The verifier, the
// passes, the C++ API and the reference implementation all call it, so they
// cannot disagree. It works on plain integers (no MLIR attributes) so that
// callers outside the IR can use it too.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_DECONVSHAPE_H
#define DECONV_DIALECT_DECONV_IR_DECONVSHAPE_H

#include "deconv/Dialect/Deconv/IR/DeconvDialect.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace mlir::deconv {

/// A size known only at run time. Equal to ShapedType::kDynamic, so shapes
/// pass between this helper and MLIR types unchanged.
inline constexpr int64_t kDynamicSize = std::numeric_limits<int64_t>::min();

inline bool isDynamicSize(int64_t size) { return size == kDynamicSize; }

/// One spatial axis as the user wrote it, defaults already applied.
struct AxisSpec {
  int64_t inputSize = kDynamicSize; ///< I, or kDynamicSize.
  int64_t kernelSize = 1;           ///< K.
  int64_t stride = 1;               ///< S.
  int64_t dilation = 1;             ///< L.
  int64_t padding = 0;              ///< Symmetric crop (`padding`).
  std::optional<int64_t> prePadding;
  std::optional<int64_t> postPadding;
  int64_t outputPadding = 0;
  std::optional<int64_t> outputShape;
  PaddingMode paddingMode = PaddingMode::ExplicitRoundDown;
};

/// One axis in the canonical form of the IR contract: the result is the full
/// scatter of `fullSize` elements with `preCrop` elements removed at the start
/// and `postCrop` at the end; a negative crop extends with zeros instead.
struct AxisGeometry {
  int64_t fullSize;   ///< F = (I-1)*S + L*(K-1) + 1, or kDynamicSize.
  int64_t preCrop;    ///< B, the canonical `pre_padding`.
  int64_t postCrop;   ///< A - output_padding, the canonical `post_padding`.
  int64_t outputSize; ///< O = F - preCrop - postCrop, or kDynamicSize.
  /// R in O = (I-1)*S + R, known even when I is not: the rule every size
  /// expression of a dynamic output is built from.
  int64_t outputOffset;
};

/// Resolves one axis by the IR contract's priority rules (output_shape, SAME
/// modes, valid, explicit). Fails with a message naming the attribute and the
/// numbers when a value is out of range or the output would be empty.
/// `axisIndex` only labels the messages.
llvm::Expected<AxisGeometry> resolveAxis(const AxisSpec &axis,
                                         unsigned axisIndex);

/// An array attribute by name; absent arrays are skipped by the checks.
using NamedAxisArray =
    std::pair<llvm::StringRef, std::optional<llvm::ArrayRef<int64_t>>>;

/// Checks that every present array holds one entry per spatial axis.
llvm::Error checkAxisArrayLengths(int64_t numSpatialDims,
                                  llvm::ArrayRef<NamedAxisArray> arrays);

/// A whole deconvolution as the user wrote it. Optional arrays that are
/// present must hold one entry per spatial axis.
struct DeconvSpec {
  llvm::ArrayRef<int64_t> inputShape;  ///< In `dataFormat` order.
  llvm::ArrayRef<int64_t> weightShape; ///< In `kernelFormat` order.
  DataFormat dataFormat = DataFormat::ChannelsFirst;
  KernelFormat kernelFormat = KernelFormat::CinCoutK;
  int64_t groups = 1;
  std::optional<int64_t> numOutputMaps;
  std::optional<llvm::ArrayRef<int64_t>> kernelSize;
  std::optional<llvm::ArrayRef<int64_t>> stride;
  std::optional<llvm::ArrayRef<int64_t>> dilation;
  std::optional<llvm::ArrayRef<int64_t>> padding;
  std::optional<llvm::ArrayRef<int64_t>> prePadding;
  std::optional<llvm::ArrayRef<int64_t>> postPadding;
  std::optional<llvm::ArrayRef<int64_t>> outputPadding;
  std::optional<llvm::ArrayRef<int64_t>> outputShape;
  PaddingMode paddingMode = PaddingMode::ExplicitRoundDown;
};

/// Everything derived from a DeconvSpec.
struct DeconvGeometry {
  int64_t batchSize;                      ///< N, or kDynamicSize.
  int64_t inChannels;                     ///< Cin.
  int64_t outChannels;                    ///< Cout.
  int64_t groups;                         ///< G.
  llvm::SmallVector<int64_t> inputSizes;  ///< I per spatial axis.
  llvm::SmallVector<int64_t> kernelSizes; ///< K per spatial axis.
  llvm::SmallVector<int64_t> strides;     ///< S per spatial axis.
  llvm::SmallVector<int64_t> dilations;   ///< L per spatial axis.
  llvm::SmallVector<AxisGeometry> axes;
  llvm::SmallVector<int64_t> resultShape; ///< In the spec's data format.

  int64_t getNumSpatialDims() const { return axes.size(); }
};

/// Checks a whole deconvolution and derives its geometry. Fails with one
/// message naming the attribute (or operand) and the numbers involved.
llvm::Expected<DeconvGeometry> resolveDeconv(const DeconvSpec &spec);

/// Multiply-adds that touch a real input and a real tap (no structurally zero
/// tap, nothing outside the crop): N * Cout * Cin/G * prod over axes of the
/// (i, k) pairs with 0 <= i*S + k*L - B < O. Needs static sizes.
int64_t countUsefulMacs(const DeconvGeometry &geometry);

/// Position of the channel axis in an input or result of rank `rank`.
int64_t getChannelDim(DataFormat format, int64_t rank);
/// Position of spatial axis `axis` in an input or result.
int64_t getSpatialDim(DataFormat format, int64_t axis);

/// Formats a shape as `1x?x7`, the way tensor types print it.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace mlir::deconv

#endif // DECONV_DIALECT_DECONV_IR_DECONVSHAPE_H
