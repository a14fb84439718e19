//===- NetworkTest.cpp - the network builder
//-------------------------------===//
//
// Every setter of the builder (its getter, and what it does to the output
// dimensions and values, derived by hand from IR.md's formulas), and every
// misuse the builder reports.
//
//===----------------------------------------------------------------------===//

#include "deconv/Network.h"
#include "deconv/Executable.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace deconv;

namespace {

/// 1e4, 1e3, ..., 1e-4: the cookbook's kernel.
std::vector<float> powersOfTen() {
  std::vector<float> values;
  for (int exponent = 4; exponent >= -4; --exponent)
    values.push_back(static_cast<float>(std::pow(10.0, exponent)));
  return values;
}

Weights weightsOf(const std::vector<float> &values) {
  return {ElementType::F32, values.data(), static_cast<int64_t>(values.size())};
}

HostTensor iota(std::vector<int64_t> shape) {
  HostTensor tensor(ElementType::F32, std::move(shape));
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    tensor.setFromDouble(i, i + 1);
  return tensor;
}

/// The cookbook's network: (1,1,3,3) input, one map, 3x3 kernel, zero bias.
struct Cookbook {
  std::vector<float> weight = powersOfTen();
  std::vector<float> bias = {0.0f};
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 1, 3, 3});
  DeconvolutionLayer *layer = network.addDeconvolutionNd(
      *input, 1, {3, 3}, weightsOf(weight), weightsOf(bias));
  Tensor *output = layer->getOutput(0);

  Cookbook() { network.markOutput(*output); }

  /// Runs on the CPU; fails the test on an error.
  HostTensor run() {
    StatusOr<Executable> executable = compileNetwork(network);
    EXPECT_TRUE(executable) << executable.message();
    if (!executable)
      return HostTensor();
    HostTensor data = iota({1, 1, 3, 3});
    StatusOr<std::vector<HostTensor>> results = executable->run({&data});
    EXPECT_TRUE(results) << results.message();
    return results ? std::move(results->front()) : HostTensor();
  }
};

/// The message of the network's validation, "" when valid.
std::string problem(const NetworkDefinition &network) {
  Status status = network.validate();
  return status ? "" : status.message();
}

} // namespace

//===----------------------------------------------------------------------===//
// Defaults and getters
//===----------------------------------------------------------------------===//

TEST(Network, DefaultsFollowTheInputRank) {
  Cookbook cookbook;
  DeconvolutionLayer &layer = *cookbook.layer;
  EXPECT_EQ(layer.getName(), "deconvolution_0");
  EXPECT_EQ(layer.getNbOutputMaps(), 1);
  EXPECT_EQ(layer.getKernelSizeNd(), (Dims{3, 3}));
  EXPECT_EQ(layer.getStrideNd(), (Dims{1, 1}));
  EXPECT_EQ(layer.getDilationNd(), (Dims{1, 1}));
  EXPECT_EQ(layer.getPaddingNd(), (Dims{0, 0}));
  EXPECT_EQ(layer.getPrePadding(), (Dims{0, 0}));
  EXPECT_EQ(layer.getPostPadding(), (Dims{0, 0}));
  EXPECT_EQ(layer.getOutputPadding(), (Dims{0, 0}));
  EXPECT_FALSE(layer.getOutputShape());
  EXPECT_EQ(layer.getPaddingMode(), PaddingMode::ExplicitRoundDown);
  EXPECT_EQ(layer.getNbGroups(), 1);
  EXPECT_EQ(layer.getDataFormat(), DataFormat::ChannelsFirst);
  EXPECT_EQ(layer.getKernelFormat(), KernelFormat::CinCoutK);
  EXPECT_EQ(layer.getInput(0), cookbook.input);
  EXPECT_EQ(layer.getInput(1), nullptr);
  EXPECT_EQ(layer.getInput(2), nullptr);
  EXPECT_EQ(layer.getInput(3), nullptr);
  EXPECT_EQ(layer.getOutput(1), nullptr);
  EXPECT_EQ(cookbook.output->getProducer(), &layer);
  EXPECT_FALSE(cookbook.output->isNetworkInput());
  EXPECT_TRUE(cookbook.input->isNetworkInput());
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 5, 5}));
  EXPECT_EQ(cookbook.network.getNbInputs(), 1);
  EXPECT_EQ(cookbook.network.getInput(0), cookbook.input);
  EXPECT_EQ(cookbook.network.getInput(1), nullptr);
  EXPECT_EQ(cookbook.network.getNbOutputs(), 1);
  EXPECT_EQ(cookbook.network.getOutput(0), cookbook.output);
  EXPECT_EQ(cookbook.network.getNbLayers(), 1);
  EXPECT_EQ(cookbook.network.getLayer(0), &layer);
  EXPECT_EQ(cookbook.network.getLayer(-1), nullptr);
  EXPECT_EQ(problem(cookbook.network), "");
}

