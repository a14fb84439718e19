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

# The ONNX importer: its tests write models as protobuf text and encode them
# with protoc against ONNX's own onnx.proto, and run ONNX's node test cases
# from its test data.
if config.onnx_enabled.upper() in ("ON", "TRUE", "1", "YES"):
    config.available_features.add("onnx")
    proto = os.path.join(config.onnx_proto_dir, "onnx", "onnx.proto")
    config.substitutions.append(
        ("%onnx_encode", "protoc --encode=onnx.ModelProto --proto_path=%s %s"
         % (config.onnx_proto_dir, proto)))
    config.substitutions.append(
        ("%onnx_tensor_encode",
         "protoc --encode=onnx.TensorProto --proto_path=%s %s"
         % (config.onnx_proto_dir, proto)))
    config.substitutions.append(("%onnx_testdata", config.onnx_testdata_dir))
    config.substitutions.append(("%onnx_proto_dir", config.onnx_proto_dir))

# NVRTC compiles CUDA to CUBIN without a GPU: the compile-only tests need it.
# The feature means NVRTC really compiles here (it loads, finds its builtins
# library and produces a CUBIN), not merely that a library file exists.
def _nvrtc_compiles():
    import ctypes
    import ctypes.util
    names = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so",
             "/usr/local/cuda/lib64/libnvrtc.so"]
    for name in names:
        try:
            nvrtc = ctypes.CDLL(name)
            break
        except OSError:
            nvrtc = None
    if nvrtc is None:
        return False
    program = ctypes.c_void_p()
    source = b'extern "C" __global__ void probe(float *p) { p[0] = 1.0f; }'
    if nvrtc.nvrtcCreateProgram(ctypes.byref(program), source, b"probe.cu", 0,
                                None, None) != 0:
        return False
    options = (ctypes.c_char_p * 1)(b"--gpu-architecture=sm_80")
    ok = nvrtc.nvrtcCompileProgram(program, 1, options) == 0
    size = ctypes.c_size_t(0)
    ok = ok and nvrtc.nvrtcGetCUBINSize(program, ctypes.byref(size)) == 0 \
        and size.value > 0
    nvrtc.nvrtcDestroyProgram(ctypes.byref(program))
    return ok
if _nvrtc_compiles():
    config.available_features.add("nvrtc")

# The host emulator compiles kernels with the system C++ compiler.
import shutil
if shutil.which(os.environ.get("DECONV_EMULATOR_CXX") or "c++"):
    config.available_features.add("cuda-emulator")
# The emulator's compiler comes from the environment; compiled kernels (and
# the emulator's precompiled prelude) go to one cache in the build tree, so
# tests share them and leave the user's own cache alone.
for name in ["DECONV_EMULATOR_CXX", "DECONV_EMULATOR_THREADS"]:
    if name in os.environ:
        config.environment[name] = os.environ[name]
config.environment["DECONV_KERNEL_CACHE_DIR"] = os.path.join(
    config.test_exec_root, "kernel-cache")

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
