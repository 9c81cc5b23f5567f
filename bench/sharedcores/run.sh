#!/usr/bin/env bash
# Two trainings started together on the same cores (issue 15): each one's epoch time beside the other, as a multiple of
# its epoch time alone, for Podium (which splits the cores between its live trainings) and for PyTorch (which does not:
# both processes run all-core OpenMP kernels whose spinning threads wait for each other). The flowers foundation recipe
# at 64 px, 2 epochs; the second epoch is the one compared (the first pays for start-up).
#   bench/sharedcores/run.sh          (about 10 minutes on 2 cores; results under bench/out/sharedcores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
py=/usr/bin/python3
"$py" -c 'import torch, torchvision, cv2' 2>/dev/null || { echo "bench: needs Debian's python3-torch python3-torchvision python3-opencv" >&2; exit 1; }
out="bench/out/sharedcores"
rm -rf "$out" && mkdir -p "$out"
dotnet build src/Podium.Cli -c Release -v q --nologo -clp:ErrorsOnly
size=64
podium() {
  ./podium train configs/flowers_resnet18.yaml --set train.epochs=2 --set data.img_size=$size \
    --set "augment.train=[{random_resized_crop: {size: $size, scale: [0.35, 1.0]}}, {horizontal_flip: {p: 0.5}}]" --out "$out/$1" > "$out/$1.log"
  # The second epoch's seconds, from epochs.csv.
  awk -F, 'NR==1 { for (i = 1; i <= NF; i++) if ($i == "seconds") c = i } NR==3 { print $c }' "$out/$1/epochs.csv"
}
torch() { "$py" bench/flowers/torch_reference.py --split "$out/split.csv" --epochs 2 --img-size $size > "$out/$1.log"; awk '/^epoch 2 / { print $4 }' "$out/$1.log"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

solo=$(podium podium-solo)
cp "$out/podium-solo/split.csv" "$out/split.csv"
podium podium-a > "$out/a.txt" & podium podium-b > "$out/b.txt"; wait
pa=$(cat "$out/a.txt"); pb=$(cat "$out/b.txt")
tsolo=$(torch torch-solo)
torch torch-a > "$out/ta.txt" & torch torch-b > "$out/tb.txt"; wait
ta=$(cat "$out/ta.txt"); tb=$(cat "$out/tb.txt")
{
  echo "epoch seconds on $(nproc) cores (flowers, resnet18, ${size} px, second epoch)"
  echo "podium:  alone $solo s; two together $pa s and $pb s = $(ratio "$pa" "$solo")x and $(ratio "$pb" "$solo")x alone"
  echo "pytorch: alone $tsolo s; two together $ta s and $tb s = $(ratio "$ta" "$tsolo")x and $(ratio "$tb" "$tsolo")x alone"
} | tee "$out/summary.txt"
