#!/usr/bin/env python3
"""Reference PSNR and SSIM from scikit-image, for ReconstructionMetricsReferenceTest.

ldm4j scores reconstructions the way scikit-image does (see ReconstructionMetrics), and this script
keeps it honest: it makes a few deterministic image pairs, scores them with scikit-image, and
writes the pairs (.npy) and the scores (reference.json) as test resources, so the Java test needs
no Python. Run it with Debian's scikit-image (not a pyenv Python):

    sudo apt-get install python3-skimage python3-numpy
    /usr/bin/python3 scripts/ssim_reference.py

The convention, per image, then the mean over images:
    structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                          data_range=L, channel_axis=0 for RGB)
    peak_signal_noise_ratio(a, b, data_range=L)
with L = 255 for uint8 pixels. scikit-image filters float32 in float32, so float cases are given
to it as float64 (ldm4j computes in double).
"""
import json
import pathlib

import numpy as np
import scipy
import skimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

OUT = pathlib.Path(__file__).resolve().parent.parent / "core/src/test/resources/ldm4j/core/metrics/ssim-reference"


def garment(rng, n, c, h, w):
    """Bright smooth blobs on an exactly black background, like Fashion-MNIST: the case where
    SSIM's luminance term tells pixels in [0, 255] from pixels shifted to [-1, 1]."""
    y, x = np.mgrid[0:h, 0:w]
    out = np.zeros((n, c, h, w))
    for i in range(n):
        cy, cx = rng.uniform(0.35, 0.65, 2) * (h, w)
        ry, rx = rng.uniform(0.2, 0.35, 2) * (h, w)
        inside = ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1
        texture = 150 + 60 * np.sin(x * rng.uniform(0.3, 0.9)) * np.cos(y * rng.uniform(0.2, 0.7))
        for k in range(c):
            out[i, k] = np.where(inside, texture + 20 * k, 0)
    return out


def smooth(rng, n, c, h, w):
    """Random low-frequency images spanning most of [0, 255]."""
    y, x = np.mgrid[0:h, 0:w]
    out = np.empty((n, c, h, w))
    for i in range(n):
        for k in range(c):
            fy, fx, py, px = rng.uniform(0.1, 0.6, 4)
            out[i, k] = 128 + 90 * np.sin(fy * y + 6 * py) * np.cos(fx * x + 6 * px)
    return out


def degrade(rng, img, noise):
    """A 'reconstruction': a 3-tap blur along both axes plus Gaussian noise."""
    blurred = img.copy()
    for axis in (2, 3):
        blurred = 0.25 * np.roll(blurred, 1, axis) + 0.5 * blurred + 0.25 * np.roll(blurred, -1, axis)
    return blurred + rng.normal(0, noise, img.shape)


def to_uint8(x):
    return np.clip(np.floor(x + 0.5), 0, 255).astype(np.uint8)


def score(a, b, data_range):
    """Per-image PSNR and SSIM; SSIM is None when scikit-image refuses the size."""
    psnr, ssim = [], []
    for x, y in zip(a, b):
        psnr.append(float(peak_signal_noise_ratio(x, y, data_range=data_range)))
        channel_axis = 0 if x.shape[0] > 1 else None
        xs, ys = (x, y) if channel_axis is not None else (x[0], y[0])
        try:
            ssim.append(float(structural_similarity(xs, ys, gaussian_weights=True, sigma=1.5,
                                                    use_sample_covariance=False, data_range=data_range,
                                                    channel_axis=channel_axis)))
        except ValueError as e:
            assert "win_size exceeds image extent" in str(e), e
            ssim.append(None)
    return psnr, ssim


def case(name, a, b, data_range, note):
    if a.dtype == np.float32:
        psnr, ssim = score(a.astype(np.float64), b.astype(np.float64), data_range)
    else:
        psnr, ssim = score(a, b, data_range)
    np.save(OUT / f"{name}-a.npy", a)
    np.save(OUT / f"{name}-b.npy", b)
    refused = any(s is None for s in ssim)
    return {
        "name": name,
        "note": note,
        "a": f"{name}-a.npy",
        "b": f"{name}-b.npy",
        "shape": list(a.shape),
        "dtype": str(a.dtype),
        "data_range": data_range,
        "psnr": float(np.mean(psnr)),
        "psnr_per_image": psnr,
        "ssim": None if refused else float(np.mean(ssim)),
        "ssim_per_image": None if refused else ssim,
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20041)
    cases = []

    a = garment(rng, 4, 1, 32, 32)
    cases.append(case("grey-32x32-dark", to_uint8(a), to_uint8(degrade(rng, a, 6)), 255,
                      "Fashion-MNIST-like: black background, the demo's image size"))
    a = smooth(rng, 2, 3, 16, 20)
    cases.append(case("rgb-16x20", to_uint8(a), to_uint8(degrade(rng, a, 12)), 255,
                      "RGB, SSIM per channel then averaged"))
    a = garment(rng, 2, 3, 24, 24)
    cases.append(case("rgb-24x24-dark", to_uint8(a), to_uint8(degrade(rng, a, 4)), 255,
                      "RGB on black"))
    a = smooth(rng, 3, 1, 13, 29)
    cases.append(case("grey-13x29", to_uint8(a), to_uint8(degrade(rng, a, 20)), 255,
                      "non-square; the valid region is 3 x 19"))
    a = smooth(rng, 1, 1, 11, 11)
    cases.append(case("grey-11x11", to_uint8(a), to_uint8(degrade(rng, a, 10)), 255,
                      "exactly one 11 x 11 window: the smallest size SSIM accepts"))
    a = smooth(rng, 1, 1, 10, 10)
    cases.append(case("grey-10x10", to_uint8(a), to_uint8(degrade(rng, a, 10)), 255,
                      "smaller than the window: scikit-image refuses SSIM, PSNR is fine"))
    a = smooth(rng, 2, 1, 24, 24) / 255
    cases.append(case("float-unit-24x24", a.astype(np.float32),
                      np.clip(degrade(rng, a, 0.03), 0, 1).astype(np.float32), 1.0,
                      "float32 in [0, 1] with data range 1"))

    reference = {
        "generator": "scripts/ssim_reference.py",
        "versions": {"skimage": skimage.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "ssim": "structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, "
                "data_range=L, channel_axis=0 for RGB) per image, then the mean",
        "psnr": "peak_signal_noise_ratio(data_range=L) per image, then the mean",
        "cases": cases,
    }
    with open(OUT / "reference.json", "w") as f:
        json.dump(reference, f, indent=2)
        f.write("\n")
    for c in cases:
        print(f"{c['name']:18s} PSNR {c['psnr']:.4f} dB  SSIM {c['ssim']}")


if __name__ == "__main__":
    main()
