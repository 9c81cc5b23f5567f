"""The same operations as bench/transforms/cases.txt through OpenCV-Python (Debian python3-opencv),
single thread, on the same images. Prints "name<TAB>dataset<TAB>images/s" like TransformBench.
Each case includes its image copy, as Podium's does (a transform must not change its input)."""
import glob, math, os, random, sys, time

import cv2
import numpy as np

cv2.setNumThreads(1)
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
data = os.path.join(root, "..", "shared", "datasets")
rgb = lambda p: cv2.cvtColor(cv2.imread(p, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
photos = [cv2.resize(rgb(p), (256, 256), interpolation=cv2.INTER_AREA)
          for p in sorted(glob.glob(os.path.join(data, "hymenoptera", "train", "*", "*.jp*g")))[:64]]
receipts = [rgb(p) for p in sorted(glob.glob(os.path.join(data, "sroie", "img", "*.jpg")))[:8]]
U = random.uniform


def odd(lo, hi):
    return random.choice([k for k in range(lo, hi + 1) if k % 2])


def warp(img, m):
    return cv2.warpAffine(img, m, (img.shape[1], img.shape[0]), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)


def rrc(img, size=224, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3)):
    h, w = img.shape[:2]
    for _ in range(10):
        a = w * h * U(*scale)
        r = math.exp(U(math.log(ratio[0]), math.log(ratio[1])))
        cw, ch = int(round(math.sqrt(a * r))), int(round(math.sqrt(a / r)))
        if 0 < cw <= w and 0 < ch <= h:
            x, y = random.randint(0, w - cw), random.randint(0, h - ch)
            crop = img[y:y + ch, x:x + cw]
            return cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA if cw > size and ch > size else cv2.INTER_LINEAR)
    return cv2.resize(img, (size, size))


def jitter(img):
    out = img.copy()
    ops = [0, 1, 2, 3]
    random.shuffle(ops)
    for op in ops:
        if op == 0:
            out = cv2.addWeighted(out, U(0.8, 1.2), out, 0, 0)
        elif op == 1:
            f = U(0.8, 1.2)
            out = cv2.addWeighted(out, f, out, 0, cv2.cvtColor(out, cv2.COLOR_RGB2GRAY).mean() * (1 - f))
        elif op == 2:
            f = U(0.8, 1.2)
            out = cv2.addWeighted(out, f, cv2.cvtColor(cv2.cvtColor(out, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB), 1 - f, 0)
        else:
            hsv = cv2.cvtColor(out, cv2.COLOR_RGB2HSV)
            lut = ((np.arange(256) + round(U(-0.1, 0.1) * 180)) % 180).astype(np.uint8)
            hsv[..., 0] = cv2.LUT(hsv[..., 0], lut)
            out = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    return out


def hsv_shift(img):
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    h, s, v = cv2.split(hsv)
    dh, ds, dv = round(U(-20, 20)), U(-30, 30), U(-20, 20)
    h = cv2.LUT(h, ((np.arange(256) + dh) % 180).astype(np.uint8))
    s = cv2.LUT(s, np.clip(np.arange(256) + ds, 0, 255).astype(np.uint8))
    v = cv2.LUT(v, np.clip(np.arange(256) + dv, 0, 255).astype(np.uint8))
    return cv2.cvtColor(cv2.merge([h, s, v]), cv2.COLOR_HSV2RGB)


def perspective(img):
    h, w = img.shape[:2]
    s = U(0.05, 0.1)
    j = lambda: min(0.45, abs(random.gauss(0, s)))
    src = np.float32([[j() * w, j() * h], [w - j() * w, j() * h], [w - j() * w, h - j() * h], [j() * w, h - j() * h]])
    dst = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    return cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst), (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def clahe(img):
    l, a, b = cv2.split(cv2.cvtColor(img, cv2.COLOR_RGB2LAB))
    l = cv2.createCLAHE(U(1, 4), (8, 8)).apply(l)
    return cv2.cvtColor(cv2.merge([l, a, b]), cv2.COLOR_LAB2RGB)


def sharpen(img):
    a, light = U(0.2, 0.5), U(0.5, 1.0)
    k = np.full((3, 3), -a, np.float32)
    k[1, 1] = (1 - a) + a * (8 + light)
    return cv2.filter2D(img, -1, k)


def noise(img):
    n = np.random.normal(0, math.sqrt(U(10, 50)), img.shape).astype(np.float32)
    return cv2.add(img.astype(np.float32), n).astype(np.uint8)  # saturating like Podium's float round trip


def jpeg(img):
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, random.randint(50, 90)])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def downscale(img):
    s = U(0.25, 0.5)
    h, w = img.shape[:2]
    small = cv2.resize(img, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_NEAREST)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)


