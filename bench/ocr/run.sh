#!/usr/bin/env bash
# DBNet on SROIE receipts (issue 7): train on a seeded 90% of the 626 receipts, validate on the other 10% with the
# ICDAR 2015 protocol, report precision/recall/hmean, per-receipt network and post-processing times.
# Usage: bench/ocr/run.sh [EPOCHS] [IMG] [BACKBONE]   (default 12, 512, mobilenet_v3_large; run under bench/out/ocr)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
epochs="${1:-12}"; img="${2:-512}"; backbone="${3:-mobilenet_v3_large}"
out="$here/bench/out/ocr"
mkdir -p "$out"
start=$(date +%s)
"$here/podium" ocr train "$here/configs/sroie_dbnet.yaml" --set data.train="$here/../shared/datasets/sroie" \
  --set train.epochs="$epochs" --set data.img_size="$img" --set model.name="$backbone" \
  --set augment.train="[{rotate: {limit: 10, p: 0.5}}, {text_safe_crop: {size: $img}}, {color_jitter: {brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.02, p: 0.5}}]" \
  --out "$out/run-$backbone-$img" | grep -v "^  step"
echo "wall: $(( $(date +%s) - start )) s"
