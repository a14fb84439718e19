//===- NpyTest.cpp - .npy files, inline tensors, half conversions ---------===//
//
// Expected bytes and bit patterns come from NumPy's format description and
// the IEEE 754 encodings, worked by hand.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Npy.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace deconv;

namespace {

std::string npyFile(const std::string &dict, const std::string &data,
                    char major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string file = "\x93NUMPY";
  file += major;
  file += '\0';
  file += static_cast<char>(header.size() & 0xff);
  file += static_cast<char>(header.size() >> 8);
  if (major != 1)
    file += std::string(2, '\0');
  return file + header + data;
}

std::string floats(std::initializer_list<float> values) {
  std::string bytes(values.size() * 4, '\0');
  std::memcpy(bytes.data(), values.begin(), bytes.size());
  return bytes;
}

TEST(Npy, ReadsVersion1) {
  StatusOr<HostTensor> tensor = parseNpy(
      npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
              floats({1, 2, 3, 4, 5, 6})));
  ASSERT_TRUE(tensor) << tensor.message();
  EXPECT_EQ(tensor->getShape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(tensor->getElementType(), ElementType::F32);
  EXPECT_EQ(tensor->getAsDouble(5), 6.0);
}

TEST(Npy, ReadsVersions2And3AndDoubleQuotes) {
  for (char major : {'\x02', '\x03'}) {
    StatusOr<HostTensor> tensor = parseNpy(npyFile(
        "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1,), }",
        floats({7}), major));
    ASSERT_TRUE(tensor) << tensor.message();
    EXPECT_EQ(tensor->getShape(), (std::vector<int64_t>{1}));
    EXPECT_EQ(tensor->getAsDouble(0), 7.0);
  }
}

TEST(Npy, ReadsScalarsAndEmptyArrays) {
  StatusOr<HostTensor> scalar = parseNpy(npyFile(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", floats({3})));
  ASSERT_TRUE(scalar) << scalar.message();
  EXPECT_TRUE(scalar->getShape().empty());
  StatusOr<HostTensor> empty = parseNpy(npyFile(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", ""));
  ASSERT_TRUE(empty) << empty.message();
  EXPECT_EQ(empty->getNumElements(), 0);
}

TEST(Npy, RoundTrips) {
  for (ElementType type :
       {ElementType::F32, ElementType::F16, ElementType::BF16, ElementType::I8,
        ElementType::U8}) {
    HostTensor tensor(type, {2, 1, 3});
    for (int64_t i = 0; i < tensor.getNumElements(); ++i)
      tensor.setFromDouble(i, i - 2.0);
    std::string bytes = serializeNpy(tensor);
    // NumPy aligns the data to 64 bytes.
    EXPECT_EQ((bytes.size() - tensor.getSizeInBytes()) % 64, 0u);
    StatusOr<HostTensor> back = parseNpy(bytes);
    ASSERT_TRUE(back) << back.message();
    EXPECT_EQ(back->getElementType(), type);
    EXPECT_EQ(back->getShape(), tensor.getShape());
    EXPECT_EQ(std::memcmp(back->data(), tensor.data(), tensor.getSizeInBytes()),
              0);
  }
}

TEST(Npy, WritesTheHeaderNumPyWrites) {
  HostTensor tensor(ElementType::F32, {3});
  std::string bytes = serializeNpy(tensor);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_NE(bytes.find("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (3,), }"),
            std::string::npos);
  HostTensor matrix(ElementType::F16, {2, 5});
  EXPECT_NE(serializeNpy(matrix).find("'descr': '<f2'"), std::string::npos);
  EXPECT_NE(serializeNpy(matrix).find("'shape': (2, 5)"), std::string::npos);
}

TEST(Npy, RejectsMalformedFiles) {
  auto error = [](const std::string &file) {
    StatusOr<HostTensor> tensor = parseNpy(file);
    return tensor ? std::string("no error") : tensor.message();
  };
  EXPECT_EQ(error("hello"), "malformed .npy: missing the \\x93NUMPY magic "
                            "string");
  EXPECT_EQ(error(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': "
                          "(2,), }",
                          floats({1}))),
            "malformed .npy: data holds 4 bytes but shape (2) of f32 needs 8 "
            "(truncated file)");
  EXPECT_EQ(error(npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': "
                          "(1,), }",
                          std::string(8, '\0'))),
            "unsupported .npy dtype '<f8' (supported: '<f4' f32, '<f2' f16, "
            "'bfloat16' bf16, '|i1' int8, '|u1' uint8)");
  EXPECT_EQ(error(npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': "
                          "(1,), }",
                          floats({1}))),
            "Fortran-order .npy data is not supported; save a C order array "
            "(np.ascontiguousarray)");
  EXPECT_EQ(
      error(npyFile("{'fortran_order': False, 'shape': (1,), }", floats({1}))),
      "malformed .npy: header has no 'descr' string");
  EXPECT_EQ(error(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': "
                          "(99999999999999999999,), }",
                          "")),
            "malformed .npy: bad size in 'shape' (99999999999999999999,)");
  EXPECT_EQ(error(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': "
                          "(4294967296, 4294967296, 4294967296), }",
                          "")),
            "malformed .npy: 'shape' (4294967296, 4294967296, 4294967296) is "
            "too large");
  std::string overrun = npyFile("{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (1,), }",
                                floats({1}));
  overrun[8] = '\xff';
  overrun[9] = '\xff';
  EXPECT_EQ(error(overrun), "malformed .npy: header of 65535 bytes runs past "
                            "the end of the file");
}

