#!/usr/bin/env bash
# Backbones compared on flowers with the foundation recipe (configs/flowers_resnet18.yaml: 112 px,
# AdamW 2e-3, one-cycle, label smoothing, crop + flip), from scratch, same split, same epochs: only
# model.name changes. Prints best validation accuracy and macro F1, seconds per epoch and parameters.
# Usage: bench/backbones/run.sh [EPOCHS] [MODEL...]   (default 12 epochs; results under bench/out/backbones)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
epochs="${1:-12}"; shift || true
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(resnet18 efficientnet_b0 convnext_atto vit_tiny_patch16 coatnet_0)
out="$here/bench/out/backbones"
mkdir -p "$out"
dotnet build "$here/src/Podium.Cli" -c Release -v q --nologo -clp:ErrorsOnly
for m in "${models[@]}"; do
  "$here/podium" train "$here/configs/flowers_resnet18.yaml" --out "$out/$m" --set model.name="$m" \
    --set train.epochs="$epochs" > "$out/$m.log" 2>&1 || { echo "$m: failed, see $out/$m.log"; continue; }
  python3 - "$out/$m" "$m" <<'PY'
import csv, json, sys
run, name = sys.argv[1], sys.argv[2]
s = json.load(open(f"{run}/summary.json"))
rows = list(csv.DictReader(open(f"{run}/epochs.csv")))
secs = sorted(float(r["seconds"]) for r in rows)
print(f"{name:18s} best accuracy {s['best']['val_accuracy']:.4f} (epoch {s['best_epoch']}), macro F1 {s['best']['val_f1_macro']:.4f}, "
      f"last {float(rows[-1]['val_accuracy']):.4f}; median {secs[len(secs) // 2]:.1f} s/epoch; {s.get('parameters', 0) / 1e6:.2f} M parameters")
PY
done
