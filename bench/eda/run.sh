#!/usr/bin/env bash
# Timing of podium eda on the shared data and on a generated 5,000-image folder of 480 px photos
# (hymenoptera's training images, 20 random-resized-crop copies each plus the originals, made by
# podium augment offline). Prints images and seconds per dataset.
# Usage: bench/eda/run.sh [OUT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(realpath -m "${1:-$here/bench/out/eda}")"
podium="$here/podium"
data="$here/../shared/datasets"
mkdir -p "$out"
if [ ! -f "$out/photos5k/manifest.csv" ]; then
  cat > "$out/photos.yaml" <<YAML
seed: 0
data: {train: $data/hymenoptera/train}
augment:
  train:
    - random_resized_crop: {size: 480, scale: [0.3, 1.0]}
    - horizontal_flip: {p: 0.5}
YAML
  "$podium" augment offline "$out/photos.yaml" --copies 20 --out "$out/photos5k" > /dev/null
fi
time_eda() {
  local name="$1" path="$2"
  local start end
  start=$(date +%s.%N)
  "$podium" eda "$path" --out "$out/$name" > "$out/$name.log" 2>&1
  end=$(date +%s.%N)
  python3 - "$out/$name/eda.json" "$name" "$start" "$end" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
wall = float(sys.argv[4]) - float(sys.argv[3])
d = s["duplicates"]
print(f"{sys.argv[2]:12s} {s['images']:6d} images  scan+report {s['seconds']:6.1f} s  command {wall:6.1f} s  "
      f"duplicates {d['exact_pairs']} identical / {d['near_pairs']} near  suspicious {len(s['suspicious'])}")
PY
}
echo "podium eda on $(nproc) cores"
time_eda flowers "$data/flowers"
time_eda sroie "$data/sroie"
time_eda hymenoptera "$data/hymenoptera/train"
time_eda notmnist "$data/notmnist/t10k-images-idx3-ubyte.gz"
time_eda photos5k "$out/photos5k/manifest.csv"
