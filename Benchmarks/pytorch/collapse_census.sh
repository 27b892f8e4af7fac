#!/usr/bin/env bash
# Early-collapse census of SpikingLR's recipe: for each seed, the engine and the PyTorch twin (same
# initial weights and batch order, train.py --init swift) train EPOCHS epochs; a loss stuck at
# ln 20 = 2.9957 means the network fell silent (for good: see TrainerSpikeRateTests).
#   Benchmarks/pytorch/collapse_census.sh DATA_DIR T EPOCHS FIRST_SEED LAST_SEED
# KERNELS="SkylakeX Haswell" runs the engine (1 thread) once per OpenBLAS kernel set, one column each
# (unset: one run with the default kernels and 2 threads, as before); FLOAT64=1 adds a float64 twin.
set -euo pipefail
DATA=$1 T=$2 EPOCHS=$3 FIRST=$4 LAST=$5
HERE=$(cd "$(dirname "$0")" && pwd)
R4NCL=${R4NCL:-$HERE/../../.build/release/r4ncl}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
ours_loss() {  # kernel ("" = default) and thread count
  local env=() threads=()
  [[ -n "$1" ]] && env=(env "OPENBLAS_CORETYPE=$1")
  [[ -n "$2" ]] && threads=(--threads "$2")
  "${env[@]}" "$R4NCL" train --data "$DATA" --recipe spikinglr --timesteps "$T" --epochs "$EPOCHS" --seed "$S" \
    "${threads[@]}" --out "$TMP/m.h5" 2>&1 | grep "^epoch $EPOCHS/" | awk '{print $4}'
}
twin_loss() {
  python3 "$HERE/train.py" --data "$DATA" --timesteps "$T" --epochs "$EPOCHS" --seed "$S" --init swift \
    --threads 1 --eval-every 0 "$@" 2>&1 | grep -E "^epoch +$EPOCHS " | awk '{print $4}'
}
header="seed"
if [[ -n "${KERNELS:-}" ]]; then for K in $KERNELS; do header+=" ours_$K"; done; else header+=" ours_loss"; fi
header+=" twin_loss"; [[ "${FLOAT64:-0}" == 1 ]] && header+=" twin_float64"
echo "$header" | awk '{for (i = 1; i <= NF; i++) printf "%-15s", $i; print ""}'
for S in $(seq "$FIRST" "$LAST"); do
  row="$S"
  if [[ -n "${KERNELS:-}" ]]; then for K in $KERNELS; do row+=" $(ours_loss "$K" 1)"; done; else row+=" $(ours_loss "" "")"; fi
  row+=" $(twin_loss)"
  [[ "${FLOAT64:-0}" == 1 ]] && row+=" $(twin_loss --float64)"
  echo "$row" | awk '{for (i = 1; i <= NF; i++) printf "%-15s", $i; print ""}'
done
