//===- padding-mode.cpp - TensorRT's padding modes -------------------------===//
//
// TensorRT cookbook, "padding_mode": stride 2 with each padding mode. The
// SAME modes give I*S = 6 per axis, cropping the extra row and column at the
// end (SAME_UPPER) or at the start (SAME_LOWER); the explicit and Caffe
// modes round a deconvolution's size the same way, giving 7.
//
//===----------------------------------------------------------------------===//

#include "ExampleSupport.h"

int main(int argc, char **argv) {
  examples::Options options = examples::parseOptions(argc, argv);
  std::vector<float> weight = examples::powersOfTen();
  std::vector<float> bias = {0.0f};
  deconv::HostTensor data = examples::iota({1, 1, 3, 3});

  const std::pair<deconv::PaddingMode, const char *> modes[] = {
      {deconv::PaddingMode::SameUpper, "same-upper"},
      {deconv::PaddingMode::SameLower, "same-lower"},
      {deconv::PaddingMode::ExplicitRoundUp, "explicit-round-up"},
      {deconv::PaddingMode::ExplicitRoundDown, "explicit-round-down"},
      {deconv::PaddingMode::CaffeRoundUp, "caffe-round-up"},
      {deconv::PaddingMode::CaffeRoundDown, "caffe-round-down"}};
  for (const auto &[mode, name] : modes) {
    deconv::NetworkDefinition network;
    deconv::Tensor *input =
        network.addInput("inputT0", deconv::ElementType::F32, {1, 1, 3, 3});
    deconv::DeconvolutionLayer *deconvolution = network.addDeconvolutionNd(
        *input, 1, {3, 3}, examples::weightsOf(weight),
        examples::weightsOf(bias));
    deconvolution->setStrideNd({2, 2});
    deconvolution->setPaddingMode(mode);
    network.markOutput(*deconvolution->getOutput(0));
    if (int failed = examples::compileAndRun(network, options, {&data}, name))
      return failed;
  }
  return 0;
}
