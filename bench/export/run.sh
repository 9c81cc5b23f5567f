#!/usr/bin/env bash
# podium export on real data (issue 22), one process at a time:
#  - short real runs (flowers: resnet18, efficientnet_b0, convnext_atto, one epoch at 112 px; SROIE: a DBNet, one epoch at 320),
#    trained unless RUNS names a folder that has them;
#  - each exported as ONNX and safetensors; ONNX Runtime against Podium on 100 validation flowers (largest logit difference,
#    ms per image at batch 1) and on 10 receipts (the DBNet probability map, ms per page) (bench/ExportBench);
#  - the safetensors in Debian's PyTorch on the same 100 images (tests/Podium.Tests/Fixtures/torch/exported_logits.py).
#   bench/export/run.sh                 (results under bench/out/export-*/)
#   RUNS=/path/to/runs bench/export/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="bench/out/export-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
runs="${RUNS:-$out/runs}"
dotnet build src/Podium.Cli -c Release -v q --nologo -clp:ErrorsOnly
podium=(dotnet src/Podium.Cli/bin/Release/net10.0/Podium.Cli.dll)
for m in resnet18 efficientnet_b0 convnext_atto; do
  [ -f "$runs/$m/checkpoints/best.pt" ] || "${podium[@]}" train configs/flowers_resnet18.yaml --set model.name=$m \
    --set train.epochs=1 --set tracking.enabled=false --out "$runs/$m" --overwrite > "$out/train-$m.log"
done
[ -f "$runs/dbnet/checkpoints/best.pt" ] || "${podium[@]}" ocr train configs/sroie_dbnet.yaml --set train.epochs=1 \
  --set data.img_size=320 --set tracking.enabled=false --out "$runs/dbnet" --overwrite > "$out/train-dbnet.log"
dotnet run -c Release --project bench/ExportBench -- "$out" "$runs/resnet18" "$runs/efficientnet_b0" "$runs/convnext_atto" \
  "$runs/dbnet" | tee "$out/results.txt"
for m in resnet18 efficientnet_b0 convnext_atto; do
  echo "$m in PyTorch: $(/usr/bin/python3 tests/Podium.Tests/Fixtures/torch/exported_logits.py $m "$out/$m.safetensors" \
    "$out/$m.io.safetensors")" | tee -a "$out/results.txt"
done
