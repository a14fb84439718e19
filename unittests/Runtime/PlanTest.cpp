//===- PlanTest.cpp - compiled plan files ---------------------------------===//

#include "deconv/Runtime/Plan.h"

#include "gtest/gtest.h"

#include <array>

using namespace deconv;

namespace {

Plan samplePlan() {
  Plan plan;
  plan.function = "main";
  plan.inputs.push_back({ElementType::F32, {"?", "1", "3", "3"}});
  PlanBuffer input;
  input.kind = PlanBuffer::Kind::Input;
  input.shape = {"IN0_D0", "1", "3", "3"};
  PlanBuffer weight;
  weight.kind = PlanBuffer::Kind::Constant;
  weight.shape = {"1", "1", "1", "2"};
  weight.data = std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);
  PlanBuffer result;
  result.shape = {"IN0_D0", "1", "3", "4"};
  plan.buffers = {input, weight, result};
  PlanKernel kernel;
  kernel.name = "deconv_kernel_0";
  kernel.source = "extern \"C\" __global__ void deconv_kernel_0() {}";
  kernel.strategy = "direct";
  kernel.block = {128, 2, 1};
  kernel.grid = {"deconv_ceildiv(DECONV_INPUT_DIM0 * 12, 256)", "1", "2"};
  kernel.sharedBytes = "DECONV_INPUT_DIM0 * 4";
  kernel.macros = {{"DECONV_INPUT_DIM0", "IN0_D0"}};
  kernel.cubins = {{"sm_90", std::string("\x7f"
                                         "ELF\x00\x01",
                                         6)}};
  plan.kernels = {kernel};
  plan.steps = {{0, {0, 1, 2}}};
  plan.outputs = {{2, {"IN0_D0", "1", "12"}}};
  return plan;
}

TEST(Plan, RoundTrips) {
  std::string bytes = serializePlan(samplePlan());
  EXPECT_TRUE(looksLikePlan(bytes));
  StatusOr<Plan> plan = parsePlan(bytes);
  ASSERT_TRUE(plan) << plan.message();
  EXPECT_EQ(plan->function, "main");
  EXPECT_EQ(plan->inputs[0].shape[0], "?");
  ASSERT_EQ(plan->buffers.size(), 3u);
  EXPECT_EQ(plan->buffers[1].kind, PlanBuffer::Kind::Constant);
  EXPECT_EQ(plan->buffers[1].data.size(), 8u);
  EXPECT_EQ(plan->buffers[2].shape[3], "4");
  EXPECT_EQ(plan->kernels[0].macros[0].second, "IN0_D0");
  EXPECT_EQ(plan->kernels[0].strategy, "direct");
  EXPECT_EQ(plan->kernels[0].block, (std::array<uint32_t, 3>{128, 2, 1}));
  EXPECT_EQ(plan->kernels[0].grid[0],
            "deconv_ceildiv(DECONV_INPUT_DIM0 * 12, 256)");
  EXPECT_EQ(plan->kernels[0].grid[2], "2");
  EXPECT_EQ(plan->kernels[0].sharedBytes, "DECONV_INPUT_DIM0 * 4");
  EXPECT_EQ(plan->kernels[0].cubins[0].second.size(), 6u);
  EXPECT_EQ(plan->steps[0].buffers, (std::vector<uint32_t>{0, 1, 2}));
  ASSERT_EQ(plan->outputs.size(), 1u);
  EXPECT_EQ(plan->outputs[0].buffer, 2u);
  EXPECT_EQ(plan->outputs[0].shape[2], "12");
  EXPECT_EQ(serializePlan(*plan), bytes);
}

