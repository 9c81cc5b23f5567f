#!/usr/bin/env bash
# The configurations the two studies of run.sh chose, trained again with fresh seeds (each seed moves the hold-out split and
# the initialisation; both configurations get the same seeds): a study's best value is the largest of its noisy trial
# figures, so the no-pruning study (24 finished trials) is flattered more than the ASHA one (a few) by picking its maximum.
# bench/tune/retrain.sh [SEEDS...]  (after run.sh; default seeds 1 2 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
out=../out/tune
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
for pruner in none asha; do
  line="$pruner:"
  for seed in "${seeds[@]}"; do
    run="$out/retrain-$pruner-$seed"
    ../../podium train flowers64.yaml --from-trial "flowers-$pruner/best" --store "$out/studies.db" --set seed="$seed" \
      --out "$run" --overwrite > "$run.log" 2>&1
    acc=$(grep -o '"val_accuracy": [0-9.]*' "$run/summary.json" | head -1 | awk '{print $2}')
    line="$line seed $seed $acc;"
  done
  echo "$line"
done
