#!/usr/bin/env bash
# Is a seed's collapse chance? For one seed, the engine and the PyTorch twin (float32 and float64)
# train EPOCHS epochs from the seed's initial weights jittered by one float32 rounding with jitter
# seeds FIRST_P..LAST_P (`r4ncl train --init-jitter P`; perturbed_seed.py applies the same jitter,
# so each row starts all three from identical weights). Prints the last epoch's loss per run and how
# many fell silent (loss stuck at ln 20 = 2.9957; silent for good, see TrainerSpikeRateTests).
#   Benchmarks/pytorch/jitter_census.sh DATA_DIR T EPOCHS SEED FIRST_P LAST_P
set -euo pipefail
DATA=$1 T=$2 EPOCHS=$3 SEED=$4 FIRST=$5 LAST=$6
HERE=$(cd "$(dirname "$0")" && pwd)
R4NCL=${R4NCL:-$HERE/../../.build/release/r4ncl}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
PS=$(seq "$FIRST" "$LAST")
twin() {  # one column: the last epoch's loss per P
  python3 "$HERE/perturbed_seed.py" --data "$DATA" --seed "$SEED" --timesteps "$T" --epochs "$EPOCHS" "$@" $PS \
    | awk '/^seed/ {print $9}'
}
twin > "$TMP/twin32" &
twin --float64 > "$TMP/twin64" &
for P in $PS; do
  "$R4NCL" train --data "$DATA" --recipe spikinglr --timesteps "$T" --epochs "$EPOCHS" --seed "$SEED" --threads 1 \
    --init-jitter "$P" --out "$TMP/m.h5" 2>&1 | grep "^epoch $EPOCHS/" | awk '{print $4}'
done > "$TMP/ours"
wait
echo "seed $SEED, T = $T, $EPOCHS epochs; loss after the last epoch (2.9957 = fell silent)"
printf "%-8s %-10s %-10s %-10s\n" jitter ours twin32 twin64
paste <(echo "$PS") "$TMP/ours" "$TMP/twin32" "$TMP/twin64" | awk '{printf "%-8s %-10s %-10s %-10s\n", $1, $2, $3, $4}'
paste "$TMP/ours" "$TMP/twin32" "$TMP/twin64" | awk '
  {for (i = 1; i <= 3; i++) if ($i >= 2.99565) n[i]++}
  END {printf "fell silent: ours %d, twin32 %d, twin64 %d of %d\n", n[1], n[2], n[3], NR}'
