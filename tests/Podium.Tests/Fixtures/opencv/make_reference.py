"""Reference outputs of OpenCV-Python (Debian python3-opencv) for Podium's pixel transforms.

Run from this folder with /usr/bin/python3 make_reference.py; it writes input.png and one
<name>.png per operation (images stored as RGB-in-PNG: read them back with cv2.IMREAD_COLOR +
BGR2RGB, as Podium does). PixelTransformReferenceTests applies the same operations with the
same parameters through Podium and compares within 1 grey level.
"""
import cv2
import numpy as np

rng = np.random.default_rng(7)
h, w = 64, 96
y, x = np.mgrid[0:h, 0:w]
img = np.stack([x * 255 / w, y * 255 / h, (x + y) * 128 / (w + h) + 60], -1)
cv2.circle(img, (30, 30), 18, (250, 40, 30), -1)
cv2.rectangle(img, (55, 10), (85, 50), (20, 200, 90), -1)
img = np.clip(img + rng.normal(0, 12, img.shape), 0, 255).astype(np.uint8)  # RGB


def save(name, rgb):
    cv2.imwrite(f"{name}.png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR) if rgb.ndim == 3 else rgb)


def lut(a, f):
    table = np.clip(np.rint([f(i) for i in range(256)]), 0, 255).astype(np.uint8)
    return cv2.LUT(a, table)


def hsv(a, fh, fs, fv):
    hh, ss, vv = cv2.split(cv2.cvtColor(a, cv2.COLOR_RGB2HSV))
    return cv2.cvtColor(cv2.merge([lut(hh, fh), lut(ss, fs), lut(vv, fv)]), cv2.COLOR_HSV2RGB)


zeros = np.zeros_like(img)
gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
gray3 = cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)
save("input", img)
save("brightness_1.3", cv2.addWeighted(img, 1.3, zeros, 0, 0))
save("contrast_0.7", cv2.addWeighted(img, 0.7, zeros, 0, gray.mean() * 0.3))
save("saturation_1.5", cv2.addWeighted(img, 1.5, gray3, -0.5, 0))
save("hue_0.1", hsv(img, lambda v: (v + 18) % 180, lambda v: v, lambda v: v))
save("brightness_contrast_0.1_-0.2", cv2.addWeighted(img, 0.8, zeros, 0, 25.5))
save("hsv_10_-20_15", hsv(img, lambda v: (v + 10) % 180, lambda v: v - 20, lambda v: v + 15))
save("rgb_shift_10_-15_20", cv2.add(img, (10, -15, 20, 0)))
save("gamma_0.8", lut(img, lambda v: 255 * (v / 255) ** 0.8))
l, a, b = cv2.split(cv2.cvtColor(img, cv2.COLOR_RGB2LAB))
save("clahe_2_8", cv2.cvtColor(cv2.merge([cv2.createCLAHE(2.0, (8, 8)).apply(l), a, b]), cv2.COLOR_LAB2RGB))
save("equalize", cv2.merge([cv2.equalizeHist(c) for c in cv2.split(img)]))
save("posterize_3", img & 0b11100000)
save("solarize_100", np.where(img >= 100, 255 - img, img).astype(np.uint8))
k = np.full((3, 3), -0.4, np.float32)
k[1, 1] = 0.6 + 0.4 * (8 + 0.7)
save("sharpen_0.4_0.7", cv2.filter2D(img, -1, k))
save("gaussian_blur_5_1.2", cv2.GaussianBlur(img, (5, 5), 1.2))
save("gaussian_blur_7_0", cv2.GaussianBlur(img, (7, 7), 0))
save("median_blur_5", cv2.medianBlur(img, 5))
ok, jpg = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 50])
save("jpeg_50", cv2.cvtColor(cv2.imdecode(jpg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB))
small = cv2.resize(img, (w // 2, h // 2), interpolation=cv2.INTER_NEAREST)
save("downscale_0.5", cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST))
save("invert", cv2.bitwise_not(img))
save("to_gray", gray3)
print("reference images written with OpenCV", cv2.__version__)
