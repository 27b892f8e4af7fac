#!/usr/bin/env bash
# The demo on a fresh machine: install system packages, build, make SHD-format data if none is
# given, pretrain the spiking network on classes 0-18, then launch the live-learning stack
# (launch/demo.yaml): a node serving the model, a player streaming the test split, a teacher
# that introduces class 19 mid-stream, and a monitor that ends with a summary table.
#   scripts/demo.sh                     # synthesise data into data/synth, pretrain, run the stack
#   DATA=/path/to/shd scripts/demo.sh   # use existing shd_train.h5 / shd_test.h5 (e.g. the real SHD)
# Knobs (env): RECIPE (training recipe, default r4ncl: presets/recipes/r4ncl.yaml), EPOCHS (override the
# recipe's epochs), RETRAIN=1 (retrain even if runs/model.h5 exists). On 2 busy cores the defaults take about 5 minutes (pretraining about
# half of it); the stack itself runs about 2 minutes and stops by itself.
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
RECIPE="${RECIPE:-r4ncl}"
EPOCHS="${EPOCHS:-}"
if [ ! -f "$DATA/shd_train.h5" ]; then
  echo "== synthesising SHD-format data into $DATA"
  "$BIN" synth --out "$DATA" --train "${TRAIN:-1600}" --test "${TEST:-400}" --seed "${SEED:-1}"
fi

mkdir -p runs
KEY="$DATA recipe=$RECIPE epochs=${EPOCHS:-recipe} $(sha1sum presets/recipes/r4ncl.yaml | cut -c1-12)"
if [ ! -f runs/model.h5 ] || [ "${RETRAIN:-0}" = 1 ] || [ "$(cat runs/model.data 2>/dev/null)" != "$KEY" ]; then
  echo "== pretraining on classes 0-18 (recipe $RECIPE${EPOCHS:+, $EPOCHS epochs})"
  "$BIN" train --data "$DATA" --classes 0-18 --recipe "$RECIPE" ${EPOCHS:+--epochs "$EPOCHS"} --out runs/model.h5
  echo "$KEY" > runs/model.data
fi

echo "== live learning: node + player + teacher (class 19) + monitor"
# A fresh node: no checkpoint or spool of an earlier run (it would already know class 19).
rm -rf runs/node
PATH="$(dirname "$BIN"):$PATH" "$BIN" launch launch/demo.yaml "data:=$DATA" model:=runs/model.h5
