#!/usr/bin/env bash
# One-class anomaly detection on shared data (issue 21): each class in turn is normal and the others are the anomalies; the
# detector learns from the normal class's training images only. Image AUROC per class and its mean, for PatchCore (ImageNet
# ResNet-18 features) and the convolutional autoencoder, then scoring speed. Flowers: a 70/15/15 split file (the threshold is
# chosen on val, AUROC and F1 measured on test); notMNIST: idx with a stratified 20 % hold-out (AUROC on the hold-out, which
# no method tunes on: the autoencoder keeps the epoch with the lowest normal hold-out score).
# Usage: bench/anomaly/run.sh [WORK_DIR]   (about an hour on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$(pwd)
work=${1:-/tmp/podium-anomaly-bench}
mkdir -p "$work/runs"
# PODIUM: another podium to run (a copy of a build, so editing the source meanwhile changes nothing)
podium() { "${PODIUM:-$repo/podium}" "$@"; }
podium weights fetch resnet18-imagenet > /dev/null
podium split ../shared/datasets/flowers --holdout 0.7,0.15,0.15 --out "$work/flowers_split.csv" > /dev/null

auroc() { python3 -c "import json,sys; print('%.4f' % json.load(open(sys.argv[1]))['metrics']['auroc'])" "$1/evaluation.json"; }

# one_class DATASET METHOD NORMAL [--set ...]: train on the NORMAL class, evaluate, print the AUROC
one_class() {
  local dataset=$1 method=$2 normal=$3 run="$work/runs/$1_$2_$3"
  shift 3
  podium anomaly train "configs/${dataset}_$method.yaml" --out "$run" --overwrite --set "anomaly.normal=[$normal]" "$@" \
    > "$run.log" 2>&1 || { tail -3 "$run.log"; exit 1; }
  podium anomaly evaluate --run "$run" >> "$run.log"
  echo "$dataset $method $normal auroc $(auroc "$run")"
}

# notMNIST letters: PatchCore sees them at 64 px in 3 channels, the autoencoder at 32 px in one
for method in patchcore autoencoder; do
  for c in 0 1 2 3 4 5 6 7 8 9; do one_class notmnist $method $c; done
done
# flowers: 128 px (the images' own size)
for method in patchcore autoencoder; do
  for c in daisy dandelion rose sunflower tulip; do one_class flowers $method $c --set "data.split=$work/flowers_split.csv"; done
done
# Scoring speed: the 784 rose photos through each flowers detector (decoding included), heat maps off and on
for method in patchcore autoencoder; do
  run="$work/runs/flowers_${method}_daisy"
  echo "flowers $method scoring: $(podium anomaly score --run "$run" --input ../shared/datasets/flowers/rose --out "$work/s.csv" \
    | grep 'images anomalous')"
  echo "flowers $method scoring with heat maps: $(podium anomaly score --run "$run" --input ../shared/datasets/flowers/rose \
    --out "$work/s.csv" --heatmaps "$work/maps_$method" | grep 'images anomalous')"
done
# The same PatchCore scoring in PyTorch on fixed tensors (no decoding), the daisy run's bank size, the same threads
if /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then
  rows=$(sed -n 's/^  bank_size: //p' "$work/runs/flowers_patchcore_daisy/config.yaml")
  echo "PyTorch PatchCore scoring, $rows bank rows: $(/usr/bin/python3 bench/anomaly/torch_reference.py "$(nproc)" "$rows") ms per image"
  # Debian's torch does its matrix products in the system BLAS: the reference one unless libopenblas0-pthread is installed
  echo "PyTorch's BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
else
  echo "(no python3-torch: sudo apt-get install python3-torch python3-torchvision for the PyTorch reference)"
fi
