#!/usr/bin/env bash
# Early-collapse census of SpikingLR's recipe: for each seed, the engine and the PyTorch twin (same
# initial weights and batch order, train.py --init swift) train EPOCHS epochs; a loss stuck at
# ln 20 = 2.9957 means the network fell silent.
#   Benchmarks/pytorch/collapse_census.sh DATA_DIR T EPOCHS FIRST_SEED LAST_SEED
set -euo pipefail
DATA=$1 T=$2 EPOCHS=$3 FIRST=$4 LAST=$5
HERE=$(cd "$(dirname "$0")" && pwd)
R4NCL=${R4NCL:-$HERE/../../.build/release/r4ncl}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
printf "%-6s %-12s %-12s\n" seed ours_loss twin_loss
for S in $(seq "$FIRST" "$LAST"); do
  ours=$("$R4NCL" train --data "$DATA" --recipe spikinglr --timesteps "$T" --epochs "$EPOCHS" --seed "$S" \
    --out "$TMP/m.h5" 2>&1 | grep "^epoch $EPOCHS/" | awk '{print $4}')
  twin=$(python3 "$HERE/train.py" --data "$DATA" --timesteps "$T" --epochs "$EPOCHS" --seed "$S" --init swift \
    --threads 1 --eval-every 0 2>&1 | grep -E "^epoch +$EPOCHS " | awk '{print $4}')
  printf "%-6s %-12s %-12s\n" "$S" "$ours" "$twin"
done
