#!/usr/bin/env bash
# The main job on a fresh machine: install system packages, build, make SHD-format data if none
# is given, pretrain the spiking network, evaluate it on unseen speakers.
#   scripts/demo.sh                 # synthesise data into data/synth, train, evaluate
#   DATA=/path/to/shd scripts/demo.sh   # use existing shd_train.h5 / shd_test.h5 (e.g. the real SHD)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=()
  for p in pkg-config libopenblas-dev libhdf5-dev libzmq3-dev espeak-ng; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "== installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

echo "== building (release)"
swift build -c release --product r4ncl 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/r4ncl"

DATA="${DATA:-data/synth}"
TIMESTEPS="${TIMESTEPS:-40}"
EPOCHS="${EPOCHS:-30}"
if [ ! -f "$DATA/shd_train.h5" ]; then
  echo "== synthesising SHD-format data into $DATA"
  "$BIN" synth --out "$DATA" --train "${TRAIN:-1600}" --test "${TEST:-400}" --seed "${SEED:-1}"
fi

mkdir -p runs
echo "== training (T=$TIMESTEPS, $EPOCHS epochs)"
"$BIN" train --data "$DATA" --timesteps "$TIMESTEPS" --epochs "$EPOCHS" --out runs/model.h5
echo "== evaluating on the test split (unseen speakers)"
"$BIN" eval --model runs/model.h5 --data "$DATA"
