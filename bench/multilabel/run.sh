#!/usr/bin/env bash
# Multi-label classification on real letters (issue 6): 2x2 mosaics of notMNIST glyphs, each labelled with
# the 1-3 letters it shows. Trains resnet18 (1 channel, 56 px, BCE), tunes per-label thresholds on the
# validation split, then evaluates the held-out mosaics (glyphs never seen in training) and writes a
# space-separated submission for them, scored against their labels.
# Usage: bench/multilabel/run.sh [EPOCHS] [TRAIN] [HOLDOUT]   (default 10, 4000, 1000; results under bench/out/multilabel)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
epochs="${1:-10}"; n_train="${2:-4000}"; n_holdout="${3:-1000}"
out="$here/bench/out/multilabel"
podium="$here/podium"
rm -rf "$out"; mkdir -p "$out"
/usr/bin/python3 "$here/bench/multilabel/make_mosaics.py" "$here/../shared/datasets/notmnist/t10k-images-idx3-ubyte.gz" "$out" "$n_train" "$n_holdout"
cat > "$out/cfg.yaml" <<YAML
seed: 0
data: {train: train.csv, multi_label: true, val_split: 0.15, img_size: 56, channels: 1, mean: [0.5], std: [0.5]}
model: {name: resnet18}
train:
  epochs: $epochs
  batch_size: 64
  metric: f1_micro
  optimizer: {name: adamw, lr: 0.003, weight_decay: 0.05}
  scheduler: {name: onecycle, warmup: 0.15}
  loss: {name: bce}
YAML
cd "$out"
start=$(date +%s)
"$podium" train cfg.yaml --out run | grep -E "^epoch|^best|^data"
echo "train: $(( $(date +%s) - start )) s"
"$podium" evaluate --run run --tune-thresholds | grep -E "thresholds for|images,"
"$podium" evaluate --run run --data holdout.csv | grep -E "images,|f1_micro"
"$podium" predict --run run --input holdout --sample sample_submission.csv --out submission.csv | tail -1
/usr/bin/python3 - "$out" <<'PY'
import csv, sys, os
out = sys.argv[1]
truth = {os.path.splitext(os.path.basename(r["path"]))[0]: set(r["label"].split()) for r in csv.DictReader(open(os.path.join(out, "holdout.csv")))}
tp = fp = fn = exact = 0
rows = list(csv.DictReader(open(os.path.join(out, "submission.csv"))))
for r in rows:
    p, t = set(r["label"].split()), truth[r["id"]]
    tp += len(p & t); fp += len(p - t); fn += len(t - p); exact += p == t
print(f"submission on the held-out mosaics (tuned thresholds): micro F1 {2 * tp / (2 * tp + fp + fn):.4f}, exact sets {exact / len(rows):.4f} ({len(rows)} rows)")
PY
