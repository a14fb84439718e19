//===- set-input.cpp - kernel weights from another tensor ------------------===//
//
// TensorRT cookbook, "set_input": the layer is created with empty kernel
// weights and given its kernel by setInput(1, tensor). Here the tensor is a
// network input, so the weights arrive at run time. The cookbook passes the
// kernel through int8 quantize/dequantize with scale 1; the network builder
// has no quantize layer yet, so this program applies that rounding to the
// weights it feeds: round(clamp(w, -128, 127)) turns 1e4 ... 1e-4 into
// 127, 127, 100, 10, 1, 0, 0, 0, 0.
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

#include <algorithm>

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);

  deconv::NetworkDefinition network;
  deconv::Tensor *input =
      network.addInput("inputT0", deconv::ElementType::F32, {1, 1, 3, 3});
  deconv::Tensor *kernel =
      network.addInput("kernel", deconv::ElementType::F32, {1, 1, 3, 3});
  deconv::DeconvolutionLayer *deconvolution =
      network.addDeconvolutionNd(*input, 1, {3, 3}, deconv::Weights{});
  deconvolution->setInput(1, *kernel);
  network.markOutput(*deconvolution->getOutput(0));

  deconv::HostTensor data = examples::iota({1, 1, 3, 3});
  deconv::HostTensor weight(deconv::ElementType::F32, {1, 1, 3, 3});
  std::vector<float> powers = examples::powersOfTen();
  for (int64_t i = 0; i < weight.getNumElements(); ++i)
    weight.setFromDouble(
        i, std::nearbyint(std::clamp(powers[i], -128.0f, 127.0f)));
  return examples::compileAndRun(network, options, {&data, &weight},
                                 "set-input");
}
