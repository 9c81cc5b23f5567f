#!/usr/bin/env python3
"""Multi-label data from real letters: 2x2 mosaics of notMNIST glyphs (28 px each, 1 to 3 different
letters, the other tiles black), labelled with the letters they show (space-separated, a CSV manifest).
Training mosaics take glyphs from the first half of each letter's images, held-out ones from the second.
Usage: make_mosaics.py NOTMNIST_IMAGES_GZ OUT_DIR TRAIN_COUNT HOLDOUT_COUNT"""
import gzip, os, sys
import numpy as np
import cv2

images_gz, out, n_train, n_holdout = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with gzip.open(images_gz) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
with gzip.open(images_gz.replace("images-idx3", "labels-idx1")) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
letters = "ABCDEFGHIJ"
by_letter = [np.flatnonzero(labels == k) for k in range(10)]

def write(name, count, half, seed):
    rng = np.random.default_rng(seed)
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    rows = ["path,label"]
    for i in range(count):
        chosen = rng.permutation(10)[: rng.integers(1, 4)]
        tiles = list(chosen) + [-1] * (4 - len(chosen))
        rng.shuffle(tiles)
        mosaic = np.zeros((56, 56), np.uint8)
        for t, k in enumerate(tiles):
            if k < 0:
                continue
            pool = by_letter[k]
            pool = pool[: len(pool) // 2] if half == 0 else pool[len(pool) // 2 :]
            mosaic[t // 2 * 28 : t // 2 * 28 + 28, t % 2 * 28 : t % 2 * 28 + 28] = images[rng.choice(pool)]
        cv2.imwrite(os.path.join(folder, f"m{i:05d}.png"), mosaic)
        rows.append(f"{name}/m{i:05d}.png," + " ".join(letters[k] for k in sorted(chosen)))
    with open(os.path.join(out, f"{name}.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")

write("train", n_train, 0, 1)
write("holdout", n_holdout, 1, 2)
with open(os.path.join(out, "sample_submission.csv"), "w") as f:
    f.write("id,label\n" + "".join(f"m{i:05d},A\n" for i in range(n_holdout)))
print(f"{n_train} training and {n_holdout} held-out mosaics in {out}")