TEST(Network, WeightsAreCopiedAndReadBack) {
  Cookbook cookbook;
  Weights kernel = cookbook.layer->getKernelWeights();
  ASSERT_EQ(kernel.count, 9);
  EXPECT_EQ(kernel.type, ElementType::F32);
  EXPECT_NE(kernel.values, cookbook.weight.data());
  EXPECT_EQ(static_cast<const float *>(kernel.values)[4], 1.0f);
  // The network's copy survives the caller's memory.
  cookbook.weight.assign(9, -1.0f);
  EXPECT_EQ(
      static_cast<const float *>(cookbook.layer->getKernelWeights().values)[0],
      1e4f);
  EXPECT_EQ(cookbook.layer->getBiasWeights().count, 1);
  cookbook.layer->setBiasWeights({});
  EXPECT_EQ(cookbook.layer->getBiasWeights().count, 0);
}

TEST(Network, NamesAreSettable) {
  Cookbook cookbook;
  cookbook.layer->setName("up1");
  cookbook.output->setName("y");
  EXPECT_EQ(cookbook.layer->getName(), "up1");
  EXPECT_EQ(cookbook.output->getName(), "y");
  StatusOr<Executable> executable = compileNetwork(cookbook.network);
  ASSERT_TRUE(executable) << executable.message();
  EXPECT_EQ(executable->getInputs()[0].name, "x");
  EXPECT_EQ(executable->getOutputs()[0].name, "y");
}

//===----------------------------------------------------------------------===//
// Each setter's effect (hand-derived: O = (I-1)*S + L*(K-1) + 1 + op - B - A)
//===----------------------------------------------------------------------===//

TEST(Network, SetStrideNd) {
  Cookbook cookbook;
  cookbook.layer->setStrideNd({2, 1});
  EXPECT_EQ(cookbook.layer->getStrideNd(), (Dims{2, 1}));
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 7, 5}));
  HostTensor y = cookbook.run();
  // Row 1 sees only kernel row 1 against input row 0: 10, 21, 32.1, 3.2, .3.
  EXPECT_FLOAT_EQ(y.getAsDouble(5 + 1), 21.0f);
  EXPECT_FLOAT_EQ(y.getAsDouble(5 + 2), 32.1f);
}

TEST(Network, SetDilationNd) {
  Cookbook cookbook;
  cookbook.layer->setDilationNd({2, 2});
  EXPECT_EQ(cookbook.layer->getDilationNd(), (Dims{2, 2}));
  // (3-1)*1 + 2*(3-1) + 1 = 7.
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 7, 7}));
  HostTensor y = cookbook.run();
  // y[0][1] = x[0][1]*w[0][0] (1 + 0*2 would need k = 1/2): 2e4.
  EXPECT_FLOAT_EQ(y.getAsDouble(1), 2e4f);
  EXPECT_FLOAT_EQ(y.getAsDouble(2), 3e4f + 1e3f);
}

TEST(Network, SetPaddingNdResetsPreAndPost) {
  Cookbook cookbook;
  cookbook.layer->setPrePadding({1, 1});
  cookbook.layer->setPostPadding({0, 1});
  cookbook.layer->setPaddingNd({1, 0});
  EXPECT_EQ(cookbook.layer->getPaddingNd(), (Dims{1, 0}));
  EXPECT_EQ(cookbook.layer->getPrePadding(), (Dims{1, 0}));
  EXPECT_EQ(cookbook.layer->getPostPadding(), (Dims{1, 0}));
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 3, 5}));
  HostTensor y = cookbook.run();
  EXPECT_FLOAT_EQ(y.getAsDouble(0), 40010.0f); // the seed's first value
}

TEST(Network, SetPrePaddingKeepsThePaddingAtTheEnd) {
  Cookbook cookbook;
  cookbook.layer->setPaddingNd({1, 1});
  cookbook.layer->setPrePadding({0, 0});
  EXPECT_EQ(cookbook.layer->getPrePadding(), (Dims{0, 0}));
  EXPECT_EQ(cookbook.layer->getPostPadding(), (Dims{1, 1}));
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 4, 4}));
  HostTensor y = cookbook.run();
  EXPECT_FLOAT_EQ(y.getAsDouble(0), 10000.0f);
}

TEST(Network, SetPostPadding) {
  Cookbook cookbook;
  cookbook.layer->setPostPadding({0, 1});
  EXPECT_EQ(cookbook.layer->getPostPadding(), (Dims{0, 1}));
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 5, 4}));
}

