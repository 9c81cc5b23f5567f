#!/usr/bin/env bash
# Class imbalance on flowers: a 10:1 slice (daisy and dandelion 500 training images each; rose,
# sunflower and tulip 50 each) validated on a stratified 20% hold-out of the full set, trained with
# the foundation recipe four ways: plain random sampling, weighted sampling, class-balanced batches
# and balanced loss weights. Prints the best macro F1 of each and the classes seen per epoch.
# Usage: bench/imbalance/run.sh [EPOCHS] [OUT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
epochs="${1:-12}"
out="$(realpath -m "${2:-$here/bench/out/imbalance}")"
podium="$here/podium"
mkdir -p "$out"
"$podium" split "$here/../shared/datasets/flowers" --holdout 0.8,0.2 --seed 0 --out "$out/holdout.csv" >/dev/null
# Keep every val row; cap the training rows per class (500 for two classes, 50 for three).
awk -F, 'NR == 1 { print; next }
  $3 == "val" { print; next }
  { cap = ($2 == "daisy" || $2 == "dandelion") ? 500 : 50; if (++n[$2] <= cap) print }' "$out/holdout.csv" > "$out/slice.csv"
echo "slice: $(grep -c ',train$' "$out/slice.csv") training rows, $(grep -c ',val$' "$out/slice.csv") validation rows"
run() {
  local name="$1"; shift
  "$podium" train "$here/configs/flowers_resnet18.yaml" --out "$out/$name" --set data.split="$out/slice.csv" \
    --set train.epochs="$epochs" --set train.monitor=val_f1_macro "$@" > "$out/$name.log" 2>&1
  python3 - "$out/$name" "$name" <<'PY'
import csv, json, sys
run, name = sys.argv[1], sys.argv[2]
s = json.load(open(f"{run}/summary.json"))
rows = list(csv.reader(open(f"{run}/class_distribution.csv")))
last = rows[-1]
shares = [int(v) for v in last[1:-1]]
total = sum(shares)
print(f"{name:10s} best macro F1 {s['best']['val_f1_macro']:.4f} (epoch {s['best_epoch']}), accuracy {s['best']['val_accuracy']:.4f}; "
      f"last epoch classes {' '.join(f'{v / total:.3f}' for v in shares)} (max/min {last[-1]})")
PY
}
run plain
run weighted --set train.sampler.name=weighted
run balanced --set train.sampler.name=balanced
run weights --set train.loss.class_weights=balanced
