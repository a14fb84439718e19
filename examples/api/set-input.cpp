//===- set-input.cpp - kernel weights from another tensor
//------------------===//
//
// TensorRT cookbook, "set_input": the layer is created with empty kernel
// weights and given its kernel by setInput(1, tensor). Here the tensor is a
// network input, so the weights arrive at run time. As in the cookbook the
// data and the kernel each pass through an int8 quantize/dequantize pair
// with scale 1 (axis 0, one scale: per tensor), which turns the kernel's
// 1e4 ... 1e-4 into 127, 127, 100, 10, 1, 0, 0, 0, 0.
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);

  deconv::NetworkDefinition network;
  deconv::Tensor *input =
      network.addInput("inputT0", deconv::ElementType::F32, {1, 1, 3, 3});
  deconv::Tensor *kernel =
      network.addInput("kernel", deconv::ElementType::F32, {1, 1, 3, 3});
  // Quantize, then dequantize, with scale 1 and zero point 0.
  auto roundTrip = [&](deconv::Tensor &tensor) -> deconv::Tensor & {
    deconv::QuantizationLayer *quantize =
        network.addQuantize(tensor, deconv::ElementType::I8, {1.0f}, {0}, 0);
    return *network
                .addDequantize(*quantize->getOutput(0),
                               deconv::ElementType::F32, {1.0f}, {0}, 0)
                ->getOutput(0);
  };
  deconv::DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
      roundTrip(*input), 1, {3, 3}, deconv::Weights{});
  deconvolution->setInput(1, roundTrip(*kernel));
  network.markOutput(*deconvolution->getOutput(0));

  deconv::HostTensor data = examples::iota({1, 1, 3, 3});
  deconv::HostTensor weight(deconv::ElementType::F32, {1, 1, 3, 3});
  std::vector<float> powers = examples::powersOfTen();
  for (int64_t i = 0; i < weight.getNumElements(); ++i)
    weight.setFromDouble(i, powers[i]);
  return examples::compileAndRun(network, options, {&data, &weight},
                                 "set-input");
}
