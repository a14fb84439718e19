//===- padding.cpp - symmetric, leading and trailing crops -----------------===//
//
// TensorRT cookbook, "padding_nd", "pre_padding" and "post_padding": the
// initial example cropped on both ends of an axis, at its start only, or at
// its end only (a deconvolution's padding removes output rows and columns).
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

namespace {

enum class Crop { Both, Pre, Post };

int runCase(const examples::Options &options, Crop crop,
            const deconv::Dims &padding) {
  std::vector<float> weight = examples::powersOfTen();
  std::vector<float> bias = {0.0f};
  deconv::HostTensor data = examples::iota({1, 1, 3, 3});

  deconv::NetworkDefinition network;
  deconv::Tensor *input =
      network.addInput("inputT0", deconv::ElementType::F32, {1, 1, 3, 3});
  deconv::DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
      *input, 1, {3, 3}, examples::weightsOf(weight),
      examples::weightsOf(bias));
  std::string name;
  switch (crop) {
  case Crop::Both:
    deconvolution->setPaddingNd(padding);
    name = "padding";
    break;
  case Crop::Pre:
    deconvolution->setPrePadding(padding);
    name = "pre-padding";
    break;
  case Crop::Post:
    deconvolution->setPostPadding(padding);
    name = "post-padding";
    break;
  }
  network.markOutput(*deconvolution->getOutput(0));
  name += "-" + std::to_string(padding[0]) + "-" + std::to_string(padding[1]);
  return examples::compileAndRun(network, options, {&data}, name);
}

} // namespace

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);
  const deconv::Dims paddings[] = {{1, 1}, {1, 0}, {0, 1}};
  for (const deconv::Dims &padding : paddings)
    for (Crop crop : {Crop::Both, Crop::Pre, Crop::Post})
      if (int failed = runCase(options, crop, padding))
        return failed;
  return runCase(options, Crop::Both, {2, 2});
}
