//===- TransposeKernel.cpp - layout transposes on the GPU -----------------===//

#include "deconv/Target/CUDA/TransposeKernel.h"

using namespace mlir;
using namespace mlir::deconv;

std::string mlir::deconv::getCudaStorageType(::deconv::ElementType type) {
  switch (type) {
  case ::deconv::ElementType::F32:
    return "float";
  case ::deconv::ElementType::F16:
  case ::deconv::ElementType::BF16:
    return "unsigned short";
  case ::deconv::ElementType::I8:
    return "signed char";
  case ::deconv::ElementType::U8:
    return "unsigned char";
  }
  return "";
}

std::string mlir::deconv::widenToFloat(::deconv::ElementType type,
                                       const std::string &value) {
  if (type == ::deconv::ElementType::F16)
    return "deconv_half_to_float(" + value + ")";
  if (type == ::deconv::ElementType::BF16)
    return "deconv_bfloat16_to_float(" + value + ")";
  return value;
}

std::string mlir::deconv::narrowFromFloat(::deconv::ElementType type,
                                          const std::string &value) {
  if (type == ::deconv::ElementType::F16)
    return "deconv_float_to_half(" + value + ")";
  if (type == ::deconv::ElementType::BF16)
    return "deconv_float_to_bfloat16(" + value + ")";
  return value;
}

std::vector<std::string>
mlir::deconv::getKernelDimensions(::deconv::PlanKernel &kernel,
                                  const std::vector<std::string> &shape) {
  std::vector<std::string> dims;
  for (size_t d = 0; d < shape.size(); ++d) {
    const std::string &size = shape[d];
    if (!size.empty() &&
        size.find_first_not_of("0123456789") == std::string::npos) {
      dims.push_back(size + "LL");
      continue;
    }
    std::string macro = "DECONV_IN_DIM" + std::to_string(d);
    kernel.macros.emplace_back(macro, size);
    dims.push_back(macro);
  }
  return dims;
}

::deconv::PlanKernel
mlir::deconv::emitTransposeKernel(const std::string &name,
                                  ::deconv::ElementType type,
                                  const std::vector<std::string> &inputShape,
                                  llvm::ArrayRef<int64_t> permutation) {
  ::deconv::PlanKernel kernel;
  kernel.name = name;
  kernel.strategy = "transpose";
  std::vector<std::string> dims = getKernelDimensions(kernel, inputShape);
  std::string total = "1LL";
  for (const std::string &dim : dims)
    total += " * " + dim;
  const uint32_t blockSize = 256;
  kernel.block = {blockSize, 1, 1};
  kernel.grid = {"deconv_ceildiv(" + total + ", " + std::to_string(blockSize) +
                     ")",
                 "1", "1"};

  std::string source = "// deconv: " + name +
                       ", a layout transpose\n"
                       "#include \"deconv_device.h\"\n";
  for (const auto &[macro, value] : kernel.macros)
    source += "#ifndef " + macro + "\n#error \"" + macro +
              " (a dynamic size) must be defined\"\n#endif\n";
  source += "#define DECONV_TOTAL_THREADS (" + total + ")\n\n";
  std::string storage = getCudaStorageType(type);
  source += "extern \"C\" __global__ void __launch_bounds__(" +
            std::to_string(blockSize) + ")\n" + name + "(DECONV_GLOBAL(const " +
            storage + ") input, DECONV_GLOBAL(" + storage +
            ") result) {\n"
            "  long long thread = (long long)blockIdx.x * blockDim.x + "
            "threadIdx.x;\n"
            "  if (thread >= DECONV_TOTAL_THREADS)\n    return;\n"
            "  long long rest = thread, source = 0;\n";
  // Input strides, then walk the output dimensions innermost first.
  std::vector<std::string> strides(dims.size(), "1LL");
  for (size_t d = dims.size(); d-- > 1;)
    strides[d - 1] = strides[d] + " * " + dims[d];
  for (size_t k = dims.size(); k-- > 0;) {
    const std::string &extent = dims[permutation[k]];
    source += "  source += (rest % (" + extent + ")) * (" +
              strides[permutation[k]] + ");\n  rest /= (" + extent + ");\n";
  }
  source += "  result[thread] = input[source];\n}\n";
  kernel.source = std::move(source);
  return kernel;
}