TEST(Network, SetOutputPadding) {
  Cookbook cookbook;
  cookbook.layer->setStrideNd({2, 2});
  cookbook.layer->setOutputPadding({1, 0});
  EXPECT_EQ(cookbook.layer->getOutputPadding(), (Dims{1, 0}));
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 8, 7}));
  HostTensor y = cookbook.run();
  // The added last row holds zeros (plus the zero bias).
  for (int64_t column = 0; column < 7; ++column)
    EXPECT_EQ(y.getAsDouble(7 * 7 + column), 0.0);
}

TEST(Network, SetOutputShapeOverridesPadding) {
  Cookbook cookbook;
  cookbook.layer->setStrideNd({2, 2});
  cookbook.layer->setPaddingNd({2, 2});
  cookbook.layer->setOutputShape({6, 6});
  EXPECT_EQ(*cookbook.layer->getOutputShape(), (Dims{6, 6}));
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 6, 6}));
  // Total crop 1: any mode but same_upper crops it at the start.
  HostTensor y = cookbook.run();
  EXPECT_FLOAT_EQ(y.getAsDouble(0), 1.0f);
}

TEST(Network, SetPaddingMode) {
  Cookbook cookbook;
  cookbook.layer->setStrideNd({2, 2});
  cookbook.layer->setPaddingNd({2, 2}); // ignored under a SAME mode
  cookbook.layer->setPaddingMode(PaddingMode::SameLower);
  EXPECT_EQ(cookbook.layer->getPaddingMode(), PaddingMode::SameLower);
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 6, 6}));
  HostTensor y = cookbook.run();
  EXPECT_FLOAT_EQ(y.getAsDouble(0), 1.0f); // the seed's SAME_LOWER corner
  cookbook.layer->setPaddingMode(PaddingMode::Valid);
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 7, 7}));
}

TEST(Network, SetNbOutputMapsAndKernelSizeNd) {
  Cookbook cookbook;
  std::vector<float> weight(3 * 2 * 2, 1.0f);
  cookbook.layer->setNbOutputMaps(3);
  cookbook.layer->setKernelSizeNd({2, 2});
  cookbook.layer->setKernelWeights(weightsOf(weight));
  cookbook.layer->setBiasWeights({});
  EXPECT_EQ(cookbook.layer->getNbOutputMaps(), 3);
  EXPECT_EQ(cookbook.layer->getKernelSizeNd(), (Dims{2, 2}));
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 3, 4, 4}));
  HostTensor y = cookbook.run();
  // All-ones 2x2 kernel: y[1][1] = 1 + 2 + 4 + 5 in every channel.
  EXPECT_FLOAT_EQ(y.getAsDouble(16 * 2 + 4 + 1), 12.0f);
}

TEST(Network, SetNbGroups) {
  std::vector<float> weight = {1.0f, 10.0f}; // (Cin=2, Cout/G=1, 1x1)
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 2, 1, 2});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 2, {1, 1}, weightsOf(weight));
  layer->setNbGroups(2);
  EXPECT_EQ(layer->getNbGroups(), 2);
  network.markOutput(*layer->getOutput(0));
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  HostTensor x = iota({1, 2, 1, 2});
  auto y = executable->run({&x});
  ASSERT_TRUE(y) << y.message();
  // Channel 0 is x0 * 1, channel 1 is x1 * 10 (no mixing across groups).
  EXPECT_EQ(y->front().getAsDouble(0), 1.0);
  EXPECT_EQ(y->front().getAsDouble(1), 2.0);
  EXPECT_EQ(y->front().getAsDouble(2), 30.0);
  EXPECT_EQ(y->front().getAsDouble(3), 40.0);
}

TEST(Network, SetBiasWeights) {
  Cookbook cookbook;
  std::vector<float> bias = {0.5f};
  cookbook.layer->setBiasWeights(weightsOf(bias));
  HostTensor y = cookbook.run();
  EXPECT_FLOAT_EQ(y.getAsDouble(0), 10000.5f);
  EXPECT_FLOAT_EQ(y.getAsDouble(24), 0.0009f + 0.5f);
}

TEST(Network, SetDataFormatChannelsLast) {
  std::vector<float> weight = {1.0f, 2.0f}; // (Cin=1, Cout=2, 1x1)
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 2, 2, 1});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 2, {1, 1}, weightsOf(weight));
  layer->setDataFormat(DataFormat::ChannelsLast);
  EXPECT_EQ(layer->getDataFormat(), DataFormat::ChannelsLast);
  network.markOutput(*layer->getOutput(0));
  EXPECT_EQ(layer->getOutput(0)->getDimensions(), (Dims{1, 2, 2, 2}));
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  HostTensor x = iota({1, 2, 2, 1});
  auto y = executable->run({&x});
  ASSERT_TRUE(y) << y.message();
  // NHWC: position (0,1) holds x=2 times (1, 2).
  EXPECT_EQ(y->front().getAsDouble(2), 2.0);
  EXPECT_EQ(y->front().getAsDouble(3), 4.0);
}

