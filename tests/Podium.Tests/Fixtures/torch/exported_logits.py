"""Loads a state dict that `podium export --format safetensors` wrote into Debian's PyTorch and runs it.

usage: exported_logits.py MODEL WEIGHTS.safetensors IO.safetensors
MODEL is resnet18 (torchvision's own module), efficientnet_b0 or convnext_atto (written here after timm's modules, whose
names the export carries; Debian has no timm). IO holds x (the input batch) and logits (Podium's output for it). Prints the
largest absolute difference between PyTorch's logits and Podium's, as JSON. The state dict must load strictly: every name
matched, every shape equal.
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "F16": np.float16, "U8": np.uint8}


def read_safetensors(path):
    """The file format by hand (Debian 12 has no safetensors package): a little-endian u64 header size, a JSON header of
    name -> dtype, shape and byte offsets, then the data."""
    with open(path, "rb") as f:
        blob = f.read()
    (size,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + size])
    data = blob[8 + size:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


class LayerNorm2d(nn.LayerNorm):
    """timm's LayerNorm2d: LayerNorm over the channels of an NCHW map."""

    def forward(self, x):
        return F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps).permute(0, 3, 1, 2)


class ConvMlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Conv2d(dim, hidden, 1)
        self.fc2 = nn.Conv2d(hidden, dim, 1)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class ConvNeXtBlock(nn.Module):
    """timm's ConvNeXtBlock with conv_mlp (atto, femto, pico, nano)."""

    def __init__(self, dim):
        super().__init__()
        self.conv_dw = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = LayerNorm2d(dim, eps=1e-6)
        self.mlp = ConvMlp(dim, 4 * dim)
        self.gamma = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x + self.mlp(self.norm(self.conv_dw(x))) * self.gamma.reshape(1, -1, 1, 1)


class ConvNeXtStage(nn.Module):
    def __init__(self, previous, dim, depth):
        super().__init__()
        self.downsample = nn.Identity() if previous is None else nn.Sequential(LayerNorm2d(previous, eps=1e-6),
                                                                                nn.Conv2d(previous, dim, 2, stride=2))
        self.blocks = nn.Sequential(*[ConvNeXtBlock(dim) for _ in range(depth)])

    def forward(self, x):
        return self.blocks(self.downsample(x))


class ConvNeXt(nn.Module):
    def __init__(self, depths, dims, classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dims[0], 4, stride=4), LayerNorm2d(dims[0], eps=1e-6))
        self.stages = nn.Sequential(*[ConvNeXtStage(dims[i - 1] if i else None, dims[i], depths[i]) for i in range(len(dims))])
        self.head = nn.Module()
        self.head.norm = LayerNorm2d(dims[-1], eps=1e-6)
        self.head.fc = nn.Linear(dims[-1], classes)

    def forward(self, x):
        x = self.stages(self.stem(x)).mean((2, 3), keepdim=True)
        return self.head.fc(self.head.norm(x).flatten(1))


class SqueezeExcite(nn.Module):
    def __init__(self, channels, reduced):
        super().__init__()
        self.conv_reduce = nn.Conv2d(channels, reduced, 1)
        self.conv_expand = nn.Conv2d(reduced, channels, 1)

    def forward(self, x):
        return x * torch.sigmoid(self.conv_expand(F.silu(self.conv_reduce(x.mean((2, 3), keepdim=True)))))


class DepthwiseSeparable(nn.Module):
    """timm's DepthwiseSeparableConv (EfficientNet's first stage)."""

    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.conv_dw = nn.Conv2d(cin, cin, kernel, stride, kernel // 2, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm2d(cin)
        self.se = SqueezeExcite(cin, max(1, int(cin * 0.25)))
        self.conv_pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = stride == 1 and cin == cout

    def forward(self, x):
        y = self.bn2(self.conv_pw(self.se(F.silu(self.bn1(self.conv_dw(x))))))
        return x + y if self.skip else y


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, kernel, stride, expand):
        super().__init__()
        mid = cin * expand
        self.conv_pw = nn.Conv2d(cin, mid, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv_dw = nn.Conv2d(mid, mid, kernel, stride, kernel // 2, groups=mid, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.se = SqueezeExcite(mid, max(1, int(cin * 0.25)))  # timm reduces from the block's input channels
        self.conv_pwl = nn.Conv2d(mid, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.skip = stride == 1 and cin == cout

    def forward(self, x):
        y = F.silu(self.bn1(self.conv_pw(x)))
        y = self.se(F.silu(self.bn2(self.conv_dw(y))))
        y = self.bn3(self.conv_pwl(y))
        return x + y if self.skip else y


class EfficientNetB0(nn.Module):
    # (expansion, channels, repeats, stride, kernel) per stage, as timm's efficientnet_b0 arch string.
    STAGES = [(1, 16, 1, 1, 3), (6, 24, 2, 2, 3), (6, 40, 2, 2, 5), (6, 80, 3, 2, 3), (6, 112, 3, 1, 5), (6, 192, 4, 2, 5),
              (6, 320, 1, 1, 3)]

    def __init__(self, classes):
        super().__init__()
        self.conv_stem = nn.Conv2d(3, 32, 3, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        stages, cin = [], 32
        for expand, cout, repeats, stride, kernel in self.STAGES:
            blocks = []
            for i in range(repeats):
                s = stride if i == 0 else 1
                blocks.append(DepthwiseSeparable(cin, cout, kernel, s) if expand == 1 else InvertedResidual(cin, cout, kernel, s, expand))
                cin = cout
            stages.append(nn.Sequential(*blocks))
        self.blocks = nn.Sequential(*stages)
        self.conv_head = nn.Conv2d(cin, 1280, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(1280)
        self.classifier = nn.Linear(1280, classes)

    def forward(self, x):
        x = self.blocks(F.silu(self.bn1(self.conv_stem(x))))
        x = F.silu(self.bn2(self.conv_head(x)))
        return self.classifier(x.mean((2, 3)))


def build(name, classes):
    if name == "resnet18":
        return torchvision.models.resnet18(num_classes=classes)
    if name == "efficientnet_b0":
        return EfficientNetB0(classes)
    if name == "convnext_atto":
        return ConvNeXt([2, 2, 6, 2], [40, 80, 160, 320], classes)
    raise SystemExit(f"no reference for {name}")


def main():
    name, weights, io = sys.argv[1:4]
    state = read_safetensors(weights)
    tensors = read_safetensors(io)
    head = [k for k in state if k.endswith("weight") and k.split(".")[0] in ("fc", "classifier", "head")][-1]
    model = build(name, state[head].shape[0])
    # Layer scales and 1x1 convolutions may be stored with singleton dimensions of their own: shape them as PyTorch has them.
    own = model.state_dict()
    state = {k: v.reshape(own[k].shape) if k in own and v.numel() == own[k].numel() else v for k, v in state.items()}
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        logits = model(tensors["x"])
    print(json.dumps({"max_abs_diff": float((logits - tensors["logits"]).abs().max()), "tensors": len(state),
                      "logit_scale": float(tensors["logits"].abs().max())}))


if __name__ == "__main__":
    main()
