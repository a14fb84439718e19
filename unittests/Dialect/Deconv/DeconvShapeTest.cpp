//===- DeconvShapeTest.cpp - the shape helper against the seeds -----------===//
//
// Output shapes and crops of every case printed in the TensorRT cookbook
// (seed 001) and the Dragon example (seed 003), plus hand-derived cases for
// each priority rule and each error. Expected values come from the seeds'
// printed shapes and from the IR contract's formulas worked by hand, never
// from the helper itself.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvShape.h"

#include "gtest/gtest.h"

#include <limits>
#include <vector>

using namespace mlir::deconv;

namespace {

using Shape = std::vector<int64_t>;

/// The cookbook's base case: a 1x1x3x3 input and a 1x1x3x3 weight.
DeconvSpec cookbookSpec() {
  static const int64_t input[] = {1, 1, 3, 3};
  static const int64_t weight[] = {1, 1, 3, 3};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  return spec;
}

Shape resultShape(const DeconvSpec &spec) {
  llvm::Expected<DeconvGeometry> geometry = resolveDeconv(spec);
  if (!geometry) {
    ADD_FAILURE() << llvm::toString(geometry.takeError());
    return {};
  }
  return Shape(geometry->resultShape.begin(), geometry->resultShape.end());
}

std::string errorOf(const DeconvSpec &spec) {
  llvm::Expected<DeconvGeometry> geometry = resolveDeconv(spec);
  if (geometry)
    return "no error";
  return llvm::toString(geometry.takeError());
}

/// Crops (B, canonical post) of each axis.
std::vector<std::pair<int64_t, int64_t>> cropsOf(const DeconvSpec &spec) {
  llvm::Expected<DeconvGeometry> geometry = resolveDeconv(spec);
  if (!geometry) {
    ADD_FAILURE() << llvm::toString(geometry.takeError());
    return {};
  }
  std::vector<std::pair<int64_t, int64_t>> crops;
  for (const AxisGeometry &axis : geometry->axes)
    crops.emplace_back(axis.preCrop, axis.postCrop);
  return crops;
}

using Crops = std::vector<std::pair<int64_t, int64_t>>;

TEST(SeedCookbook, Default) {
  EXPECT_EQ(resultShape(cookbookSpec()), (Shape{1, 1, 5, 5}));
}

TEST(SeedCookbook, Stride) {
  DeconvSpec spec = cookbookSpec();
  const int64_t s22[] = {2, 2}, s21[] = {2, 1}, s12[] = {1, 2};
  spec.stride = s22;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 7, 7}));
  spec.stride = s21;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 7, 5}));
  spec.stride = s12;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 5, 7}));
}

TEST(SeedCookbook, Padding) {
  DeconvSpec spec = cookbookSpec();
  const int64_t p11[] = {1, 1}, p10[] = {1, 0}, p01[] = {0, 1}, p22[] = {2, 2};
  spec.padding = p11;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 3, 3}));
  EXPECT_EQ(cropsOf(spec), (Crops{{1, 1}, {1, 1}}));
  spec.padding = p10;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 3, 5}));
  spec.padding = p01;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 5, 3}));
  spec.padding = p22;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 1, 1}));
}

TEST(SeedCookbook, PrePadding) {
  DeconvSpec spec = cookbookSpec();
  const int64_t p11[] = {1, 1}, p10[] = {1, 0}, p01[] = {0, 1};
  spec.prePadding = p11;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 4, 4}));
  EXPECT_EQ(cropsOf(spec), (Crops{{1, 0}, {1, 0}}));
  spec.prePadding = p10;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 4, 5}));
  spec.prePadding = p01;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 5, 4}));
}

TEST(SeedCookbook, PostPadding) {
  DeconvSpec spec = cookbookSpec();
  const int64_t p11[] = {1, 1}, p10[] = {1, 0}, p01[] = {0, 1};
  spec.postPadding = p11;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 4, 4}));
  EXPECT_EQ(cropsOf(spec), (Crops{{0, 1}, {0, 1}}));
  spec.postPadding = p10;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 4, 5}));
  spec.postPadding = p01;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 5, 4}));
}