TEST(Network, SetKernelFormatCoutKCin) {
  // Two maps from one channel with a 1x2 kernel, given as (Cout, K..., Cin).
  std::vector<float> weight = {1.0f, 2.0f, 10.0f, 20.0f};
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 1, 1, 1});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 2, {1, 2}, weightsOf(weight));
  layer->setKernelFormat(KernelFormat::CoutKCin);
  EXPECT_EQ(layer->getKernelFormat(), KernelFormat::CoutKCin);
  network.markOutput(*layer->getOutput(0));
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  HostTensor x(ElementType::F32, {1, 1, 1, 1});
  x.setFromDouble(0, 3.0);
  auto y = executable->run({&x});
  ASSERT_TRUE(y) << y.message();
  ASSERT_EQ(y->front().getShape(), (std::vector<int64_t>{1, 2, 1, 2}));
  EXPECT_EQ(y->front().getAsDouble(0), 3.0);
  EXPECT_EQ(y->front().getAsDouble(1), 6.0);
  EXPECT_EQ(y->front().getAsDouble(2), 30.0);
  EXPECT_EQ(y->front().getAsDouble(3), 60.0);
}

TEST(Network, SetInputGivesWeightsAndBiasAtRunTime) {
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 1, 3, 3});
  Tensor *kernel = network.addInput("w", ElementType::F32, {1, 1, 3, 3});
  Tensor *bias = network.addInput("b", ElementType::F32, {1});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 1, {3, 3}, Weights{});
  layer->setInput(1, *kernel);
  layer->setInput(2, *bias);
  EXPECT_EQ(layer->getInput(1), kernel);
  EXPECT_EQ(layer->getInput(2), bias);
  network.markOutput(*layer->getOutput(0));
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  HostTensor x = iota({1, 1, 3, 3});
  HostTensor w(ElementType::F32, {1, 1, 3, 3});
  w.setFromDouble(4, 2.0); // the centre tap only
  HostTensor b(ElementType::F32, {1});
  b.setFromDouble(0, 1.0);
  auto y = executable->run({&x, &w, &b});
  ASSERT_TRUE(y) << y.message();
  // y[o] = 2 * x[o - 1] + 1 inside, 1 on the border.
  EXPECT_EQ(y->front().getAsDouble(0), 1.0);
  EXPECT_EQ(y->front().getAsDouble(6), 3.0);
  EXPECT_EQ(y->front().getAsDouble(12), 11.0);
  // Setting weights again disconnects the tensor.
  std::vector<float> constant(9, 1.0f);
  layer->setKernelWeights(weightsOf(constant));
  EXPECT_EQ(layer->getInput(1), nullptr);
  layer->setBiasWeights({});
  EXPECT_EQ(layer->getInput(2), nullptr);
}

TEST(Network, SetInputZeroReplacesTheData) {
  Cookbook cookbook;
  Tensor *other =
      cookbook.network.addInput("z", ElementType::F32, {1, 1, 2, 2});
  cookbook.layer->setInput(0, *other);
  EXPECT_EQ(cookbook.layer->getInput(0), other);
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 4, 4}));
}

TEST(Network, ChainedLayersAndTwoOutputs) {
  std::vector<float> two = {2.0f}, three = {3.0f};
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 1, 2, 2});
  DeconvolutionLayer *first =
      network.addDeconvolutionNd(*input, 1, {1, 1}, weightsOf(two));
  first->setStrideNd({2, 2});
  DeconvolutionLayer *second = network.addDeconvolutionNd(
      *first->getOutput(0), 1, {1, 1}, weightsOf(three));
  network.markOutput(*second->getOutput(0));
  network.markOutput(*first->getOutput(0));
  EXPECT_EQ(second->getOutput(0)->getDimensions(), (Dims{1, 1, 3, 3}));
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  ASSERT_EQ(executable->getOutputs().size(), 2u);
  HostTensor x = iota({1, 1, 2, 2});
  auto y = executable->run({&x});
  ASSERT_TRUE(y) << y.message();
  // Stride 2 spreads 1..4 to the corners, times 2, then times 3.
  EXPECT_EQ((*y)[0].getAsDouble(0), 6.0);
  EXPECT_EQ((*y)[0].getAsDouble(1), 0.0);
  EXPECT_EQ((*y)[0].getAsDouble(8), 24.0);
  EXPECT_EQ((*y)[1].getAsDouble(8), 8.0);
}

