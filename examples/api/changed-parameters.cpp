//===- changed-parameters.cpp - set every parameter after creation ---------===//
//
// TensorRT cookbook, "num_output_maps & kernel_size_nd & kernel & bias": the
// layer is created with placeholders (one map, a 1x1 kernel, one weight, no
// bias) and then given the initial example's parameters, which it must then
// reproduce.
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);
  std::vector<float> placeholder = {0.0f};
  std::vector<float> weight = examples::powersOfTen();
  std::vector<float> bias = {0.0f};

  deconv::NetworkDefinition network;
  deconv::Tensor *input =
      network.addInput("inputT0", deconv::ElementType::F32, {1, 1, 3, 3});
  deconv::DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
      *input, 1, {1, 1}, examples::weightsOf(placeholder));
  deconvolution->setNbOutputMaps(1);
  deconvolution->setKernelSizeNd({3, 3});
  deconvolution->setKernelWeights(examples::weightsOf(weight));
  deconvolution->setBiasWeights(examples::weightsOf(bias));
  network.markOutput(*deconvolution->getOutput(0));

  deconv::HostTensor data = examples::iota({1, 1, 3, 3});
  return examples::compileAndRun(network, options, {&data},
                                 "changed-parameters");
}
