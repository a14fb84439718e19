//===- deconv3d.cpp - a three-dimensional deconvolution --------------------===//
//
// TensorRT cookbook, "3-D deconvolution": a (1,1,2,3,3) input with 1..9 in
// both depth slices and a 2x3x3 kernel holding w then -w in depth. Output
// depth 0 is x*w, depth 2 is -(x*w), and depth 1 adds the two, exactly 0.
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);
  std::vector<float> weight = examples::powersOfTen();
  for (float value : examples::powersOfTen())
    weight.push_back(-value);
  std::vector<float> bias = {0.0f};

  deconv::NetworkDefinition network;
  deconv::Tensor *input =
      network.addInput("inputT0", deconv::ElementType::F32, {1, 1, 2, 3, 3});
  deconv::DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
      *input, 1, /*kernelSize=*/{2, 3, 3}, examples::weightsOf(weight),
      examples::weightsOf(bias));
  network.markOutput(*deconvolution->getOutput(0));

  deconv::HostTensor data(deconv::ElementType::F32, {1, 1, 2, 3, 3});
  for (int64_t i = 0; i < data.getNumElements(); ++i)
    data.setFromDouble(i, i % 9 + 1);
  return examples::compileAndRun(network, options, {&data}, "deconv3d");
}