TEST(Network, HalfPrecisionTakesFloatWeights) {
  std::vector<float> weight = powersOfTen();
  for (float &value : weight)
    value = value > 100 ? 100 : value; // keep f16 products in range
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F16, {1, 1, 3, 3});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 1, {3, 3}, weightsOf(weight));
  network.markOutput(*layer->getOutput(0));
  EXPECT_EQ(layer->getOutput(0)->getType(), ElementType::F16);
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  HostTensor x(ElementType::F16, {1, 1, 3, 3});
  for (int64_t i = 0; i < 9; ++i)
    x.setFromDouble(i, i + 1);
  auto y = executable->run({&x});
  ASSERT_TRUE(y) << y.message();
  EXPECT_EQ(y->front().getElementType(), ElementType::F16);
  EXPECT_EQ(y->front().getAsDouble(0), 100.0);
  EXPECT_EQ(y->front().getAsDouble(1), 300.0); // 1*100 + 2*100
}

TEST(Network, DynamicBatchAndSpatialSizes) {
  std::vector<float> weight = powersOfTen();
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {-1, 1, -1, 3});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 1, {3, 3}, weightsOf(weight));
  layer->setStrideNd({2, 2});
  network.markOutput(*layer->getOutput(0));
  EXPECT_EQ(layer->getOutput(0)->getDimensions(), (Dims{-1, 1, -1, 7}));
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  EXPECT_EQ(executable->getInputs()[0].dims, (Dims{-1, 1, -1, 3}));
  EXPECT_EQ(executable->getOutputs()[0].dims, (Dims{-1, 1, -1, 7}));
  auto dims = executable->getOutputDimensions({{2, 1, 4, 3}});
  ASSERT_TRUE(dims) << dims.message();
  EXPECT_EQ(dims->front(), (Dims{2, 1, 9, 7}));
  HostTensor x = iota({2, 1, 4, 3});
  auto y = executable->run({&x});
  ASSERT_TRUE(y) << y.message();
  EXPECT_EQ(y->front().getShape(), (std::vector<int64_t>{2, 1, 9, 7}));
  // Batch 1 starts with x = 13 at the corner tap 1e4.
  EXPECT_FLOAT_EQ(y->front().getAsDouble(63), 13e4f);
}

TEST(Network, MovedNetworkKeepsItsTensors) {
  Cookbook cookbook;
  NetworkDefinition moved = std::move(cookbook.network);
  cookbook.layer->setStrideNd({2, 2});
  EXPECT_EQ(moved.getOutput(0), cookbook.output);
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 7, 7}));
  EXPECT_TRUE(compileNetwork(moved));
}

TEST(Network, IRIsTheTextualPathsInput) {
  Cookbook cookbook;
  cookbook.layer->setStrideNd({2, 2});
  cookbook.layer->setPaddingMode(PaddingMode::SameUpper);
  StatusOr<std::string> ir = cookbook.network.toIR();
  ASSERT_TRUE(ir) << ir.message();
  EXPECT_NE(ir->find("deconv.deconv"), std::string::npos);
  EXPECT_NE(ir->find("stride = array<i64: 2, 2>"), std::string::npos);
  EXPECT_NE(ir->find("#deconv.padding_mode<same_upper>"), std::string::npos);
  EXPECT_NE(ir->find("tensor<1x1x6x6xf32>"), std::string::npos);
  // The printed IR compiles through the text path to the same numbers.
  StatusOr<Executable> fromText = compileSource(*ir);
  ASSERT_TRUE(fromText) << fromText.message();
  HostTensor x = iota({1, 1, 3, 3});
  auto text = fromText->run({&x});
  ASSERT_TRUE(text) << text.message();
  HostTensor built = cookbook.run();
  ASSERT_EQ(text->front().getShape(), built.getShape());
  for (int64_t i = 0; i < built.getNumElements(); ++i)
    EXPECT_EQ(text->front().getAsDouble(i), built.getAsDouble(i));
}

//===----------------------------------------------------------------------===//
// Misuse: recorded when it happens, or the verifier's message
//===----------------------------------------------------------------------===//

TEST(NetworkErrors, NegativePaddingIsRejectedAsInTensorRT) {
  for (int setter = 0; setter < 4; ++setter) {
    Cookbook cookbook;
    DeconvolutionLayer &layer = *cookbook.layer;
    const char *names[] = {"setPaddingNd", "setPrePadding", "setPostPadding",
                           "setOutputPadding"};
    switch (setter) {
    case 0:
      layer.setPaddingNd({0, -1});
      break;
    case 1:
      layer.setPrePadding({0, -1});
      break;
    case 2:
      layer.setPostPadding({0, -1});
      break;
    case 3:
      layer.setOutputPadding({0, -1});
      break;
    }
    EXPECT_EQ(problem(cookbook.network),
              std::string("layer 'deconvolution_0': ") + names[setter] +
                  ": padding must be >= 0 (as in TensorRT), got -1 on axis 1");
    EXPECT_FALSE(compileNetwork(cookbook.network));
  }
}

TEST(NetworkErrors, SetInputIndexOutOfRange) {
  Cookbook cookbook;
  cookbook.layer->setInput(3, *cookbook.input);
  EXPECT_EQ(problem(cookbook.network),
            "layer 'deconvolution_0': setInput: index 3 is not 0 (data), 1 "
            "(kernel) or 2 (bias)");
}

