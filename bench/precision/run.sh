#!/usr/bin/env bash
# Seconds per epoch on flowers (foundation recipe, resnet18, 112 px, batch 64) for fp32 vs bf16 and
# NCHW vs channels-last, Podium and PyTorch (Debian's python3-torch, bench/flowers/torch_reference.py
# with torch.autocast and channels_last) on the same split, one after the other, nothing else running.
# The first epoch warms up (allocator, oneDNN primitive caches); the table gives epoch 2 onwards.
# Usage: bench/precision/run.sh [EPOCHS]   (default 2; results under bench/out/precision)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
epochs="${1:-2}"
out="$here/bench/out/precision"
mkdir -p "$out"
dotnet build "$here/src/Podium.Cli" -c Release -v q --nologo -clp:ErrorsOnly
py=/usr/bin/python3
settings=("fp32 false" "bf16 false" "fp32 true" "bf16 true")
for s in "${settings[@]}"; do
  read -r precision cl <<<"$s"
  name="$precision$([ "$cl" = true ] && echo -cl || true)"
  "$here/podium" train "$here/configs/flowers_resnet18.yaml" --out "$out/podium-$name" --set train.epochs="$epochs" \
    --set train.precision="$precision" --set train.channels_last="$cl" > "$out/podium-$name.log" 2>&1
  "$py" "$here/bench/flowers/torch_reference.py" --split "$out/podium-$name/split.csv" --epochs "$epochs" \
    --precision "$precision" $([ "$cl" = true ] && echo --channels-last) > "$out/torch-$name.log" 2>&1
done
"$py" - "$out" "${settings[@]}" <<'PY'
import csv, statistics, sys
out = sys.argv[1]
print(f"{'setting':>10} {'podium s/epoch':>15} {'pytorch s/epoch':>16} {'podium/pytorch':>15} {'podium acc':>11} {'pytorch acc':>12}")
base = None
for s in sys.argv[2:]:
    precision, cl = s.split()
    name = precision + ("-cl" if cl == "true" else "")
    p = list(csv.DictReader(open(f"{out}/podium-{name}/epochs.csv")))
    t = [dict(zip(m[0::2], m[1::2])) for m in (l.split()[2:] for l in open(f"{out}/torch-{name}.log") if l.startswith("epoch "))]
    ps = statistics.mean(float(r["seconds"]) for r in p[1:] or p)
    ts = statistics.mean(float(r["seconds"]) for r in t[1:] or t)
    print(f"{name:>10} {ps:>15.1f} {ts:>16.1f} {ps / ts:>15.3f} {float(p[-1]['val_accuracy']):>11.4f} {float(t[-1]['val_accuracy']):>12.4f}")
PY
