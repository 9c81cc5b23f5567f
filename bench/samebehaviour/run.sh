#!/usr/bin/env bash
# The figures a refactoring must not change (issue 15): the flowers foundation recipe for 2 epochs, the quickstart and
# the OCR quickstart, each run alone, reduced to the printed losses, accuracies and hmeans (timings dropped).
# Run it before and after a change and diff the two figure files:
#   bench/samebehaviour/run.sh OUT_DIR        (writes OUT_DIR/figures.txt; about 8 minutes on 2 cores)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mkdir -p "${1:?usage: run.sh OUT_DIR}" && cd "$1" && pwd)"
rm -rf "$out/flowers" "$out/quickstart" "$out/quickstart-ocr"
cd "$here"
dotnet build src/Podium.Cli -c Release -v q --nologo -clp:ErrorsOnly
./podium train configs/flowers_resnet18.yaml --set train.epochs=2 --out "$out/flowers" > "$out/flowers.log"
./podium quickstart --out "$out/quickstart" > "$out/quickstart.log"
./podium quickstart --ocr --out "$out/quickstart-ocr" > "$out/quickstart-ocr.log"
# Epoch lines and results without their times; the per-epoch table from each run's epochs.csv without its timing columns
# (and without columns a run left empty: detection runs logged NaN classification columns before issue 15).
{
  for f in flowers quickstart quickstart-ocr; do
    echo "== $f"
    grep -E "^epoch |best epoch|accuracy|hmean|macro F1|log loss|precision|recall" "$out/$f.log" \
      | sed -E 's/  [0-9.]+s  wait [0-9.]+s  eta [0-9hms?]+//; s/ in [0-9]+ s$//; s/network [0-9]+ ms, post-processing [0-9.]+ ms//' \
      | grep -v "quickstart done" || true
  done
  for f in flowers/epochs.csv quickstart/run/epochs.csv quickstart-ocr/run/epochs.csv; do
    echo "== $f"
    python3 - "$out/$f" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    print(",".join(f"{k}={v}" for k, v in r.items() if k not in ("seconds", "data_wait_seconds", "rss_mb") and v != "NaN"))
PY
  done
} > "$out/figures.txt"
cat "$out/figures.txt"
