#!/usr/bin/env bash
# Paired accuracy runs of the Swift engine and the PyTorch twin: for each seed, both start from the
# engine's initial weights and visit the batches in the engine's order (train.py --init swift), with
# SpikingLR's settings (Adamax 2e-4, batch 64), so the comparison differs only in the engine.
#   Benchmarks/pytorch/paired_accuracy.sh DATA_DIR T EPOCHS OUT_DIR SEED...
# Needs a release build (swift build -c release --product r4ncl). Runs two jobs at a time (one thread
# each for the twin, two for ours). Logs: OUT_DIR/{ours,twin}_T<T>_s<S>.log; table: summarize at the end,
# all of it (with means, paired differences and 3-seed windows): python3 paired_table.py OUT_DIR.
# ONE_THREAD=1 also trains ours with --threads 1 (OUT_DIR/one_*: the same engine, another summation
# order of the batch gradient, which shows how far runs part by rounding alone).
set -euo pipefail
DATA=$1 T=$2 EPOCHS=$3 OUT=$4; shift 4
HERE=$(cd "$(dirname "$0")" && pwd)
R4NCL=${R4NCL:-$HERE/../../.build/release/r4ncl}
mkdir -p "$OUT"
for S in "$@"; do
  echo "seed $S: ours (T=$T, $EPOCHS epochs)"
  "$R4NCL" train --data "$DATA" --recipe spikinglr --timesteps "$T" --epochs "$EPOCHS" --seed "$S" \
    --out "$OUT/ours_T${T}_s$S.h5" > "$OUT/ours_T${T}_s$S.log" 2>&1
  "$R4NCL" eval --model "$OUT/ours_T${T}_s$S.h5" --data "$DATA" > "$OUT/ours_T${T}_s$S.eval" 2>&1
  grep -m1 "top-1" "$OUT/ours_T${T}_s$S.eval" || true
  if [[ "${ONE_THREAD:-0}" == 1 ]]; then
    "$R4NCL" train --data "$DATA" --recipe spikinglr --timesteps "$T" --epochs "$EPOCHS" --seed "$S" --threads 1 \
      --out "$OUT/one_T${T}_s$S.h5" > "$OUT/one_T${T}_s$S.log" 2>&1
    "$R4NCL" eval --model "$OUT/one_T${T}_s$S.h5" --data "$DATA" > "$OUT/one_T${T}_s$S.eval" 2>&1
  fi
done
pids=()
for S in "$@"; do
  echo "seed $S: PyTorch twin (T=$T, $EPOCHS epochs, --init swift)"
  python3 "$HERE/train.py" --data "$DATA" --timesteps "$T" --epochs "$EPOCHS" --seed "$S" --init swift \
    --threads 1 --eval-every 10 --json > "$OUT/twin_T${T}_s$S.log" 2>&1 &
  pids+=($!)
  if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait
python3 "$HERE/summarize.py" "$OUT"/twin_T"${T}"_s*.log
