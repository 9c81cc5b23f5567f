#!/usr/bin/env bash
# Peak memory of eda, train, predict and ocr detect on a folder holding one 20000x20000 PNG (a decompression bomb of
# ~50 KB beside 16 flowers), measured by /usr/bin/time -v (issue 16). Prints one line per command:
#   OCR_RUN=runs/x bench/badinput/bigpng.sh OUT_DIR   (about 2 minutes on 2 cores; OCR_RUN: a podium ocr train run)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mkdir -p "${1:?usage: bigpng.sh OUT_DIR}" && cd "$1" && pwd)"
flowers="$here/../shared/datasets/flowers"
chmod -R u+w "$out" 2>/dev/null || true
rm -rf "$out/data" "$out/run" "$out/ocr"
for c in daisy rose; do
  mkdir -p "$out/data/$c"
  mapfile -t files < <(ls "$flowers/$c" | sort)
  for f in "${files[@]:0:8}"; do cp --no-preserve=mode "$flowers/$c/$f" "$out/data/$c/"; done
done
python3 - "$out/data/rose/bomb.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
side, z, parts = 20000, zlib.compressobj(9), []
row = bytes(side + 1)  # filter byte 0, then a row of black 8-bit gray pixels
for _ in range(side):
    parts.append(z.compress(row))
parts.append(z.flush())
with open(sys.argv[1], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))
PY
mkdir -p "$out/ocr/img"; cp "$out/data/rose/bomb.png" "$out/ocr/img/"; cp "$out/data/daisy/${files[0]}" "$out/ocr/img/" 2>/dev/null || cp "$out/data/daisy/"*.jpg "$out/ocr/img/"
cd "$here"
dotnet build src/Podium.Cli -c Release -v q --nologo -clp:ErrorsOnly > /dev/null
measure() { # name, command...
  local name="$1"; shift
  set +e
  /usr/bin/time -v "$@" > "$out/$name.log" 2> "$out/$name.time"
  local rc=$?
  set -e
  local rss; rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/$name.time")
  local secs; secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/$name.time")
  echo "$name: rc $rc, peak RSS ${rss} MB, wall $secs; $(cat "$out/$name.log" "$out/$name.time" | grep -c "bomb.png") lines name bomb.png"
  grep -h "bomb.png" "$out/$name.log" "$out/$name.time" | head -2 | sed 's/^/    /' || true
}
echo "bomb.png: $(stat -c %s "$out/data/rose/bomb.png") bytes"
measure eda ./podium eda "$out/data" --out "$out/eda"
measure train ./podium train configs/flowers_resnet18.yaml --set data.train="$out/data" --set train.epochs=1 \
  --set train.batch_size=8 --set data.img_size=64 --set 'augment.train=[]' --out "$out/run"
measure predict ./podium predict --run "$out/run" --input "$out/data/rose" --out "$out/predictions.csv"
ocr_run="${OCR_RUN:-$here/runs/quickstart-ocr/run}"
if [ -d "$ocr_run" ]; then
  measure ocr_detect ./podium ocr detect --run "$ocr_run" --input "$out/ocr/img" --out "$out/ocr/detections"
else
  echo "ocr_detect: no OCR run at $ocr_run (set OCR_RUN)"
fi
