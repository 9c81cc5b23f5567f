"""PyTorch reference for the Podium foundation recipe (issue 2), for bench/flowers/run.sh.

Same split (Podium's split.csv), same augmentation (RandomResizedCrop as torchvision samples it,
then a flip, decoded and resized with OpenCV exactly as Podium does), same model (torchvision
resnet18), optimizer (AdamW), schedule (OneCycleLR), loss (CE, label smoothing) and batch size;
a DataLoader with one worker. Prints one line per epoch: seconds, RSS, loss, val accuracy, F1.
--precision bf16 runs forward and loss under torch.autocast (CPU, bfloat16); --channels-last puts
the model and the batches in channels_last memory format (PyTorch's recipe for both).
"""
import argparse, csv, math, os, random, time

import cv2
import numpy as np
import torch
import torchvision

MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


def resize(img, w, h):
    if img.shape[1] == w and img.shape[0] == h:
        return img
    shrink = w < img.shape[1] and h < img.shape[0]
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def random_resized_crop(img, size, scale, ratio=(3 / 4, 4 / 3)):
    h, w = img.shape[:2]
    area = w * h
    for _ in range(10):
        target = area * random.uniform(*scale)
        aspect = math.exp(random.uniform(math.log(ratio[0]), math.log(ratio[1])))
        cw, ch = int(round(math.sqrt(target * aspect))), int(round(math.sqrt(target / aspect)))
        if 0 < cw <= w and 0 < ch <= h:
            x, y = random.randint(0, w - cw), random.randint(0, h - ch)
            return resize(img[y:y + ch, x:x + cw], size, size)
    return resize(img, size, size)


class Flowers(torch.utils.data.Dataset):
    def __init__(self, rows, classes, size, train, scale):
        self.rows, self.classes, self.size, self.train, self.scale = rows, classes, size, train, scale

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, label = self.rows[i]
        img = cv2.cvtColor(cv2.imread(path, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        if self.train:
            img = random_resized_crop(img, self.size, self.scale)
            if random.random() < 0.5:
                img = img[:, ::-1]
        else:
            img = resize(img, self.size, self.size)
        x = (img.astype(np.float32) / 255.0 - MEAN) / STD
        return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1))), self.classes.index(label)


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--split", required=True)
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--img-size", type=int, default=112)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.002)
    p.add_argument("--weight-decay", type=float, default=0.05)
    p.add_argument("--warmup", type=float, default=0.15)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--scale-min", type=float, default=0.35)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads (Debian's torch defaults to 1)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    random.seed(a.seed)
    torch.manual_seed(a.seed)
    with open(a.split) as f:
        rows = list(csv.DictReader(f))
    classes = sorted({r["label"] for r in rows})
    train = [(r["path"], r["label"]) for r in rows if r["subset"] == "train"]
    val = [(r["path"], r["label"]) for r in rows if r["subset"] == "val"]
    train_dl = torch.utils.data.DataLoader(Flowers(train, classes, a.img_size, True, (a.scale_min, 1.0)), batch_size=a.batch_size,
                                           shuffle=True, drop_last=True, num_workers=1, persistent_workers=True)
    val_dl = torch.utils.data.DataLoader(Flowers(val, classes, a.img_size, False, None), batch_size=a.batch_size, num_workers=1,
                                         persistent_workers=True)
    model = torchvision.models.resnet18(num_classes=len(classes))
    layout = torch.channels_last if a.channels_last else torch.contiguous_format
    model = model.to(memory_format=layout)
    autocast = lambda: torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16")
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, a.lr, total_steps=a.epochs * len(train_dl), pct_start=a.warmup)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, {len(train)} train / {len(val)} val, "
          f"{a.precision}{', channels-last' if a.channels_last else ''}", flush=True)
    for epoch in range(1, a.epochs + 1):
        start = time.time()
        model.train()
        total = 0.0
        for x, y in train_dl:
            with autocast():
                logits = model(x.to(memory_format=layout))
            loss = torch.nn.functional.cross_entropy(logits.float(), y, label_smoothing=a.label_smoothing)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        model.eval()
        preds, truth = [], []
        with torch.no_grad():
            for x, y in val_dl:
                with autocast():
                    preds.append(model(x.to(memory_format=layout)).argmax(1))
                truth.append(y)
        preds, truth = torch.cat(preds), torch.cat(truth)
        acc = (preds == truth).float().mean().item()
        f1s = []
        for c in range(len(classes)):
            tp = ((preds == c) & (truth == c)).sum().item()
            pp, ap = (preds == c).sum().item(), (truth == c).sum().item()
            prec, rec = (tp / pp if pp else 0.0), (tp / ap if ap else 0.0)
            f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        print(f"epoch {epoch} seconds {time.time() - start:.2f} rss_mb {rss_mb():.0f} train_loss {total / len(train_dl):.4f} "
              f"val_accuracy {acc:.4f} val_f1_macro {sum(f1s) / len(f1s):.4f}", flush=True)


if __name__ == "__main__":
    main()