TEST(Plan, RefusesDamagedFiles) {
  std::string bytes = serializePlan(samplePlan());
  auto error = [](std::string_view file) {
    StatusOr<Plan> plan = parsePlan(file);
    return plan ? std::string("no error") : plan.message();
  };
  EXPECT_EQ(error("func.func @main()"),
            "not a deconv plan (no DECONV-PLAN header)");
  // Every truncation is an error, never a crash.
  for (size_t cut = 0; cut < bytes.size(); cut += 7)
    EXPECT_NE(error(bytes.substr(0, cut)), "no error") << cut;
  std::string flipped = bytes;
  flipped[flipped.size() - 10] ^= 0x20;
  EXPECT_EQ(error(flipped), "corrupt plan: checksum mismatch");
  EXPECT_EQ(error(bytes + "x"), "corrupt plan: 1 bytes after the payload");
  // Plans of other format versions are refused by number, older or newer.
  std::string old = bytes;
  old[12] = 1;
  EXPECT_EQ(error(old), "unsupported plan version 1 (this runtime reads 3)");
  old[12] = 2; // Before splat constants.
  EXPECT_EQ(error(old), "unsupported plan version 2 (this runtime reads 3)");
  std::string future = bytes;
  future[12] = 4;
  EXPECT_EQ(error(future), "unsupported plan version 4 (this runtime reads 3)");
}

TEST(Plan, RefusesInconsistentContents) {
  auto error = [](const Plan &plan) {
    StatusOr<Plan> parsed = parsePlan(serializePlan(plan));
    return parsed ? std::string("no error") : parsed.message();
  };
  Plan plan = samplePlan();
  plan.steps[0].kernel = 5;
  EXPECT_EQ(error(plan), "inconsistent plan: step 0 names kernel 5 of 1");
  plan = samplePlan();
  plan.steps[0].buffers.push_back(9);
  EXPECT_EQ(error(plan), "inconsistent plan: step 0 names buffer 9 of 3");
  plan = samplePlan();
  plan.outputs = {{3, {"1"}}};
  EXPECT_EQ(error(plan), "inconsistent plan: an output names buffer 3 of 3");
  plan = samplePlan();
  plan.buffers[0].input = 1;
  EXPECT_EQ(error(plan), "inconsistent plan: buffer 0 holds input 1 of 1");
  plan = samplePlan();
  plan.buffers[1].data.pop_back();
  EXPECT_EQ(error(plan),
            "inconsistent plan: buffer 1 holds 7 bytes for 2 elements");
  // A splat holds one value of its element type, whatever its shape; its
  // bytes must still fit int64.
  plan = samplePlan();
  plan.buffers[1].kind = PlanBuffer::Kind::Splat;
  EXPECT_EQ(error(plan), "inconsistent plan: buffer 1 is a splat of 8 "
                         "bytes, not one 4-byte value");
  plan.buffers[1].data.resize(4);
  plan.buffers[1].shape = {"1000000", "1000000", "1000000"};
  EXPECT_EQ(error(plan), "no error");
  plan.buffers[1].shape = {"1000000", "1000000", "1000000", "10000"};
  EXPECT_EQ(error(plan), "inconsistent plan: buffer 1 is a constant of more "
                         "than 2^63 bytes");
  plan = samplePlan();
  plan.buffers[1].shape[0] = "IN0_D0";
  EXPECT_EQ(error(plan), "inconsistent plan: buffer 1 is a constant of "
                         "non-static size 'IN0_D0'");
  plan = samplePlan();
  plan.kernels[0].block = {0, 1, 1};
  EXPECT_EQ(error(plan), "corrupt plan: block 0x1x1 of kernel deconv_kernel_0");
  plan.kernels[0].block = {64, 32, 1};
  EXPECT_EQ(error(plan),
            "corrupt plan: block 64x32x1 of kernel deconv_kernel_0");
  plan.kernels[0].block = {1, 1, 65};
  EXPECT_EQ(error(plan),
            "corrupt plan: block 1x1x65 of kernel deconv_kernel_0");
}

TEST(Plan, FilesRoundTripAndMissingFilesAreNamed) {
  char pattern[] = "/tmp/deconv-plan-test-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  std::string path = std::string(pattern) + "/a.plan";
  ASSERT_TRUE(writePlanFile(path, samplePlan()));
  StatusOr<Plan> plan = readPlanFile(path);
  ASSERT_TRUE(plan) << plan.message();
  EXPECT_EQ(plan->kernels[0].name, "deconv_kernel_0");
  std::remove(path.c_str());
  std::remove(pattern);
  StatusOr<Plan> missing = readPlanFile(path);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.message().find("No such file or directory"),
            std::string::npos);
}

} // namespace
