//===- main.cpp - a downstream program of the installed C++ API ----------===//
//
// Builds a one-layer network with the public API, compiles it for the CPU,
// runs it, prints the result and checks it against values worked out by
// hand. Exits 0 when they all match.
//
//===----------------------------------------------------------------------===//

#include "deconv/Executable.h"
#include "deconv/Network.h"

#include <cstdio>
#include <vector>

int main() {
  // x (1x1x2x2) = [[1, 2], [3, 4]], w (Cin x Cout x 2x2) = [[10, 20],
  // [30, 40]], stride 2, no padding: the output is 1x1x4x4 and the 2x2 taps
  // of neighbouring inputs never overlap, so each output is one product,
  // y[2i + a][2j + b] = x[i][j] * w[a][b]:
  //   row 0 (i=0, a=0): 1*10 1*20 2*10 2*20 = 10  20  20  40
  //   row 1 (i=0, a=1): 1*30 1*40 2*30 2*40 = 30  40  60  80
  //   row 2 (i=1, a=0): 3*10 3*20 4*10 4*20 = 30  60  40  80
  //   row 3 (i=1, a=1): 3*30 3*40 4*30 4*40 = 90 120 120 160
  const std::vector<double> expected = {10, 20, 20, 40,  30, 40,  60,  80,
                                        30, 60, 40, 80,  90, 120, 120, 160};
  const std::vector<float> weight = {10, 20, 30, 40};

  deconv::NetworkDefinition network;
  deconv::Tensor *x =
      network.addInput("x", deconv::ElementType::F32, {1, 1, 2, 2});
  deconv::DeconvolutionLayer *up = network.addDeconvolutionNd(
      *x, /*numOutputMaps=*/1, /*kernelSize=*/{2, 2},
      {deconv::ElementType::F32, weight.data(),
       static_cast<int64_t>(weight.size())});
  up->setStrideNd({2, 2});
  network.markOutput(*up->getOutput(0));

  deconv::StatusOr<deconv::Executable> executable =
      deconv::compileNetwork(network, deconv::CompileOptions());
  if (!executable) {
    std::fprintf(stderr, "compile: %s\n", executable.message().c_str());
    return 1;
  }
  deconv::HostTensor input(deconv::ElementType::F32, {1, 1, 2, 2});
  for (int64_t i = 0; i < input.getNumElements(); ++i)
    input.setFromDouble(i, i + 1);
  deconv::StatusOr<std::vector<deconv::HostTensor>> results =
      executable->run({&input});
  if (!results) {
    std::fprintf(stderr, "run: %s\n", results.message().c_str());
    return 1;
  }

  const deconv::HostTensor &y = results->at(0);
  std::printf("%s\n", y.getTypeString().c_str());
  int mismatches = 0;
  if (y.getShape() != std::vector<int64_t>{1, 1, 4, 4}) {
    std::fprintf(stderr, "expected a 1x1x4x4 result\n");
    return 1;
  }
  for (int64_t i = 0; i < y.getNumElements(); ++i) {
    std::printf("%g%s", y.getAsDouble(i), i % 4 == 3 ? "\n" : " ");
    // Products of small integers: exact in f32.
    if (y.getAsDouble(i) != expected[i]) {
      std::fprintf(stderr, "element %lld: got %g, expected %g\n",
                   static_cast<long long>(i), y.getAsDouble(i), expected[i]);
      ++mismatches;
    }
  }
  return mismatches == 0 ? 0 : 1;
}
