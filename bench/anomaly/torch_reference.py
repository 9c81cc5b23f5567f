"""PatchCore scoring in PyTorch (Debian's python3-torch), the work podium anomaly score does per image, on fixed tensors (no
decoding): ML.NET's ResNet-18 layout (torchvision's, 3 blocks in layer4, unused here), layer2 and layer3 each averaged over
3x3 neighbourhoods, layer3 resized to layer2's grid (bilinear), side by side; every patch's distance to its nearest memory
bank row (|a|^2 - 2ab + |b|^2 in blocks of 16M distances, as podium); the image's score is its highest patch. Random weights
and bank rows: the time does not depend on them.
Usage: torch_reference.py THREADS BANK_ROWS [IMG_SIZE] [BATCH]  -> milliseconds per image (median of 5 batches after 1)."""
import statistics
import sys
import time

import torch
import torch.nn.functional as F
import torchvision

threads, rows = int(sys.argv[1]), int(sys.argv[2])
size = int(sys.argv[3]) if len(sys.argv) > 3 else 128
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 32
torch.set_num_threads(threads)
torch.manual_seed(0)
net = torchvision.models.resnet.ResNet(torchvision.models.resnet.BasicBlock, [2, 2, 2, 3]).eval()
bank = torch.randn(rows, 128 + 256)
block = max(1, (16 << 20) // rows)


def score(x):
    with torch.no_grad():
        h = net.layer1(net.maxpool(net.relu(net.bn1(net.conv1(x)))))
        f2 = net.layer2(h)
        f3 = net.layer3(f2)
        f2, f3 = F.avg_pool2d(f2, 3, 1, 1), F.avg_pool2d(f3, 3, 1, 1)
        f3 = F.interpolate(f3, size=f2.shape[-2:], mode="bilinear", align_corners=False)
        p = torch.cat([f2, f3], 1).permute(0, 2, 3, 1).reshape(-1, bank.shape[1])
        parts = []
        for s in range(0, p.shape[0], block):
            q = p[s:s + block]
            d = q @ bank.t() * -2 + (q * q).sum(1, keepdim=True) + (bank * bank).sum(1)
            parts.append(d.clamp_min(0).amin(1).sqrt())
        return torch.cat(parts).view(x.shape[0], -1).amax(1)


x = torch.randn(batch, 3, size, size)
score(x)
times = []
for _ in range(5):
    start = time.perf_counter()
    score(x)
    times.append((time.perf_counter() - start) * 1000 / batch)
print(f"{statistics.median(times):.1f}")
