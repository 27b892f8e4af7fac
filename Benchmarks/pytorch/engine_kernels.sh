#!/usr/bin/env bash
# The engine alone, trained on each of several OpenBLAS kernel sets: the same seed, recipe, thread count
# and batch order, so two runs of a seed differ only in how the BLAS kernels round their sums. Shows how
# far final accuracies part by rounding alone (a baseline for any engine-vs-twin comparison).
#   Benchmarks/pytorch/engine_kernels.sh DATA_DIR T EPOCHS OUT_DIR SEED...
# KERNELS (default "SkylakeX Haswell") names the OPENBLAS_CORETYPE values; runs two jobs at a time, one
# thread each. Needs a release build (swift build -c release --product r4ncl). Logs and evals:
# OUT_DIR/<kernel>_T<T>_s<S>.{log,eval}; at the end one line per kernel with the exact test accuracies in
# seed order, ready for two_samples.py --ours ... --twin ....
set -euo pipefail
DATA=$1 T=$2 EPOCHS=$3 OUT=$4; shift 4
HERE=$(cd "$(dirname "$0")" && pwd)
R4NCL=${R4NCL:-$HERE/../../.build/release/r4ncl}
KERNELS=${KERNELS:-SkylakeX Haswell}
mkdir -p "$OUT"
run() {
  local k=$1 s=$2 n="$OUT/${1}_T${T}_s$2"
  OPENBLAS_CORETYPE=$k "$R4NCL" train --data "$DATA" --recipe spikinglr --timesteps "$T" --epochs "$EPOCHS" \
    --seed "$s" --threads 1 --out "$n.h5" > "$n.log" 2>&1
  "$R4NCL" eval --model "$n.h5" --data "$DATA" > "$n.eval" 2>&1
  echo "seed $s, $k kernels: $(grep -m1 'top-1' "$n.eval")"
}
pids=()
for S in "$@"; do
  for K in $KERNELS; do
    run "$K" "$S" & pids+=($!)
    if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  done
done
wait
for K in $KERNELS; do
  PYTHONPATH="$HERE" python3 -c '
import sys
from paired_table import engine_accuracy
out, k, t, seeds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
print(k + ": " + ",".join("%g" % engine_accuracy(f"{out}/{k}_T{t}_s{s}.eval") for s in seeds))
' "$OUT" "$K" "$T" "$@"
done
