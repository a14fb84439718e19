#!/usr/bin/env bash
# GPU checks in two halves (docs/Cuda.md):
#   scripts/gpu-check.sh prepare DIR   here: builds, then writes plans, inputs
#                                      and the CPU's outputs into DIR
#   scripts/gpu-check.sh run DIR [LOGS] on the GPU machine: builds runtime/
#                                      alone, runs every plan (every strategy),
#                                      compares, then benchmarks the suite
#                                      against cuDNN; full logs into LOGS
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$(command -v /usr/bin/python3 || command -v python3)"
case "${1:-}" in
  prepare)
    "$root/scripts/setup.sh"
    "$root/scripts/build.sh" >/dev/null
    exec "$python" "$root/scripts/gpu_check.py" prepare --out "$2" --count "${3:-140}" ;;
  run)
    exec python3 "$root/scripts/gpu_check.py" run "$2" ${3:+--logs "$3"} ;;
  *)
    echo "usage: $0 prepare DIR [COUNT] | run DIR [LOGS]" >&2; exit 2 ;;
esac
