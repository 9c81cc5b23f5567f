#!/usr/bin/env bash
# Per-transform speed, single thread: Podium vs OpenCV-Python on the same images, same run.
#   bench/transforms/run.sh [SECONDS_PER_CASE]    (default 1)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
s="${1:-1}"
py=/usr/bin/python3
"$py" -c 'import cv2, numpy' 2>/dev/null || { echo "bench: needs Debian's python3-opencv: sudo apt-get install python3-opencv" >&2; exit 1; }
out="bench/out/transforms-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$out"
dotnet run -c Release --project bench/TransformBench -- "$s" > "$out/podium.tsv"
"$py" bench/transforms/opencv_reference.py "$s" > "$out/opencv.tsv"
"$py" - "$out/podium.tsv" "$out/opencv.tsv" <<'PY' | tee "$out/summary.txt"
import sys
p = {tuple(l.split("\t")[:2]): float(l.split("\t")[2]) for l in open(sys.argv[1])}
o = {tuple(l.split("\t")[:2]): float(l.split("\t")[2]) for l in open(sys.argv[2])}
print(f"{'transform':28} {'data':16} {'podium img/s':>13} {'opencv-py img/s':>16} {'ratio':>6}")
slow = 0
for k in p:
    r = p[k] / o[k]
    slow += r < 1
    print(f"{k[0]:28} {k[1]:16} {p[k]:13.1f} {o[k]:16.1f} {r:6.2f}{'  < 1' if r < 1 else ''}")
print(f"{len(p) - slow} of {len(p)} cases at least as fast as OpenCV-Python")
PY
