#!/usr/bin/env bash
# Per-transform speed, single thread: Podium vs OpenCV-Python on the same images, same run.
#   bench/transforms/run.sh [SECONDS_PER_CASE] [ROUNDS]    (defaults 1 and 3)
# The two sides alternate ROUNDS times and each case keeps its best round, so a slow moment of a
# shared machine does not decide a ratio.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
s="${1:-1}"
rounds="${2:-3}"
py=/usr/bin/python3
"$py" -c 'import cv2, numpy' 2>/dev/null || { echo "bench: needs Debian's python3-opencv: sudo apt-get install python3-opencv" >&2; exit 1; }
out="bench/out/transforms-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$out"
dotnet build -c Release bench/TransformBench -v q -nologo > /dev/null
for r in $(seq "$rounds"); do
  dotnet bench/TransformBench/bin/Release/net10.0/TransformBench.dll "$s" > "$out/podium.$r.tsv"
  "$py" bench/transforms/opencv_reference.py "$s" > "$out/opencv.$r.tsv"
done
"$py" - "$out" "$rounds" <<'PY' | tee "$out/summary.txt"
import sys
out, rounds = sys.argv[1], int(sys.argv[2])
def best(side):
    b = {}
    for r in range(1, rounds + 1):
        for l in open(f"{out}/{side}.{r}.tsv"):
            name, data, rate = l.rstrip("\n").split("\t")
            b[(name, data)] = max(b.get((name, data), 0.0), float(rate))
    return b
p, o = best("podium"), best("opencv")
print(f"{'transform':30} {'data':16} {'podium img/s':>13} {'opencv-py img/s':>16} {'ratio':>6}   (best of {rounds} rounds)")
slow = 0
for k in p:
    r = p[k] / o[k]
    slow += r < 1
    print(f"{k[0]:30} {k[1]:16} {p[k]:13.1f} {o[k]:16.1f} {r:6.2f}{'  < 1' if r < 1 else ''}")
print(f"{len(p) - slow} of {len(p)} cases at least as fast as OpenCV-Python")
PY
