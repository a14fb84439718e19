//===- stride.cpp - strides per axis ---------------------------------------===//
//
// TensorRT cookbook, "stride_nd": the initial example with strides (2,2),
// (2,1) and (1,2); each stride-2 axis grows from 5 to 7.
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);
  std::vector<float> weight = examples::powersOfTen();
  std::vector<float> bias = {0.0f};
  deconv::HostTensor data = examples::iota({1, 1, 3, 3});

  for (const deconv::Dims &stride :
       {deconv::Dims{2, 2}, deconv::Dims{2, 1}, deconv::Dims{1, 2}}) {
    deconv::NetworkDefinition network;
    deconv::Tensor *input =
        network.addInput("inputT0", deconv::ElementType::F32, {1, 1, 3, 3});
    deconv::DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
        *input, 1, {3, 3}, examples::weightsOf(weight),
        examples::weightsOf(bias));
    deconvolution->setStrideNd(stride);
    network.markOutput(*deconvolution->getOutput(0));
    std::string name = "stride-" + std::to_string(stride[0]) + "-" +
                       std::to_string(stride[1]);
    if (int failed = examples::compileAndRun(network, options, {&data}, name))
      return failed;
  }
  return 0;
}
