// deconv-bench refuses bad options and plans it cannot time, in one line.
// RUN: deconv-compile %s -o %t.plan
// RUN: not deconv-bench 2>&1 | FileCheck %s --check-prefix=USAGE
// USAGE: deconv-bench: usage: deconv-bench FILE.plan [--target=cuda|cuda-emulator] [--runs=N] [--warmup=W] [--rotate-bytes=B] [--samples=S] [--seed=K] [--graphs=on|off]
// RUN: not deconv-bench %t.plan --runs 2>&1 | FileCheck %s --check-prefix=NOVALUE
// NOVALUE: deconv-bench: --runs takes its value after '=' (--runs=N)
// RUN: not deconv-bench %t.plan --runs=0 2>&1 | FileCheck %s --check-prefix=RUNS
// RUNS: deconv-bench: --runs needs an integer from 1 to 1000000, got '0'
// RUN: not deconv-bench %t.plan --warmup=1x 2>&1 | FileCheck %s --check-prefix=WARMUP
// WARMUP: deconv-bench: --warmup needs an integer from 0 to 1000000, got '1x'
// RUN: not deconv-bench %t.plan --samples=+3 2>&1 | FileCheck %s --check-prefix=SAMPLES
// SAMPLES: deconv-bench: --samples needs an integer from 0 to 1000000, got '+3'
// RUN: not deconv-bench %t.plan --seed=-1 2>&1 | FileCheck %s --check-prefix=SEED-SIGN
// SEED-SIGN: deconv-bench: --seed needs an integer from 0 to 2147483647, got '-1'
// RUN: not deconv-bench %t.plan --seed=2147483648 2>&1 | FileCheck %s --check-prefix=SEED-BIG
// SEED-BIG: deconv-bench: --seed needs an integer from 0 to 2147483647, got '2147483648'
// RUN: not deconv-bench %t.plan --rotate-bytes=99999999999999999999 2>&1 | FileCheck %s --check-prefix=ROTATE
// ROTATE: deconv-bench: --rotate-bytes needs an integer from 0 to 1125899906842624, got '99999999999999999999'
// RUN: not deconv-bench %t.plan --target=tpu 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: deconv-bench: unknown --target 'tpu' (cuda or cuda-emulator)
// RUN: not deconv-bench %t.plan --graphs=maybe 2>&1 | FileCheck %s --check-prefix=GRAPHS
// GRAPHS: deconv-bench: unknown --graphs 'maybe' (on or off)
// RUN: not deconv-bench %t.plan --graphs 2>&1 | FileCheck %s --check-prefix=GRAPHS-NOVALUE
// GRAPHS-NOVALUE: deconv-bench: --graphs takes its value after '=' (--graphs=on|off)
// RUN: not deconv-bench %t.plan --frobnicate 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: deconv-bench: unknown option '--frobnicate'
// RUN: not deconv-bench %t.plan %t.plan 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: deconv-bench: one plan at a time, got '{{.*}}.plan' and '{{.*}}.plan'
// RUN: not deconv-bench %s 2>&1 | FileCheck %s --check-prefix=NOTPLAN
// NOTPLAN: deconv-bench: '{{.*}}errors.mlir': not a deconv plan (no DECONV-PLAN header)
// RUN: not deconv-bench %t.missing.plan 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: deconv-bench: cannot open '{{.*}}missing.plan': No such file or directory
// A dynamic batch has no size to fill the inputs with; the check comes
// before any device is opened.
// RUN: not deconv-bench %t.plan --target=cuda-emulator 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: deconv-bench: input 0 of @main has a dynamic size; deconv-bench times plans with static shapes only
func.func @main(%x: tensor<?x1x3xf32>) -> tensor<?x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<?x1x3xf32>, tensor<1x1x3xf32>) -> tensor<?x1x5xf32>
  return %y : tensor<?x1x5xf32>
}
