//===- groups.cpp - grouped deconvolution ----------------------------------===//
//
// TensorRT cookbook, "num_groups": two input channels, two groups, the
// kernel w for group 0 and -w for group 1, so output channel 1 is the
// negation of channel 0. The cookbook builds its input by concatenating 1..18
// with itself along the batch axis, but its printout (1,2,5,5) shows channel 1
// fed 1..9 again: the input here is 1..9 in both channels.
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);
  const int64_t groups = 2;
  std::vector<float> weight = examples::powersOfTen();
  for (float value : examples::powersOfTen())
    weight.push_back(-value);
  std::vector<float> bias(groups, 0.0f);

  deconv::NetworkDefinition network;
  deconv::Tensor *input =
      network.addInput("inputT0", deconv::ElementType::F32, {1, 2, 3, 3});
  deconv::DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
      *input, /*numOutputMaps=*/groups, {3, 3}, examples::weightsOf(weight),
      examples::weightsOf(bias));
  deconvolution->setNbGroups(groups);
  network.markOutput(*deconvolution->getOutput(0));

  deconv::HostTensor data(deconv::ElementType::F32, {1, 2, 3, 3});
  for (int64_t i = 0; i < data.getNumElements(); ++i)
    data.setFromDouble(i, i % 9 + 1);
  return examples::compileAndRun(network, options, {&data}, "groups");
}
