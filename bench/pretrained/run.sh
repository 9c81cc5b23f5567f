#!/usr/bin/env bash
# Pretrained-weight parity: PyTorch (Debian's python3-torch, torchvision) saves randomly initialised
# resnet18, resnet50 and mobilenet_v3_large state dicts plus an input batch and its logits; Podium loads
# each .pth (through its pickle guard) into its own model and compares the logits (tolerance 1e-4).
# Usage: bench/pretrained/run.sh [OUT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(realpath -m "${1:-$here/bench/out/pretrained}")"
mkdir -p "$out"
/usr/bin/python3 - "$out" <<'PY'
import sys, torch, torchvision
out = sys.argv[1]
torch.manual_seed(0)
x = torch.randn(2, 3, 224, 224)
for name in ["resnet18", "resnet50", "mobilenet_v3_large"]:
    m = getattr(torchvision.models, name)().eval()
    with torch.no_grad():
        y = m(x)
    torch.save(m.state_dict(), f"{out}/{name}.pth")
    torch.save({"input": x, "logits": y}, f"{out}/{name}_io.pth")
    print(f"saved {name}: {sum(p.numel() for p in m.parameters())} parameters")
PY
dotnet run -c Release --project "$here/bench/pretrained/PretrainedCheck" -- "$out" resnet18 resnet50 mobilenet_v3_large
