#!/usr/bin/env bash
# Self-supervised pretraining's speed (issue 21), on 1,024 flowers images at 112 px, batch 128, one process at a time:
#  - podium's SimCLR step (256 views) against its supervised step (128 images) on the same network and size: images/s;
#  - the same two steps in PyTorch (Debian's python3-torch; torch_reference.py): milliseconds per step and the ratio;
#  - the gradient cache's memory: SimCLR with batch 256 (512 views) whole, and with ssl.chunk 64 (resident MB, peak).
#   bench/ssl/run.sh        (results under bench/out/ssl-*/)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
py=/usr/bin/python3
if ! "$py" -c 'import torch, torchvision' 2>/dev/null; then
  echo "bench: needs Debian's python3-torch and python3-torchvision: sudo apt-get install python3-torch python3-torchvision" >&2
  exit 1
fi
out="bench/out/ssl-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
dotnet build src/Podium.Cli -c Release -v q --nologo -clp:ErrorsOnly
flowers="$(cd ../shared/datasets/flowers && pwd)"
# 1,024 images, every class, as a CSV manifest (labels read only by the supervised run)
"$py" - "$flowers" "$out/subset.csv" <<'PY'
import os, sys
root, dest = sys.argv[1], sys.argv[2]
rows = []
for c in sorted(os.listdir(root)):
    files = sorted(os.listdir(os.path.join(root, c)))[:205]
    rows += [f"{os.path.join(root, c, f)},{c}" for f in files]
open(dest, "w").write("path,label\n" + "\n".join(rows[:1024]) + "\n")
PY
# 112 px whatever the pretraining config says (configs/flowers_simclr.yaml pretrains at 64)
common=(--set data.train="$out/subset.csv" --set data.img_size=112 --set train.epochs=1 --set train.batch_size=128
  --set tracking.enabled=false)
median_ms() { # the median step after the first two (warm-up)
  "$py" -c "import csv,statistics,sys; r=list(csv.DictReader(open(sys.argv[1])))[2:]
print(statistics.median(float(x['step_ms']) for x in r))" "$1"
}
./podium pretrain configs/flowers_simclr.yaml "${common[@]}" --set data.val_split=0 --out "$out/simclr" > "$out/simclr.log"
./podium train configs/flowers_resnet18.yaml "${common[@]}" --set data.val_split=0.1 --out "$out/supervised" > "$out/supervised.log"
ssl_ms=$(median_ms "$out/simclr/metrics.csv"); sup_ms=$(median_ms "$out/supervised/metrics.csv")
"$py" bench/ssl/torch_reference.py --size 112 --batch 128 | tee "$out/torch.log"
# Debian's torch does its matrix products in the system BLAS: the reference one unless libopenblas0-pthread is installed
echo "PyTorch's BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)" | tee -a "$out/torch.log"
t_ssl=$(grep simclr_step_ms "$out/torch.log" | cut -d' ' -f2); t_sup=$(grep supervised_step_ms "$out/torch.log" | cut -d' ' -f2)
big=(--set data.train="$out/subset.csv" --set data.img_size=112 --set data.val_split=0 --set train.epochs=1
  --set train.batch_size=256 --set tracking.enabled=false)
/usr/bin/time -f "%M" -o "$out/whole.kb" ./podium pretrain configs/flowers_simclr.yaml "${big[@]}" --out "$out/whole" > /dev/null
/usr/bin/time -f "%M" -o "$out/chunk.kb" ./podium pretrain configs/flowers_simclr.yaml "${big[@]}" --set ssl.chunk=64 --out "$out/chunk" \
  > /dev/null
"$py" - "$ssl_ms" "$sup_ms" "$t_ssl" "$t_sup" "$(cat "$out/whole.kb")" "$(cat "$out/chunk.kb")" \
  "$(median_ms "$out/whole/metrics.csv")" "$(median_ms "$out/chunk/metrics.csv")" <<'PY' | tee "$out/summary.txt"
import sys
ssl, sup, tssl, tsup, whole_kb, chunk_kb, whole_ms, chunk_ms = map(float, sys.argv[1:])
print(f"podium SimCLR step (256 views): {ssl:.0f} ms = {128 / ssl * 1000:.1f} images/s ({256 / ssl * 1000:.1f} views/s)")
print(f"podium supervised step (128 images): {sup:.0f} ms = {128 / sup * 1000:.1f} images/s; "
      f"SimCLR costs {ssl / sup:.2f}x a supervised step")
print(f"PyTorch: SimCLR {tssl:.0f} ms, supervised {tsup:.0f} ms per step; "
      f"podium / PyTorch: SimCLR {ssl / tssl:.2f}, supervised {sup / tsup:.2f}")
print(f"batch 256 (512 views): whole {whole_ms:.0f} ms/step, peak {whole_kb / 1024:.0f} MB; ssl.chunk 64: {chunk_ms:.0f} ms/step, "
      f"peak {chunk_kb / 1024:.0f} MB")
PY
