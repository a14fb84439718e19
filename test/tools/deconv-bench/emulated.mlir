// deconv-bench times a plan on the host emulator and samples output 0.
// REQUIRES: cuda-emulator
// RUN: deconv-compile %s -o %t.plan
//
// Input element i holds ((i * 2654435761 + seed * 97) mod 2^32) / 2^32 * 2 - 1
// in f32: with seed 0, x = [-1, 0.23606798, -0.52786404]. An all-ones kernel
// of 3 gives y = [x0, x0+x1, x0+x1+x2, x1+x2, x2]. One set is 12 input bytes
// and 20 output bytes, each on a 256-byte boundary: 512 bytes, so the
// emulator's default (one set) and 4096 rotated bytes (8 sets) differ.
// RUN: deconv-bench %t.plan --target=cuda-emulator --runs=2 --warmup=1 --samples=5 | FileCheck %s --check-prefix=ALL
// ALL: {"median_ms":{{[0-9.e+-]+}},"min_ms":{{[0-9.e+-]+}},"host_ms":{{[0-9.e+-]+}},"runs":2,"sets":1,"graphs":"on","graph_runs":2,"samples":[
// ALL-SAME: [0,-1],[1,-0.76393198{{[0-9]*}}],[2,-1.291796{{[0-9]*}}],[3,-0.2917960{{[0-9]*}}],[4,-0.52786403{{[0-9]*}}]]}
//
// Seed 7: x = [-0.99999970, 0.23606829, -0.52786374]. Three samples of five
// elements are the first, the middle and the last; they are read from set 0
// after calls that cycled through all 8 sets.
// RUN: deconv-bench %t.plan --target=cuda-emulator --runs=3 --rotate-bytes=4096 --samples=3 --seed=7 2>%t.rotated.err | FileCheck %s --check-prefix=ROTATED
// RUN: FileCheck %s --check-prefix=ROTATED-NOTE < %t.rotated.err
// ROTATED-NOTE: deconv-bench: note: 8 sets are more bindings than the executor keeps graphs for (4); calls launch kernel by kernel (--rotate-bytes=0 times graph replays)
// ROTATED: "runs":3,"sets":8,"graphs":"on","graph_runs":0,"samples":[
// ROTATED-SAME: [0,-0.9999997{{[0-9]*}}],[2,-1.291795{{[0-9]*}}],[4,-0.5278637{{[0-9]*}}]]}
//
// One sample is element 0; none is an empty list.
// RUN: deconv-bench %t.plan --target=cuda-emulator --runs=1 --samples=1 | FileCheck %s --check-prefix=ONE
// ONE: "samples":{{\[\[}}0,-1]]}
// RUN: deconv-bench %t.plan --target=cuda-emulator --runs=1 --samples=0 | FileCheck %s --check-prefix=NONE
// NONE: "samples":[]}
//
// Graphs: with one set every call after the first binds the same pointers.
// The warm-up call launches kernel by kernel, the second call captures and
// launches the graph, later ones replay it: with --warmup=1 all 3 timed calls
// ran a graph, with --warmup=0 the first timed call launched directly. Off,
// none did; the samples are the same numbers either way.
// RUN: deconv-bench %t.plan --target=cuda-emulator --runs=3 --warmup=1 --samples=5 --graphs=on | FileCheck %s --check-prefix=GRAPHS-ON
// GRAPHS-ON: "runs":3,"sets":1,"graphs":"on","graph_runs":3,"samples":[
// GRAPHS-ON-SAME: [0,-1],[1,-0.76393198{{[0-9]*}}],[2,-1.291796{{[0-9]*}}],[3,-0.2917960{{[0-9]*}}],[4,-0.52786403{{[0-9]*}}]]}
// RUN: deconv-bench %t.plan --target=cuda-emulator --runs=3 --warmup=0 --samples=0 --graphs=on | FileCheck %s --check-prefix=COLD
// COLD: "runs":3,"sets":1,"graphs":"on","graph_runs":2,"samples":[]}
// RUN: deconv-bench %t.plan --target=cuda-emulator --runs=3 --warmup=1 --samples=5 --graphs=off | FileCheck %s --check-prefix=GRAPHS-OFF
// GRAPHS-OFF: "runs":3,"sets":1,"graphs":"off","graph_runs":0,"samples":[
// GRAPHS-OFF-SAME: [0,-1],[1,-0.76393198{{[0-9]*}}],[2,-1.291796{{[0-9]*}}],[3,-0.2917960{{[0-9]*}}],[4,-0.52786403{{[0-9]*}}]]}
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