TEST(SeedCookbook, PaddingModes) {
  DeconvSpec spec = cookbookSpec();
  const int64_t s22[] = {2, 2};
  spec.stride = s22;
  // SAME: P = max(DK + op - S, 0) = 1; upper drops the last row, lower the
  // first (the seed's SAME_LOWER matrix starts at the full scatter's row 1).
  spec.paddingMode = PaddingMode::SameUpper;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 6, 6}));
  EXPECT_EQ(cropsOf(spec), (Crops{{0, 1}, {0, 1}}));
  spec.paddingMode = PaddingMode::SameLower;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 6, 6}));
  EXPECT_EQ(cropsOf(spec), (Crops{{1, 0}, {1, 0}}));
  for (PaddingMode mode :
       {PaddingMode::ExplicitRoundUp, PaddingMode::ExplicitRoundDown,
        PaddingMode::CaffeRoundUp, PaddingMode::CaffeRoundDown}) {
    spec.paddingMode = mode;
    EXPECT_EQ(resultShape(spec), (Shape{1, 1, 7, 7}))
        << stringifyPaddingMode(mode).str();
  }
}

TEST(SeedCookbook, Groups) {
  // Two channels, two groups; the weight is (Cin, Cout/G, 3, 3) = (2,1,3,3).
  // The seed prints two 5x5 matrices (its "(1,2,4,7)" caption is a typo).
  const int64_t input[] = {1, 2, 3, 3}, weight[] = {2, 1, 3, 3};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  spec.groups = 2;
  EXPECT_EQ(resultShape(spec), (Shape{1, 2, 5, 5}));
}

TEST(SeedCookbook, ThreeD) {
  const int64_t input[] = {1, 1, 2, 3, 3}, weight[] = {1, 1, 2, 3, 3};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 3, 5, 5}));
}

TEST(SeedDragon, OutputShapeGrowsAtTheEnd) {
  // dragon.nn.conv3d_transpose on ones((1,2,2,2,2)) with a 1x1x1 kernel to 3
  // outputs per axis. The seed writes the weight as (3,2,1,1,1), which is
  // neither of its documented layouts; (Cin, Cout, 1,1,1) = (2,3,1,1,1) is.
  const int64_t input[] = {1, 2, 2, 2, 2}, weight[] = {2, 3, 1, 1, 1},
                target[] = {3, 3, 3};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  spec.outputShape = target;
  EXPECT_EQ(resultShape(spec), (Shape{1, 3, 3, 3, 3}));
  // T = E - T_o = 2 - 3 = -1: B = 0 and the end grows by one zero row.
  EXPECT_EQ(cropsOf(spec), (Crops{{0, -1}, {0, -1}, {0, -1}}));
}

TEST(PriorityRules, OutputShapeSplitsTheSurplus) {
  // I=3, K=3, S=2: E = 7. Target 4 leaves T = 3: same_upper puts the larger
  // half at the end (B=1, A=2), every other mode at the start (B=2, A=1).
  const int64_t input[] = {1, 1, 3}, weight[] = {1, 1, 3}, stride[] = {2},
                target[] = {4}, padding[] = {0};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  spec.stride = stride;
  spec.outputShape = target;
  spec.padding = padding;
  spec.paddingMode = PaddingMode::SameUpper;
  EXPECT_EQ(cropsOf(spec), (Crops{{1, 2}}));
  spec.paddingMode = PaddingMode::SameLower;
  EXPECT_EQ(cropsOf(spec), (Crops{{2, 1}}));
  spec.paddingMode = PaddingMode::Valid;
  EXPECT_EQ(cropsOf(spec), (Crops{{2, 1}}));
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 4}));
}

TEST(PriorityRules, OutputShapeCountsOutputPadding) {
  // E = F + op = 7 + 1 = 8; target 8 leaves T = 0: no crop, and the canonical
  // post crop is A - op = -1 (one zero row past the full scatter).
  const int64_t input[] = {1, 1, 3}, weight[] = {1, 1, 3}, stride[] = {2},
                target[] = {8}, outputPadding[] = {1};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  spec.stride = stride;
  spec.outputShape = target;
  spec.outputPadding = outputPadding;
  EXPECT_EQ(cropsOf(spec), (Crops{{0, -1}}));
}

TEST(PriorityRules, SameOverExplicit) {
  DeconvSpec spec = cookbookSpec();
  const int64_t s22[] = {2, 2}, pad[] = {2, 2};
  spec.stride = s22;
  spec.padding = pad;
  spec.prePadding = pad;
  spec.paddingMode = PaddingMode::SameUpper;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 6, 6}));
}

TEST(PriorityRules, ValidIgnoresPadding) {
  DeconvSpec spec = cookbookSpec();
  const int64_t pad[] = {1, 1};
  spec.padding = pad;
  spec.paddingMode = PaddingMode::Valid;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 5, 5}));
}

