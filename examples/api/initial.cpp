//===- initial.cpp - the cookbook's first deconvolution --------------------===//
//
// TensorRT cookbook, "initial example": a (1,1,3,3) input holding 1..9, one
// output map, a 3x3 kernel of 1e4 ... 1e-4 and a zero bias; stride 1, no
// padding, so the result is (1,1,5,5).
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);
  std::vector<float> weight = examples::powersOfTen();
  std::vector<float> bias = {0.0f};

  deconv::NetworkDefinition network;
  deconv::Tensor *input =
      network.addInput("inputT0", deconv::ElementType::F32, {1, 1, 3, 3});
  deconv::DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
      *input, /*numOutputMaps=*/1, /*kernelSize=*/{3, 3},
      examples::weightsOf(weight), examples::weightsOf(bias));
  network.markOutput(*deconvolution->getOutput(0));

  deconv::HostTensor data = examples::iota({1, 1, 3, 3});
  return examples::compileAndRun(network, options, {&data}, "initial");
}