def dropout(img):
    out = img.copy()
    h, w = img.shape[:2]
    for _ in range(random.randint(8, 8)):
        hh, ww = max(1, round(0.1 * h)), max(1, round(0.1 * w))
        y, x = random.randint(0, h - hh), random.randint(0, w - ww)
        out[y:y + hh, x:x + ww] = 0
    return out


def affine(img):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), U(-15, 15), U(0.9, 1.1))
    sh = math.tan(math.radians(U(-10, 10)))
    m = m @ np.array([[1, sh, -sh * h / 2], [0, 1, 0], [0, 0, 1]])
    m[:, 2] += (U(-0.1, 0.1) * w, U(-0.1, 0.1) * h)
    return warp(img, m)


cases = {
    "horizontal_flip": lambda i: cv2.flip(i, 1),
    "vertical_flip": lambda i: cv2.flip(i, 0),
    "random_rotate90": lambda i: np.ascontiguousarray(np.rot90(i, random.randint(0, 3))),
    "transpose": lambda i: cv2.transpose(i),
    "rotate": lambda i: warp(i, cv2.getRotationMatrix2D((i.shape[1] / 2, i.shape[0] / 2), U(-30, 30), 1)),
    "affine": affine,
    "perspective": perspective,
    "random_resized_crop": rrc,
    "center_crop": lambda i: i[(i.shape[0] - 128) // 2:(i.shape[0] - 128) // 2 + 128, (i.shape[1] - 128) // 2:(i.shape[1] - 128) // 2 + 128].copy(),
    "resize": lambda i: cv2.resize(i, (128, 128), interpolation=cv2.INTER_AREA),
    "color_jitter": jitter,
    "random_brightness_contrast": lambda i: cv2.convertScaleAbs(i, alpha=1 + U(-0.2, 0.2), beta=U(-0.2, 0.2) * 255),
    "hue_saturation_value": hsv_shift,
    "random_gamma": lambda i: cv2.LUT(i, np.clip(np.rint(255 * (np.arange(256) / 255) ** (U(80, 120) / 100)), 0, 255).astype(np.uint8)),
    "clahe": clahe,
    "equalize": lambda i: cv2.merge([cv2.equalizeHist(c) for c in cv2.split(i)]),
    "to_gray": lambda i: cv2.cvtColor(cv2.cvtColor(i, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB),
    "invert_img": lambda i: cv2.bitwise_not(i),
    "posterize": lambda i: cv2.bitwise_and(i, 0xF0),
    "solarize": lambda i: cv2.LUT(i, np.where(np.arange(256) >= 128, 255 - np.arange(256), np.arange(256)).astype(np.uint8)),
    "sharpen": sharpen,
    "gaussian_blur": lambda i: cv2.GaussianBlur(i, (k := odd(3, 7), k), 0),
    "median_blur": lambda i: cv2.medianBlur(i, odd(3, 7)),
    "gauss_noise": noise,
    "image_compression": jpeg,
    "downscale": downscale,
    "coarse_dropout": dropout,
}

for line in open(os.path.join(root, "bench", "transforms", "cases.txt")):
    if line.startswith("#") or not line.strip():
        continue
    name = line.split("\t")[0]
    f = cases[name]
    for dname, images in (("hymenoptera-256", photos), ("sroie", receipts)):
        random.seed(0)
        for img in images[:4]:
            f(img.copy())
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            f(images[n % len(images)].copy())
            n += 1
        print(f"{name}\t{dname}\t{n / (time.perf_counter() - start):.1f}", flush=True)