TEST(PriorityRules, PrePostOverPadding) {
  DeconvSpec spec = cookbookSpec();
  const int64_t pad[] = {1, 1}, pre[] = {2, 0};
  spec.padding = pad;
  spec.prePadding = pre;
  // Axis 0: B = 2 (pre), A = 1 (padding); axis 1: B = 0, A = 1.
  EXPECT_EQ(cropsOf(spec), (Crops{{2, 1}, {0, 1}}));
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 2, 4}));
}

TEST(PriorityRules, SameWithOutputPaddingAndDilation) {
  // I=4, K=3, L=2, S=3, op=1: DK=5, F=14, E=15, P = max(5+1-3,0) = 3,
  // O = min(I*S, E) = 12. same_lower: A = 1, B = 2, canonical post = 0.
  const int64_t input[] = {1, 1, 4}, weight[] = {1, 1, 3}, stride[] = {3},
                dilation[] = {2}, outputPadding[] = {1};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  spec.stride = stride;
  spec.dilation = dilation;
  spec.outputPadding = outputPadding;
  spec.paddingMode = PaddingMode::SameLower;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 12}));
  EXPECT_EQ(cropsOf(spec), (Crops{{2, 0}}));
}

TEST(PriorityRules, NegativePaddingExtends) {
  DeconvSpec spec = cookbookSpec();
  const int64_t pad[] = {-1, -2};
  spec.padding = pad;
  EXPECT_EQ(resultShape(spec), (Shape{1, 1, 7, 9}));
}

TEST(Layouts, ChannelsLastAndKernelFormats) {
  // Input N,H,W,C = (2,3,3,4); G = 2; Cout = 6.
  const int64_t input[] = {2, 3, 3, 4};
  const int64_t cinKCout[] = {4, 3, 3, 3}, coutKCin[] = {6, 3, 3, 2},
                cinCoutK[] = {4, 3, 3, 3};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.dataFormat = DataFormat::ChannelsLast;
  spec.groups = 2;
  spec.kernelFormat = KernelFormat::CinKCout;
  spec.weightShape = cinKCout;
  EXPECT_EQ(resultShape(spec), (Shape{2, 5, 5, 6}));
  spec.kernelFormat = KernelFormat::CoutKCin;
  spec.weightShape = coutKCin;
  EXPECT_EQ(resultShape(spec), (Shape{2, 5, 5, 6}));
  spec.kernelFormat = KernelFormat::CinCoutK;
  spec.weightShape = cinCoutK;
  EXPECT_EQ(resultShape(spec), (Shape{2, 5, 5, 6}));
}

TEST(Dynamic, BatchAndSpatialSizes) {
  const int64_t input[] = {kDynamicSize, 1, kDynamicSize, 3},
                weight[] = {1, 1, 3, 3}, stride[] = {2, 2};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  spec.stride = stride;
  EXPECT_EQ(resultShape(spec), (Shape{kDynamicSize, 1, kDynamicSize, 7}));
  // SAME crops do not depend on the input size.
  spec.paddingMode = PaddingMode::SameUpper;
  EXPECT_EQ(cropsOf(spec), (Crops{{0, 1}, {0, 1}}));
  // A target shape on a dynamic axis would make the crops dynamic: refused.
  const int64_t target[] = {10, 6};
  spec.outputShape = target;
  EXPECT_NE(errorOf(spec).find("'output_shape' needs a static input size on "
                               "spatial axis 0"),
            std::string::npos);
  // With only the batch dynamic it resolves. Axis 0: E = 3*2 + 3 = 9 and
  // T = -1, so the end grows (B=0, A=-1). Axis 1: E = 7 and T = 1, which
  // same_upper puts at the end (B=0, A=1).
  const int64_t staticSpatial[] = {kDynamicSize, 1, 4, 3};
  spec.inputShape = staticSpatial;
  EXPECT_EQ(resultShape(spec), (Shape{kDynamicSize, 1, 10, 6}));
  EXPECT_EQ(cropsOf(spec), (Crops{{0, -1}, {0, 1}}));
}

TEST(FourD, NothingIsSpecificToThreeAxes) {
  const int64_t input[] = {1, 2, 2, 3, 4, 5}, weight[] = {2, 3, 2, 2, 2, 2},
                stride[] = {1, 2, 3, 4};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  spec.stride = stride;
  // (I-1)*S + K per axis: 1+2, 4+2, 9+2, 16+2.
  EXPECT_EQ(resultShape(spec), (Shape{1, 3, 3, 6, 11, 18}));
}

