#!/usr/bin/env bash
# Recognition and end-to-end OCR on SROIE (issue 20). A seeded split by receipt (seed 0: 125 held out, the other 501 to train
# from, the first TRAIN of them used), linked from the shared dataset. Then:
#  1. PP-OCRv4's recogniser fine-tuned on the training receipts' ground-truth lines, validated on the held-out receipts' lines:
#     CER, line accuracy, SROIE word F1 (greedy and beam), milliseconds per line; then read limited to a lexicon;
#  2. end to end on the held-out receipts with PP-OCRv4's detector: the fine-tuned recogniser, the recogniser as it ships, and
#     Tesseract (--psm 3 and --psm 6) as the peer, scored alike (CER and word F1 of the text in reading order; key fields).
# Usage: bench/ocr/rec.sh [TRAIN] [EPOCHS]   (default 501 3; writes under bench/out/ocr-rec; needs podium weights fetch
# ppocrv4-det ppocrv4-rec and Debian's tesseract-ocr)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
train="${1:-501}"; epochs="${2:-3}"
sroie="$here/../shared/datasets/sroie"
out="$here/bench/out/ocr-rec"
mkdir -p "$out"
split="$out/split"
if [ ! -d "$split/test" ]; then
  python3 - "$sroie" "$split" <<'PY'
import os, random, sys
sroie, split = sys.argv[1], sys.argv[2]
ids = sorted(f[:-4] for f in os.listdir(f'{sroie}/img'))
random.Random(0).shuffle(ids)
for name, part in {'test': ids[:len(ids) // 5], 'train': ids[len(ids) // 5:]}.items():
    for sub, ext in (('img', 'jpg'), ('box', 'txt'), ('key', 'json')):
        os.makedirs(f'{split}/{name}/{sub}')
        for i in sorted(part):
            os.symlink(f'{sroie}/{sub}/{i}.{ext}', f'{split}/{name}/{sub}/{i}.{ext}')
PY
fi
subset="$out/train$train"
if [ ! -d "$subset" ]; then
  mkdir -p "$subset/img" "$subset/box"
  ls "$split/train/img" | head -n "$train" | while read -r f; do
    ln -s "$(readlink "$split/train/img/$f")" "$subset/img/$f"
    ln -s "$(readlink "$split/train/box/${f%.jpg}.txt")" "$subset/box/${f%.jpg}.txt"
  done
fi
echo "== 1. fine-tuning ppocrv4-rec on $(ls "$subset/img" | wc -l) receipts' lines, $epochs epochs"
start=$(date +%s)
cat > "$out/rec.yaml" <<YAML
seed: 0
data: {train: $subset, val: $split/test, workers: 2}
model: {pretrained: ppocrv4-rec}
rec: {max_width: 640}
train: {epochs: $epochs, batch_size: 8, threads: 2, optimizer: {name: adam, lr: 0.0001}}
YAML
"$here/podium" ocr train "$out/rec.yaml" --out "$out/rec-$train-$epochs" --overwrite | grep -v "^  step"
echo "wall: $(( $(date +%s) - start )) s"
echo "-- the held-out lines limited to a lexicon of their own transcriptions (the full-lexicon protocol of scene-text benchmarks)"
cut -d, -f9- "$split"/test/box/*.txt | tr -d '\r' | grep -v '^###$' | sort -u > "$out/lexicon.txt"
"$here/podium" ocr recognize --rec "$out/rec-$train-$epochs" --input "$split/test" --lexicon "$out/lexicon.txt" \
  --out "$out/lexicon-readings.csv" | grep -v "lines read$"
echo "== 2. end to end on the $(ls "$split/test/img" | wc -l) held-out receipts"
for rec in "$out/rec-$train-$epochs" ppocrv4-rec; do
  echo "-- detector ppocrv4-det, recogniser $rec"
  "$here/podium" ocr read --det ppocrv4-det --rec "$rec" --input "$split/test/img" --truth "$split/test/box" \
    --keys "$split/test/key" --out "$out/read-$(basename "$rec")" | grep -v "regions, [0-9]* ms"
done
for psm in 3 6; do
  echo "-- Tesseract $(tesseract --version 2>&1 | head -1) --psm $psm"
  mkdir -p "$out/tesseract-$psm"
  start=$(date +%s)
  for img in "$split/test/img"/*.jpg; do
    OMP_THREAD_LIMIT=2 tesseract "$img" "$out/tesseract-$psm/$(basename "${img%.jpg}")" --psm "$psm" 2>/dev/null
  done
  n=$(ls "$split/test/img" | wc -l)
  echo "per receipt: $(( ($(date +%s) - start) * 1000 / n )) ms"
  "$here/podium" ocr score --truth "$split/test/box" --text "$out/tesseract-$psm" --keys "$split/test/key"
done