TEST(NetworkErrors, TensorsOfAnotherNetwork) {
  Cookbook cookbook, other;
  cookbook.layer->setInput(1, *other.input);
  EXPECT_EQ(problem(cookbook.network),
            "layer 'deconvolution_0': setInput: tensor 'x' belongs to another "
            "network");
  NetworkDefinition network;
  network.markOutput(*other.output);
  EXPECT_EQ(problem(network), "markOutput: tensor 'deconvolution_0_output' "
                              "belongs to another network");
  NetworkDefinition third;
  std::vector<float> weight = {1.0f};
  third.addDeconvolutionNd(*other.input, 1, {1, 1}, weightsOf(weight));
  EXPECT_EQ(problem(third), "layer 'deconvolution_0': addDeconvolutionNd: "
                            "tensor 'x' belongs to another network");
}

TEST(NetworkErrors, OwnOutputOrACycleAsInput) {
  Cookbook cookbook;
  cookbook.layer->setInput(0, *cookbook.output);
  EXPECT_EQ(problem(cookbook.network),
            "layer 'deconvolution_0': setInput: the layer's own output cannot "
            "be its input");

  Cookbook cycle;
  std::vector<float> one = {1.0f};
  DeconvolutionLayer *later = cycle.network.addDeconvolutionNd(
      *cycle.output, 1, {1, 1}, weightsOf(one));
  cycle.layer->setInput(0, *later->getOutput(0));
  EXPECT_EQ(problem(cycle.network),
            "layer 'deconvolution_0': its data input 'deconvolution_1_output' "
            "depends on the layer's own output (a cycle)");
}

TEST(NetworkErrors, NoOutputs) {
  NetworkDefinition network;
  network.addInput("x", ElementType::F32, {1, 1, 3});
  EXPECT_EQ(problem(network),
            "the network has no outputs: mark one with markOutput");
}

TEST(NetworkErrors, NoKernelWeights) {
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 1, 3, 3});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 1, {3, 3}, Weights{});
  network.markOutput(*layer->getOutput(0));
  EXPECT_EQ(problem(network),
            "layer 'deconvolution_0': no kernel weights: give them to "
            "addDeconvolutionNd or setKernelWeights, or connect a tensor with "
            "setInput(1, tensor)");
}

TEST(NetworkErrors, KernelWeightCountMismatch) {
  Cookbook cookbook;
  cookbook.layer->setStrideNd({2, 2});
  cookbook.layer->setKernelSizeNd({2, 3});
  EXPECT_EQ(problem(cookbook.network),
            "layer 'deconvolution_0': kernel weights hold 9 values but a "
            "kernel of shape 1x1x2x3 needs 6");
  // The dimensions follow the settings; the weights are the problem.
  EXPECT_EQ(cookbook.output->getDimensions(), (Dims{1, 1, 6, 7}));
}

TEST(NetworkErrors, MalformedWeights) {
  Cookbook cookbook;
  cookbook.layer->setKernelWeights({ElementType::F32, nullptr, 9});
  EXPECT_EQ(problem(cookbook.network),
            "layer 'deconvolution_0': setKernelWeights: weights of 9 values "
            "at a null address");
  Cookbook negative;
  float value = 1;
  negative.layer->setBiasWeights({ElementType::F32, &value, -1});
  EXPECT_EQ(problem(negative.network),
            "layer 'deconvolution_0': setBiasWeights: weights of -1 values at "
            "an address");
  Cookbook quantized;
  int8_t bytes[9] = {};
  quantized.layer->setKernelWeights({ElementType::I8, bytes, 9});
  EXPECT_EQ(problem(quantized.network),
            "layer 'deconvolution_0': setKernelWeights: i8 weights need their "
            "scales: give them as an input through addDequantize and "
            "setInput, or give f32, f16 or bf16 weights");
}

TEST(NetworkErrors, BadInputs) {
  NetworkDefinition network;
  network.addInput("x", ElementType::F32, {1, 0, -2});
  EXPECT_EQ(problem(network),
            "addInput: input 'x' has size 0 on axis 1; sizes are >= 1, or -1 "
            "for a size known at run time");
  NetworkDefinition twice;
  twice.addInput("x", ElementType::F32, {1, 1, 3});
  twice.addInput("x", ElementType::F32, {1, 1, 3});
  EXPECT_EQ(problem(twice), "addInput: two inputs are named 'x'");
}

TEST(NetworkErrors, GroupsMustDivideChannels) {
  Cookbook cookbook;
  cookbook.layer->setNbGroups(2);
  EXPECT_EQ(problem(cookbook.network),
            "layer 'deconvolution_0': 1 output maps are not a positive "
            "multiple of 2 groups");
  Cookbook zero;
  zero.layer->setNbGroups(0);
  EXPECT_EQ(problem(zero.network),
            "layer 'deconvolution_0': groups must be >= 1, got 0");
}