TEST(Errors, EachRuleNamesItsAttribute) {
  DeconvSpec spec = cookbookSpec();
  const int64_t zero[] = {0, 1}, three[] = {1, 1, 1}, op2[] = {2, 0},
                big[] = {3, 3};
  spec.stride = zero;
  EXPECT_NE(errorOf(spec).find("'stride' must be >= 1, got 0"),
            std::string::npos);
  spec.stride = std::nullopt;
  spec.dilation = zero;
  EXPECT_NE(errorOf(spec).find("'dilation' must be >= 1"), std::string::npos);
  spec.dilation = three;
  EXPECT_NE(errorOf(spec).find("'dilation' must have 2 entries"),
            std::string::npos);
  spec.dilation = std::nullopt;
  spec.outputPadding = op2;
  EXPECT_NE(errorOf(spec).find("'output_padding' must be >= 0 and below"),
            std::string::npos);
  spec.outputPadding = std::nullopt;
  spec.padding = big;
  EXPECT_NE(errorOf(spec).find("would be -1 (below 1)"), std::string::npos);
  spec.padding = std::nullopt;
  spec.groups = 0;
  EXPECT_NE(errorOf(spec).find("'groups' must be >= 1, got 0"),
            std::string::npos);
  spec.groups = 1;
  spec.numOutputMaps = 2;
  EXPECT_NE(errorOf(spec).find("'num_output_maps' = 2 disagrees"),
            std::string::npos);
}

TEST(Errors, OverflowIsAnError) {
  const int64_t input[] = {1, 1, int64_t(1) << 62}, weight[] = {1, 1, 3},
                stride[] = {8};
  DeconvSpec spec;
  spec.inputShape = input;
  spec.weightShape = weight;
  spec.stride = stride;
  EXPECT_NE(errorOf(spec).find("overflow"), std::string::npos);
}

/// (i, k) pairs of one axis that land in [0, O), counted one by one.
int64_t countPairsOneByOne(int64_t input, int64_t kernel, int64_t stride,
                           int64_t dilation, int64_t preCrop, int64_t output) {
  int64_t pairs = 0;
  for (int64_t i = 0; i < input; ++i)
    for (int64_t k = 0; k < kernel; ++k) {
      int64_t o = i * stride + k * dilation - preCrop;
      pairs += o >= 0 && o < output;
    }
  return pairs;
}

TEST(UsefulMacs, MatchesCountingOneByOne) {
  // Every small axis with crops that cut, extend (negative) or leave it.
  for (int64_t input = 1; input <= 5; ++input)
    for (int64_t kernel = 1; kernel <= 4; ++kernel)
      for (int64_t stride = 1; stride <= 3; ++stride)
        for (int64_t dilation = 1; dilation <= 2; ++dilation)
          for (int64_t pre = -2; pre <= 3; ++pre)
            for (int64_t post = -2; post <= 3; ++post) {
              int64_t full = (input - 1) * stride + dilation * (kernel - 1) + 1;
              int64_t output = full - pre - post;
              if (output < 1)
                continue;
              DeconvGeometry geometry{
                  /*batchSize=*/2,
                  /*inChannels=*/6,
                  /*outChannels=*/4,
                  /*groups=*/2,
                  {input},
                  {kernel},
                  {stride},
                  {dilation},
                  {AxisGeometry{full, pre, post, output,
                                output - (input - 1) * stride}},
                  {}};
              EXPECT_EQ(countUsefulMacs(geometry),
                        2 * 4 * 3 *
                            countPairsOneByOne(input, kernel, stride, dilation,
                                               pre, output))
                  << "I=" << input << " K=" << kernel << " S=" << stride
                  << " L=" << dilation << " B=" << pre << " A=" << post;
            }
}

TEST(UsefulMacs, AbsurdSizesSaturateAtOnce) {
  // 9e17 inputs per axis (a dynamic size read from an .npy): no loop over
  // the inputs, and a product past int64 saturates.
  const int64_t huge = 900000000000000000;
  DeconvGeometry geometry{1,
                          4,
                          4,
                          1,
                          {huge, huge},
                          {3, 3},
                          {1, 1},
                          {1, 1},
                          {AxisGeometry{huge + 2, 0, 0, huge + 2, 3},
                           AxisGeometry{huge + 2, 0, 0, huge + 2, 3}},
                          {}};
  EXPECT_EQ(countUsefulMacs(geometry), std::numeric_limits<int64_t>::max());
  geometry.batchSize = 0;
  EXPECT_EQ(countUsefulMacs(geometry), 0);
}

} // namespace
