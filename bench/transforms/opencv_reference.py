"""The same operations as bench/transforms/cases.txt through OpenCV-Python (Debian python3-opencv),
single thread, on the same images. Prints "name<TAB>dataset<TAB>images/s" like TransformBench.
Each case includes its image copy, as Podium's does (a transform must not change its input)."""
import glob, math, os, random, sys, time

import cv2
import numpy as np

cv2.setNumThreads(1)
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
only = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else None  # case names to run alone
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


def fit_resize(img, w, h):
    # Podium's rule: area when shrinking both sides, bilinear otherwise.
    shrink = w < img.shape[1] and h < img.shape[0]
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def random_crop(img, ch=128, cw=128):
    h, w = img.shape[:2]
    y, x = random.randint(0, h - ch), random.randint(0, w - cw)
    return img[y:y + ch, x:x + cw].copy()


def random_sized_crop(img, lo=128, hi=224, size=224):
    h, w = img.shape[:2]
    ch = min(h, random.randint(lo, hi))
    cw = min(w, ch)
    y, x = random.randint(0, h - ch), random.randint(0, w - cw)
    return fit_resize(img[y:y + ch, x:x + cw], size, size)


def max_size(img, size, longest):
    h, w = img.shape[:2]
    s = size / (max(h, w) if longest else min(h, w))
    return fit_resize(img, max(1, round(w * s)), max(1, round(h * s)))


def pad_if_needed(img, mh=320, mw=320):
    h, w = img.shape[:2]
    ph, pw = max(0, mh - h), max(0, mw - w)
    if ph == 0 and pw == 0:
        return img
    return cv2.copyMakeBorder(img, ph // 2, ph - ph // 2, pw // 2, pw - pw // 2, cv2.BORDER_CONSTANT, value=0)


def shift_scale_rotate(img):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), U(-45, 45), U(0.9, 1.1))
    m[:, 2] += (U(-0.0625, 0.0625) * w, U(-0.0625, 0.0625) * h)
    return warp(img, m)


def grid_distortion(img, steps=5, limit=0.3):
    # albumentations' algorithm: cell sizes scaled by 1 + U(-limit, limit), a separable piecewise-linear map, cv2.remap.
    h, w = img.shape[:2]

    def axis(n):
        widths = np.array([1 + U(-limit, limit) for _ in range(steps)])
        src = np.concatenate([[0], np.cumsum(widths / widths.sum() * n)])
        dst = np.linspace(0, n, steps + 1)
        return (np.interp(np.arange(n) + 0.5, dst, src) - 0.5).astype(np.float32)

    xs, ys = axis(w), axis(h)
    map_x = np.broadcast_to(xs, (h, w))
    map_y = np.broadcast_to(ys[:, None], (h, w))
    return cv2.remap(img, np.ascontiguousarray(map_x), np.ascontiguousarray(map_y), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)


def elastic(img, alpha=1.0, sigma=50.0):
    # albumentations' algorithm: uniform(-1, 1) fields, Gaussian-smoothed, scaled by alpha, added to the identity map.
    h, w = img.shape[:2]
    k = max(3, int(sigma * 4) | 1)
    dx = cv2.GaussianBlur(np.random.uniform(-1, 1, (h, w)).astype(np.float32), (k, k), sigma) * alpha
    dy = cv2.GaussianBlur(np.random.uniform(-1, 1, (h, w)).astype(np.float32), (k, k), sigma) * alpha
    x, y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(img, x + dx, y + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)


def rgb_shift(img):
    return cv2.add(img, (round(U(-20, 20)), round(U(-20, 20)), round(U(-20, 20)), 0))


def motion_blur(img):
    k = odd(3, 7)
    kernel = np.zeros((k, k), np.float32)
    while True:
        a, b = (random.randrange(k), random.randrange(k)), (random.randrange(k), random.randrange(k))
        if a != b:
            break
    cv2.line(kernel, a, b, 1, 1)
    return cv2.filter2D(img, -1, kernel / kernel.sum())


