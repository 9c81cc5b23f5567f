#!/usr/bin/env bash
# After bench/ocr/run.sh: the held-out receipts of a run (its val_per_image.csv) scored again at several box thresholds
# and inference sizes, with per-receipt network and post-processing times, to choose the defaults.
# Usage: bench/ocr/sweep.sh [RUN] [THRESHOLDS] [SIZES]   (defaults: the 448 run, "0.4 0.5 0.6 0.7", "736 960 1280")
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:-$here/bench/out/ocr/run-mobilenet_v3_large-448}"
thresholds="${2:-0.4 0.5 0.6 0.7}"; sizes="${3:-736 960 1280}"
sroie="$here/../shared/datasets/sroie"
held="$(mktemp -d)"; trap 'rm -rf "$held"' EXIT
mkdir -p "$held/img" "$held/box"
# The run's own held-out receipts, linked (never copied) from the shared dataset.
tail -n +2 "$run/val_per_image.csv" | cut -d, -f1 | while read -r name; do
  ln -s "$sroie/img/$name.jpg" "$held/img/$name.jpg"; ln -s "$sroie/box/$name.txt" "$held/box/$name.txt"
done
echo "$(ls "$held/img" | wc -l) held-out receipts of $run"
for t in $thresholds; do
  printf 'box threshold %s at 960: ' "$t"; "$here/podium" ocr evaluate --run "$run" --data "$held" --box-threshold "$t" | grep -E "hmean" | tail -1
done
for s in $sizes; do
  printf 'size %s, box threshold 0.6: ' "$s"
  "$here/podium" ocr evaluate --run "$run" --data "$held" --eval-size "$s" | grep -E "hmean|per image" | tr '\n' ' '; echo
done
printf 'hflip TTA at 960: '; "$here/podium" ocr evaluate --run "$run" --data "$held" --tta hflip | grep -E "hmean" | tail -1
