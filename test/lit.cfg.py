# -*- Python -*-
# lit configuration of the deconv test suite.

import os
import sys

import lit.formats

config.name = "deconv"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.deconv_obj_root

# Our tools first, then FileCheck and not from the LLVM install.
config.environment["PATH"] = os.pathsep.join(
    [config.deconv_tools_dir, config.llvm_tools_dir, os.environ.get("PATH", "")]
)
config.substitutions.append(("%deconv_src_root", config.deconv_src_root))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

# NVRTC compiles CUDA to CUBIN without a GPU: the compile-only tests need it.
import ctypes.util
if ctypes.util.find_library("nvrtc") or os.path.exists("/usr/local/cuda/lib64/libnvrtc.so"):
    config.available_features.add("nvrtc")

# A usable GPU: the driver loads and reports a device. GPU execution tests
# REQUIRE it; tests of the no-GPU behaviour are UNSUPPORTED with it.
def _cuda_device_count():
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
        count = ctypes.c_int(0)
        if cuda.cuInit(0) != 0 or cuda.cuDeviceGetCount(ctypes.byref(count)) != 0:
            return 0
        return count.value
    except OSError:
        return 0
if _cuda_device_count() > 0:
    config.available_features.add("cuda-runtime")
