#!/usr/bin/env bash
# Pruning on real training: flowers at 64 px, 4 epochs a trial, 24 TPE trials over lr, weight decay, label smoothing and
# augmentation strength, once without pruning and once with ASHA (same seed, same space), each in its own study of a
# throwaway store. Prints each study's best validation accuracy and total training time. bench/tune/run.sh [TRIALS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
trials=${1:-24}
out=../out/tune
rm -rf "$out" && mkdir -p "$out"
for pruner in none asha; do
  start=$(date +%s)
  ../../podium tune flowers64.yaml --space space.yaml --trials "$trials" --study "flowers-$pruner" --pruner "$pruner" \
    --storage "$out/studies.db" --out "$out/$pruner" > "$out/$pruner.log" 2>&1
  echo "$pruner: $(( $(date +%s) - start )) s wall; $(grep -E '^study |^best' "$out/$pruner.log" | tr '\n' ' ')"
done
../../podium tune report flowers-none --store "$out/studies.db" --out "$out/report-none" | tail -3
../../podium tune report flowers-asha --store "$out/studies.db" --out "$out/report-asha" | tail -3
