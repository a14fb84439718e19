// RUN: deconv-opt --show-dialects | FileCheck %s

// deconv-opt registers our dialect and the upstream ones our IR uses.
// CHECK: Available Dialects:
// CHECK-SAME: arith
// CHECK-SAME: deconv
// CHECK-SAME: func
// CHECK-SAME: tensor
