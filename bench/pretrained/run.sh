#!/usr/bin/env bash
# Pretrained-weight parity: PyTorch (Debian's python3-torch, torchvision) saves randomly initialised
# state dicts plus an input batch and its logits; Podium loads each .pth (through its pickle guard) into
# its own model and compares the logits (tolerance 1e-4 of the largest logit). TorchVision's resnet18,
# resnet50, mobilenet_v3_large; torchvision's EfficientNet B0/B3, ConvNeXt-tiny, and its generic
# ConvNeXt and VisionTransformer classes at atto and ViT-tiny sizes, loaded into Podium's own (timm-named)
# models through the torchvision-name mapping. Batch-norm statistics and layer scales are randomised so
# that every layer counts.
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
from torchvision.models.convnext import ConvNeXt, CNBlockConfig
from torchvision.models.vision_transformer import VisionTransformer
models = {
    "resnet18": torchvision.models.resnet18, "resnet50": torchvision.models.resnet50,
    "mobilenet_v3_large": torchvision.models.mobilenet_v3_large,
    "efficientnet_b0": torchvision.models.efficientnet_b0, "efficientnet_b3": torchvision.models.efficientnet_b3,
    "convnext_tiny": torchvision.models.convnext_tiny,
    "convnext_atto": lambda: ConvNeXt([CNBlockConfig(40, 80, 2), CNBlockConfig(80, 160, 2), CNBlockConfig(160, 320, 6), CNBlockConfig(320, None, 2)]),
    "vit_tiny_patch16": lambda: VisionTransformer(image_size=224, patch_size=16, num_layers=12, num_heads=3, hidden_dim=192, mlp_dim=768),
}
for name, build in models.items():
    m = build().eval()
    with torch.no_grad():
        for k, v in m.state_dict().items():
            if k.endswith("running_mean"): v.normal_(0, 0.1)
            if k.endswith("running_var"): v.uniform_(0.5, 2.0)
            if k.endswith("layer_scale"): v.uniform_(0.2, 1.0)
            if k.endswith("pos_embedding") or k.endswith("class_token") or k.startswith("heads."): v.normal_(0, 0.02)
        y = m(x)
    torch.save(m.state_dict(), f"{out}/{name}.pth")
    torch.save({"input": x, "logits": y}, f"{out}/{name}_io.pth")
    print(f"saved {name}: {sum(p.numel() for p in m.parameters())} parameters")
PY
dotnet run -c Release --project "$here/bench/pretrained/PretrainedCheck" -- "$out" resnet18 resnet50 mobilenet_v3_large efficientnet_b0 efficientnet_b3 convnext_tiny convnext_atto vit_tiny_patch16
