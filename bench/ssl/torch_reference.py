"""PyTorch's time for the same training steps as podium's SimCLR and supervised runs (bench/ssl/run.sh).

ResNet-18 (torchvision, features 512) at the same size and batch: SimCLR's step is the network on 2 x BATCH views, the
projection head (linear 512-512 without bias, batch norm, ReLU, linear 512-128), NT-Xent and AdamW; the supervised step is
the classifier on BATCH images, cross-entropy and AdamW. Inputs are fixed random tensors (podium's step time does not count
loading either: its loader works ahead on other threads). Prints milliseconds per step, median of the timed steps.
"""
import argparse, os, statistics, time
import torch, torch.nn as nn, torch.nn.functional as F, torchvision

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, default=112)
p.add_argument("--batch", type=int, default=128)
p.add_argument("--steps", type=int, default=6)
p.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads (Debian's torch defaults to 1)")
a = p.parse_args()
torch.set_num_threads(a.threads)  # as podium: every core
torch.manual_seed(0)


def nt_xent(z, t):
    z = F.normalize(z, dim=1)
    n2 = z.shape[0]
    logits = z @ z.T / t - torch.eye(n2) * 1e9
    return F.cross_entropy(logits, (torch.arange(n2) + n2 // 2) % n2)


def timed(step):
    for _ in range(2):
        step()
    ms = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ms)


backbone = torchvision.models.resnet18(num_classes=5)
backbone.fc = nn.Identity()
head = nn.Sequential(nn.Linear(512, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU(), nn.Linear(512, 128))
ssl = nn.Sequential(backbone, head).train()
opt = torch.optim.AdamW(ssl.parameters(), lr=1e-3, weight_decay=0.05)
views = torch.randn(2 * a.batch, 3, a.size, a.size)


def simclr_step():
    opt.zero_grad()
    nt_xent(ssl(views), 0.2).backward()
    opt.step()


classifier = torchvision.models.resnet18(num_classes=5).train()
opt2 = torch.optim.AdamW(classifier.parameters(), lr=1e-3, weight_decay=0.05)
images, labels = torch.randn(a.batch, 3, a.size, a.size), torch.randint(0, 5, (a.batch,))


def supervised_step():
    opt2.zero_grad()
    F.cross_entropy(classifier(images), labels).backward()
    opt2.step()


print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {a.size} px, batch {a.batch}")
print(f"simclr_step_ms {timed(simclr_step):.1f}")
print(f"supervised_step_ms {timed(supervised_step):.1f}")