def iso_noise(img, color_shift=(0.01, 0.05), intensity=(0.1, 0.5)):
    # albumentations' iso_noise, line for line.
    cs, it = U(*color_shift), U(*intensity)
    f = np.multiply(img, 1 / 255, dtype=np.float32)
    hls = cv2.cvtColor(f, cv2.COLOR_RGB2HLS)
    _, std = cv2.meanStdDev(hls)
    lum_noise = np.random.poisson(std[1] * it * 255, size=hls.shape[:2])
    color_noise = np.random.normal(0, cs * 360 * it, size=hls.shape[:2])
    hue = hls[..., 0]
    hue += color_noise
    hue[hue < 0] += 360
    hue[hue > 360] -= 360
    lum = hls[..., 1]
    lum += (lum_noise / 255) * (1.0 - lum)
    return (cv2.cvtColor(hls, cv2.COLOR_HLS2RGB) * 255).astype(np.uint8)


def multiplicative_noise(img):
    return cv2.multiply(img.astype(np.float32), U(0.9, 1.1)).astype(np.uint8)  # albumentations: float multiply, then back


def grid_dropout(img, ratio=0.5):
    unit = random.randint(10, 40)
    hole = max(1, round(unit * ratio))
    ox, oy = random.randrange(unit), random.randrange(unit)
    h, w = img.shape[:2]
    for y in range(oy - unit, h, unit):
        for x in range(ox - unit, w, unit):
            img[max(0, y):max(0, y + hole), max(0, x):max(0, x + hole)] = 0
    return img


def random_erasing(img, scale=(0.02, 0.33), ratio=(0.3, 3.3)):
    h, w = img.shape[:2]
    for _ in range(10):
        a = h * w * U(*scale)
        r = math.exp(U(math.log(ratio[0]), math.log(ratio[1])))
        eh, ew = int(round(math.sqrt(a * r))), int(round(math.sqrt(a / r)))
        if 0 < eh < h and 0 < ew < w:
            y, x = random.randint(0, h - eh), random.randint(0, w - ew)
            img[y:y + eh, x:x + ew] = 0
            return img
    return img


MEAN255 = np.array([0.485, 0.456, 0.406], np.float32) * 255
INV_STD255 = 1 / (np.array([0.229, 0.224, 0.225], np.float32) * 255)


def normalize(img):
    # albumentations' Normalize (float subtract, multiply) then ToTensorV2's CHW, made contiguous as a batch needs.
    return np.ascontiguousarray(((img.astype(np.float32) - MEAN255) * INV_STD255).transpose(2, 0, 1))


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
    # numpy in place on the copy: the fastest correct call (cv2.bitwise_and(i, 0xF0) masks channel 0 only).
    "posterize": lambda i: np.bitwise_and(i, 0xF0, out=i),
    "solarize": lambda i: cv2.LUT(i, np.where(np.arange(256) >= 128, 255 - np.arange(256), np.arange(256)).astype(np.uint8)),
    "sharpen": sharpen,
    "gaussian_blur": lambda i: cv2.GaussianBlur(i, (k := odd(3, 7), k), 0),
    "median_blur": lambda i: cv2.medianBlur(i, odd(3, 7)),
    "gauss_noise": noise,
    "image_compression": jpeg,
    "downscale": downscale,
    "coarse_dropout": dropout,
    "random_crop": random_crop,
    "random_sized_crop": random_sized_crop,
    "longest_max_size": lambda i: max_size(i, 128, True),
    "smallest_max_size": lambda i: max_size(i, 128, False),
    "pad_if_needed": pad_if_needed,
    "crop_non_empty_mask_if_exists": random_crop,  # without a mask it is a random crop
    "shift_scale_rotate": shift_scale_rotate,
    "grid_distortion": grid_distortion,
    "elastic_transform": elastic,
    "rgb_shift": rgb_shift,
    "channel_shuffle": lambda i: np.ascontiguousarray(i[..., random.sample([0, 1, 2], 3)]),
    "motion_blur": motion_blur,
    "iso_noise": iso_noise,
    "multiplicative_noise": multiplicative_noise,
    "grid_dropout": grid_dropout,
    "random_erasing": random_erasing,
    "normalize": normalize,
}

for line in open(os.path.join(root, "bench", "transforms", "cases.txt")):
    if line.startswith("#") or not line.strip():
        continue
    name = line.split("\t")[0]
    if only and name not in only:
        continue
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
