#!/usr/bin/env bash
# Two workers against one: 8 short trials (flowers at 32 px, EPOCHS epochs each, random sampler over lr, weight decay and
# label smoothing, no pruning) run by one worker with 2 threads, then by two workers with 1 thread each sharing one study.
# Prints both wall times and the ratio. bench/tune/workers.sh [EPOCHS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
epochs=${1:-1}
out=../out/tune-workers
rm -rf "$out" && mkdir -p "$out"
grep -v augment space.yaml | grep -v '^ ' > "$out/space.yaml"
common=(flowers64.yaml --space "$out/space.yaml" --trials 8 --sampler random --pruner none --storage "$out/studies.db"
  --set "train.epochs=$epochs" --set data.img_size=32
  --set "augment.train=[{random_resized_crop: {size: 32, scale: [0.35, 1.0]}}, {horizontal_flip: {p: 0.5}}]")
start=$(date +%s.%N)
../../podium tune "${common[@]}" --study one --threads 2 --out "$out/one" > "$out/one.log" 2>&1
one=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
../../podium tune "${common[@]}" --study two --threads 1 --out "$out/two" > "$out/two-a.log" 2>&1 &
../../podium tune "${common[@]}" --study two --threads 1 --out "$out/two" > "$out/two-b.log" 2>&1
wait
two=$(echo "$(date +%s.%N) - $start" | bc)
printf 'one worker, 2 threads: %.1f s; two workers, 1 thread each: %.1f s; ratio %.2f\n' "$one" "$two" "$(echo "$one / $two" | bc -l)"
grep -h "this worker ran" "$out"/two-*.log