TEST(Npy, MissingFileNamesThePath) {
  StatusOr<HostTensor> tensor = readNpyFile("/nonexistent/x.npy");
  ASSERT_FALSE(tensor);
  EXPECT_EQ(tensor.message(),
            "cannot open '/nonexistent/x.npy': No such file or directory");
}

TEST(InlineTensor, ParsesIreeForm) {
  StatusOr<HostTensor> tensor = parseInlineTensor("2x3xf32=1 2 3 4 5 6");
  ASSERT_TRUE(tensor) << tensor.message();
  EXPECT_EQ(tensor->getShape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(tensor->getAsDouble(4), 5.0);
  StatusOr<HostTensor> splat = parseInlineTensor("2x2xbf16=0.5");
  ASSERT_TRUE(splat) << splat.message();
  EXPECT_EQ(splat->getAsDouble(3), 0.5);
  StatusOr<HostTensor> commas = parseInlineTensor("3xf16=1,-2, 3e-1");
  ASSERT_TRUE(commas) << commas.message();
  EXPECT_EQ(commas->getAsDouble(1), -2.0);
  EXPECT_FALSE(parseInlineTensor("2xf32=1 2 3"));
  EXPECT_FALSE(parseInlineTensor("2xq8=1"));
  EXPECT_FALSE(parseInlineTensor("x2xf32=1"));
  EXPECT_FALSE(parseInlineTensor("99999999999999xf32=1"));
  StatusOr<HostTensor> huge = parseInlineTensor("100000x100000x100000xf32=1");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.message(), "inline input '100000x100000x100000xf32=1' is too "
                            "large (more than 2^28 elements)");
}

TEST(HalfPrecision, EncodesByHand) {
  // f16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 (max) = 0x7bff, 2^-24 = 0x0001,
  // 65520 rounds to infinity (0x7c00), 1 + 2^-11 ties to even (0x3c00).
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);
  EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(halfToFloat(0x7c00)));
  EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(NAN))));
  // bf16 keeps the top 16 bits of f32, rounding to nearest even:
  // 1.0 = 0x3f80; 1 + 2^-8 ties to even 0x3f80; 1 + 3*2^-8 rounds up 0x3f82.
  EXPECT_EQ(floatToBfloat16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBfloat16(1.0f + std::ldexp(1.0f, -8)), 0x3f80);
  EXPECT_EQ(floatToBfloat16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3f82);
  EXPECT_EQ(bfloat16ToFloat(0xc040), -3.0f);
}

} // namespace

TEST(Npy, ErrorsQuotingInputStayOneLine) {
  // Found by the fuzz targets: messages quote what they refuse, and a
  // newline in it made them two lines. Control characters are escaped.
  StatusOr<HostTensor> tensor = parseInlineTensor("2x3xf3\n=1 2 3 5 6");
  ASSERT_FALSE(tensor);
  EXPECT_EQ(tensor.message(),
            "inline input '2x3xf3\\n=1 2 3 5 6': unknown element type 'f3\\n'");
  EXPECT_EQ(Status::error(std::string("a\tb\x01") + '\x7f').message(),
            "a\\tb\\x01\\x7f");
}
