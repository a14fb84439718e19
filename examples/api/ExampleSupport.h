//===- ExampleSupport.h - what the API examples share -----------*- C++ -*-===//
//
// The examples mirror the TensorRT cookbook's deconvolution chapter: each
// builds a network with the C++ API, compiles it, runs it and prints the
// result as the cookbook does. This header holds only their common chores:
// the command line (--target=cpu|cuda, --output-dir=DIR to also write each
// result as DIR/<case>.npy for the tests), the cookbook's data, and
// compile-run-print.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_EXAMPLES_EXAMPLESUPPORT_H
#define DECONV_EXAMPLES_EXAMPLESUPPORT_H

#include "deconv/Executable.h"
#include "deconv/Network.h"
#include "deconv/Runtime/Npy.h"
#include "deconv/Runtime/RunTool.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace examples {

struct Options {
  deconv::Target target = deconv::Target::Cpu;
  std::string outputDirectory;
};

/// Parses --target=cpu|cuda|cuda-emulator and --output-dir=DIR; exits on
/// anything else.
inline Options parseOptions(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--target=cpu") {
      options.target = deconv::Target::Cpu;
    } else if (argument == "--target=cuda") {
      options.target = deconv::Target::Cuda;
    } else if (argument == "--target=cuda-emulator") {
      options.target = deconv::Target::CudaEmulator;
    } else if (argument.rfind("--output-dir=", 0) == 0) {
      options.outputDirectory = argument.substr(std::strlen("--output-dir="));
    } else {
      std::fprintf(stderr,
                   "usage: %s [--target=cpu|cuda|cuda-emulator] "
                   "[--output-dir=DIR]\n",
                   argv[0]);
      std::exit(2);
    }
  }
  return options;
}

/// The cookbook's input: 1, 2, 3, ... in a tensor of `shape`.
inline deconv::HostTensor iota(std::vector<int64_t> shape) {
  deconv::HostTensor tensor(deconv::ElementType::F32, std::move(shape));
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    tensor.setFromDouble(i, i + 1);
  return tensor;
}

/// The cookbook's kernel, 1e4, 1e3, ..., 1e-4: every output digit shows
/// which input met which tap.
inline std::vector<float> powersOfTen() {
  std::vector<float> values;
  for (int exponent = 4; exponent >= -4; --exponent)
    values.push_back(static_cast<float>(std::pow(10.0, exponent)));
  return values;
}

inline deconv::Weights weightsOf(const std::vector<float> &values) {
  return {deconv::ElementType::F32, values.data(),
          static_cast<int64_t>(values.size())};
}

/// Compiles `network`, runs it on `inputs`, prints each result and writes
/// it to DIR/<name>.npy when --output-dir was given. Returns 0, or 1 after
/// printing the error.
inline int compileAndRun(const deconv::NetworkDefinition &network,
                         const Options &options,
                         const std::vector<const deconv::HostTensor *> &inputs,
                         const std::string &name) {
  deconv::CompileOptions compileOptions;
  compileOptions.target = options.target;
  deconv::StatusOr<deconv::Executable> executable =
      deconv::compileNetwork(network, compileOptions);
  if (!executable) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(),
                 executable.message().c_str());
    return 1;
  }
  deconv::StatusOr<std::vector<deconv::HostTensor>> results =
      executable->run(inputs);
  if (!results) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), results.message().c_str());
    return 1;
  }
  for (const deconv::HostTensor &result : *results) {
    std::printf("%s: %s\n", name.c_str(), result.getTypeString().c_str());
    deconv::printTensor(result);
    if (options.outputDirectory.empty())
      continue;
    std::string path = options.outputDirectory + "/" + name + ".npy";
    if (deconv::Status status = deconv::writeNpyFile(path, result); !status) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), status.message().c_str());
      return 1;
    }
  }
  return 0;
}

} // namespace examples

#endif // DECONV_EXAMPLES_EXAMPLESUPPORT_H
