#!/usr/bin/env bash
# Podium vs PyTorch on the foundation recipe (configs/flowers_resnet18.yaml), one after the other,
# same split, same augmentation, same model and optimizer. Prints seconds per epoch for both,
# the ratio, resident memory per epoch and best validation accuracy.
#   bench/flowers/run.sh [EPOCHS]        (default 12; results under bench/out/)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
epochs="${1:-12}"
py=/usr/bin/python3
if ! "$py" -c 'import torch, torchvision, cv2' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision python3-opencv >/dev/null
  else
    echo "bench: needs Debian's python3-torch python3-torchvision python3-opencv: sudo apt-get install python3-torch python3-torchvision python3-opencv" >&2
    exit 1
  fi
fi
out="bench/out/flowers-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
dotnet build src/Podium.Cli -c Release -v q --nologo -clp:ErrorsOnly
echo "== Podium ($epochs epochs)"
./podium train configs/flowers_resnet18.yaml --set train.epochs="$epochs" --out "$out/podium" | tee "$out/podium.log"
echo "== PyTorch $("$py" -c 'import torch; print(torch.__version__)') ($epochs epochs, same split)"
"$py" bench/flowers/torch_reference.py --split "$out/podium/split.csv" --epochs "$epochs" | tee "$out/torch.log"
"$py" bench/flowers/compare.py "$out/podium/epochs.csv" "$out/torch.log" | tee "$out/summary.txt"