// The settings the IR judges get the verifier's own words, with the layer.
TEST(NetworkErrors, VerifierMessagesNameTheLayer) {
  Cookbook stride;
  stride.layer->setName("up1");
  stride.layer->setStrideNd({0, 1});
  std::string message = problem(stride.network);
  EXPECT_EQ(message.rfind("layer 'up1': 'deconv.deconv' op ", 0), 0u)
      << message;
  EXPECT_NE(message.find("stride"), std::string::npos) << message;
  EXPECT_TRUE(stride.output->getDimensions().empty());

  Cookbook length;
  length.layer->setDilationNd({1, 1, 1});
  message = problem(length.network);
  EXPECT_NE(message.find("dilation"), std::string::npos) << message;

  Cookbook outputPadding;
  outputPadding.layer->setOutputPadding({1, 0}); // not below stride 1
  message = problem(outputPadding.network);
  EXPECT_NE(message.find("output_padding"), std::string::npos) << message;

  Cookbook empty;
  empty.layer->setPaddingNd({3, 3}); // 5 - 6 < 1
  message = problem(empty.network);
  EXPECT_NE(message.find("'deconv.deconv' op"), std::string::npos) << message;

  Cookbook shape;
  shape.layer->setOutputShape({5});
  message = problem(shape.network);
  EXPECT_NE(message.find("output_shape"), std::string::npos) << message;
}

TEST(NetworkErrors, TensorWeightsAreCheckedByTheVerifier) {
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 1, 3, 3});
  Tensor *kernel = network.addInput("w", ElementType::F16, {1, 1, 3, 3});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 1, {2, 2}, Weights{});
  layer->setInput(1, *kernel);
  network.markOutput(*layer->getOutput(0));
  std::string message = problem(network);
  EXPECT_NE(message.find("element types must match"), std::string::npos)
      << message;
}

TEST(NetworkErrors, DynamicChannelsAreRejected) {
  std::vector<float> weight(9, 1.0f);
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, -1, 3, 3});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 1, {3, 3}, weightsOf(weight));
  network.markOutput(*layer->getOutput(0));
  EXPECT_EQ(problem(network), "layer 'deconvolution_0': the input's channel "
                              "count (dimension 1) must be static, as in "
                              "TensorRT");
}

TEST(NetworkErrors, InputTooSmallForTheGraphAtRunTime) {
  std::vector<float> weight(9, 1.0f);
  NetworkDefinition network;
  Tensor *input = network.addInput("x", ElementType::F32, {1, 1, -1, 3});
  DeconvolutionLayer *layer =
      network.addDeconvolutionNd(*input, 1, {3, 3}, weightsOf(weight));
  layer->setPaddingNd({3, 0});
  network.markOutput(*layer->getOutput(0));
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  // I = 1: F = 3, minus 6 cropped.
  auto dims = executable->getOutputDimensions({{1, 1, 1, 3}});
  ASSERT_FALSE(dims);
  HostTensor x = iota({1, 1, 1, 3});
  EXPECT_FALSE(executable->run({&x}));
  EXPECT_FALSE(executable->getOutputDimensions({{1, 1, 4, 3}})); // O = 0
  auto smallest = executable->getOutputDimensions({{1, 1, 5, 3}});
  ASSERT_TRUE(smallest) << smallest.message();
  EXPECT_EQ(smallest->front(), (Dims{1, 1, 1, 5}));
}

//===----------------------------------------------------------------------===//
// Quantization layers
//===----------------------------------------------------------------------===//

TEST(Network, QuantizeAndDequantizeLayers) {
  NetworkDefinition network;
  Tensor *x = network.addInput("x", ElementType::F32, {1, 2, 3, 3});
  Tensor *wq = network.addInput("wq", ElementType::I8, {2, 1, 3, 3});
  QuantizationLayer *quantize =
      network.addQuantize(*x, ElementType::I8, {0.5f}, {1});
  QuantizationLayer *dequantize = network.addDequantize(
      *quantize->getOutput(0), ElementType::F32, {0.5f}, {1});
  DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
      *dequantize->getOutput(0), 1, {3, 3}, Weights{});
  // Added after the layer it feeds: the network is built in dependency
  // order.
  QuantizationLayer *weight =
      network.addDequantize(*wq, ElementType::F32, {1.0f, 0.5f}, {0, 2}, 0);
  deconvolution->setInput(1, *weight->getOutput(0));
  QuantizationLayer *output = network.addQuantize(
      *deconvolution->getOutput(0), ElementType::U8, {0.25f}, {100});
  network.markOutput(*output->getOutput(0));

  EXPECT_EQ(quantize->getType(), LayerType::Quantize);
  EXPECT_EQ(dequantize->getType(), LayerType::Dequantize);
  EXPECT_EQ(quantize->getName(), "quantize_0");
  EXPECT_EQ(quantize->getInput(0), x);
  EXPECT_EQ(quantize->getInput(1), nullptr);
  EXPECT_EQ(quantize->getAxis(), -1);
  EXPECT_EQ(weight->getAxis(), 0);
  EXPECT_EQ(weight->getScales(), (std::vector<float>{1.0f, 0.5f}));
  EXPECT_EQ(output->getZeroPoints(), (std::vector<int64_t>{100}));
  EXPECT_EQ(quantize->getZeroPoints(), (std::vector<int64_t>{1}));
  NetworkDefinition other;
  Tensor *q = other.addInput("q", ElementType::U8, {2});
  EXPECT_EQ(other.addDequantize(*q, ElementType::F32, {2.0f, 1.0f}, {}, 0)
                ->getZeroPoints(),
            (std::vector<int64_t>{0, 0})); // Zero unless given.
  EXPECT_EQ(quantize->getOutput(0)->getType(), ElementType::I8);
  EXPECT_EQ(quantize->getOutput(0)->getDimensions(), (Dims{1, 2, 3, 3}));
  EXPECT_EQ(output->getOutput(0)->getType(), ElementType::U8);
  EXPECT_EQ(output->getOutput(0)->getDimensions(), (Dims{1, 1, 5, 5}));
  EXPECT_EQ(dequantize->getOutput(0)->getProducer(), dequantize);
  EXPECT_EQ(network.getLayer(3), weight);

  // x = 1 quantizes to rint(1 / 0.5) + 1 = 3 and comes back as
  // (3 - 1) * 0.5 = 1; weight channel 0 holds 2 (times 1), channel 1 holds
  // 4, (4 - 2) * 0.5 = 1. Each output sums 2 + 1 over the taps that reach
  // it, 1 2 3 2 1 per axis, and quantizes to 4y + 100.
  StatusOr<Executable> executable = compileNetwork(network);
  ASSERT_TRUE(executable) << executable.message();
  HostTensor data(ElementType::F32, {1, 2, 3, 3});
  HostTensor kernel(ElementType::I8, {2, 1, 3, 3});
  for (int64_t i = 0; i < data.getNumElements(); ++i) {
    data.setFromDouble(i, 1.0);
    kernel.setFromDouble(i, i < 9 ? 2.0 : 4.0);
  }
  StatusOr<std::vector<HostTensor>> results = executable->run({&data, &kernel});
  ASSERT_TRUE(results) << results.message();
  const HostTensor &y = results->front();
  ASSERT_EQ(y.getElementType(), ElementType::U8);
  const int counts[5] = {1, 2, 3, 2, 1};
  for (int row = 0; row < 5; ++row)
    for (int column = 0; column < 5; ++column)
      EXPECT_EQ(y.getAsDouble(row * 5 + column),
                4.0 * 3 * counts[row] * counts[column] + 100)
          << "at " << row << ", " << column;
}

TEST(NetworkErrors, QuantizationLayers) {
  NetworkDefinition network;
  Tensor *x = network.addInput("x", ElementType::F32, {1, 4});
  network.markOutput(
      *network.addQuantize(*x, ElementType::F16, {1.0f})->getOutput(0));
  EXPECT_EQ(problem(network), "layer 'quantize_0': addQuantize: the result "
                              "type must be i8 or ui8, not f16");

  NetworkDefinition floats;
  Tensor *y = floats.addInput("y", ElementType::I8, {1, 4});
  floats.markOutput(
      *floats.addDequantize(*y, ElementType::U8, {1.0f})->getOutput(0));
  EXPECT_EQ(problem(floats), "layer 'dequantize_0': addDequantize: the "
                             "result type must be f32, f16 or bf16, not ui8");

  // The verifier's rules, named by the layer.
  NetworkDefinition scales;
  Tensor *z = scales.addInput("z", ElementType::F32, {1, 4});
  QuantizationLayer *layer = scales.addQuantize(*z, ElementType::I8, {1.0f});
  layer->setScales({0.5f, 0.25f}, {0, 0});
  scales.markOutput(*layer->getOutput(0));
  EXPECT_EQ(problem(scales),
            "layer 'quantize_0': 'deconv.quantize' op has 2 scales (per "
            "channel) but no axis to apply them along");
  layer->setAxis(1);
  EXPECT_EQ(problem(scales), "layer 'quantize_0': 'deconv.quantize' op has 2 "
                             "scales but dimension 1 has size 4");
  layer->setScales({1.0f, 1.0f, -1.0f, 1.0f});
  EXPECT_EQ(problem(scales), "layer 'quantize_0': 'deconv.quantize' op scale "
                             "2 is -1.000000e+00: scales must be positive and "
                             "finite");
}
