#!/usr/bin/env python3
"""The speed floor on this machine: PyTorch running the shapes that `ldm4j bench` times.

The speed floor (docs/speed-floor.md) was measured once, on another machine. This script measures it here, so the
two can be compared on the same cores (run it with nothing else running, like the bench):

    sudo apt-get install python3-torch        # Debian's torch (1.13), oneDNN + OpenBLAS
    /usr/bin/python3 scripts/pytorch_floor.py [--threads 2] [--quick]

The models mirror ldm4j's: the quick preset's autoencoder (LDM's AutoencoderKL, ch 32, ch_mult
1,2,2, one ResBlock, z 4, mid attention) and the speed-floor UNet (ADM, model_channels 64,
channel_mult 1,2, two ResBlocks, 4-head attention at 4x4, 10 classes), with ldm4j's GroupNorm
group counts. Sampling is timed as its UNet evaluations: steps x one guided batch of 2 x 64.
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def norm(c):
    # ldm4j's GroupNorm.defaultGroups: 32 groups from 64 channels on, 16 for 32 channels.
    return nn.GroupNorm(32 if c >= 64 else 16, c, eps=1e-6)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb=0):
        super().__init__()
        self.norm1, self.conv1 = norm(cin), nn.Conv2d(cin, cout, 3, 1, 1)
        self.emb = nn.Linear(emb, cout) if emb else None
        self.norm2, self.conv2 = norm(cout), nn.Conv2d(cout, cout, 3, 1, 1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, e=None):
        h = self.conv1(F.silu(self.norm1(x)))
        if self.emb is not None:
            h = h + self.emb(F.silu(e))[:, :, None, None]
        return self.skip(x) + self.conv2(F.silu(self.norm2(h)))


class Attention(nn.Module):
    def __init__(self, c, heads=1):
        super().__init__()
        self.norm, self.qkv, self.out, self.heads = norm(c), nn.Conv2d(c, 3 * c, 1), nn.Conv2d(c, c, 1), heads

    def forward(self, x):
        n, c, hh, ww = x.shape
        d = c // self.heads
        q, k, v = self.qkv(self.norm(x)).reshape(n, 3, self.heads, d, hh * ww).unbind(1)
        a = torch.softmax(q.transpose(2, 3) @ k / math.sqrt(d), -1)
        return x + self.out((a @ v.transpose(2, 3)).transpose(2, 3).reshape(n, c, hh, ww))


class Autoencoder(nn.Module):
    """LDM's AutoencoderKL at ch 32, ch_mult 1,2,2, one ResBlock, z 4 (f = 4)."""

    def __init__(self, ch=32, mult=(1, 2, 2), z=4):
        super().__init__()
        w = [ch * m for m in mult]
        self.conv_in = nn.Conv2d(1, ch, 3, 1, 1)
        self.down = nn.ModuleList()
        cin = ch
        for i, c in enumerate(w):
            self.down.append(ResBlock(cin, c))
            cin = c
            if i < len(w) - 1:
                self.down.append(nn.Conv2d(c, c, 3, 2, 0))
        self.enc_mid = nn.ModuleList([ResBlock(cin, cin), Attention(cin), ResBlock(cin, cin)])
        self.enc_out = nn.Sequential(norm(cin), nn.SiLU(), nn.Conv2d(cin, 2 * z, 3, 1, 1))
        self.quant, self.post_quant = nn.Conv2d(2 * z, 2 * z, 1), nn.Conv2d(z, z, 1)
        self.dec_in = nn.Conv2d(z, cin, 3, 1, 1)
        self.dec_mid = nn.ModuleList([ResBlock(cin, cin), Attention(cin), ResBlock(cin, cin)])
        self.up = nn.ModuleList()
        for i, c in reversed(list(enumerate(w))):
            for _ in range(2):
                self.up.append(ResBlock(cin, c))
                cin = c
            if i > 0:
                self.up.append(nn.Upsample(scale_factor=2.0, mode="nearest"))
                self.up.append(nn.Conv2d(c, c, 3, 1, 1))
        self.dec_out = nn.Sequential(norm(cin), nn.SiLU(), nn.Conv2d(cin, 1, 3, 1, 1))

    def encode(self, x):
        h = self.conv_in(x)
        for m in self.down:
            h = m(F.pad(h, (0, 1, 0, 1))) if isinstance(m, nn.Conv2d) else m(h)
        for m in self.enc_mid:
            h = m(h)
        return self.quant(self.enc_out(h)).chunk(2, 1)

    def decode(self, z):
        h = self.dec_in(self.post_quant(z))
        for m in list(self.dec_mid) + list(self.up):
            h = m(h)
        return self.dec_out(h)

    def loss(self, x):
        mean, logvar = self.encode(x)
        logvar = logvar.clamp(-30, 20)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
        kl = 0.5 * (mean ** 2 + logvar.exp() - 1 - logvar).sum((1, 2, 3)).mean()
        return ((self.decode(z) - x) ** 2).sum((1, 2, 3)).mean() + 1e-6 * kl


class UNet(nn.Module):
    """ADM's UNet with class embedding (one null class) and skip concatenations."""

    def __init__(self, cin, mc=64, mult=(1, 2), nres=2, attn=(2,), heads=4, classes=10):
        super().__init__()
        e = 4 * mc
        self.mc = mc
        self.time = nn.Sequential(nn.Linear(mc, e), nn.SiLU(), nn.Linear(e, e))
        self.label = nn.Embedding(classes + 1, e)
        self.conv_in = nn.Conv2d(cin, mc, 3, 1, 1)
        self.down, self.up = nn.ModuleList(), nn.ModuleList()
        ch, skips, ds = mc, [mc], 1
        for level, m in enumerate(mult):
            for _ in range(nres):
                self.down.append(nn.ModuleList([ResBlock(ch, mc * m, e)] + ([Attention(mc * m, heads)] if ds in attn else [])))
                ch = mc * m
                skips.append(ch)
            if level < len(mult) - 1:
                self.down.append(nn.Conv2d(ch, ch, 3, 2, 1))
                skips.append(ch)
                ds *= 2
        self.mid = nn.ModuleList([ResBlock(ch, ch, e), Attention(ch, heads), ResBlock(ch, ch, e)])
        for level, m in reversed(list(enumerate(mult))):
            for _ in range(nres + 1):
                self.up.append(nn.ModuleList([ResBlock(ch + skips.pop(), mc * m, e)] + ([Attention(mc * m, heads)] if ds in attn else [])))
                ch = mc * m
            if level > 0:
                self.up.append(nn.Conv2d(ch, ch, 3, 1, 1))
                ds //= 2
        self.out = nn.Sequential(norm(ch), nn.SiLU(), nn.Conv2d(ch, cin, 3, 1, 1))

    def forward(self, x, t, y):
        half = self.mc // 2
        f = torch.exp(-math.log(10000) * torch.arange(half) / half)
        a = t[:, None].float() * f[None]
        emb = self.time(torch.cat([a.cos(), a.sin()], 1)) + self.label(y)
        h = self.conv_in(x)
        hs = [h]
        for m in self.down:
            if isinstance(m, nn.Conv2d):
                h = m(h)
            else:
                h = m[0](h, emb)
                for extra in m[1:]:
                    h = extra(h)
            hs.append(h)
        h = self.mid[2](self.mid[1](self.mid[0](h, emb)), emb)
        for m in self.up:
            if isinstance(m, nn.Conv2d):
                h = m(F.interpolate(h, scale_factor=2.0, mode="nearest"))
            else:
                h = m[0](torch.cat([h, hs.pop()], 1), emb)
                for extra in m[1:]:
                    h = extra(h)
        return self.out(h)


def rate(step, warmup, timed, per_step):
    """Images per second of step() over `timed` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(timed):
        step()
    return timed * per_step / (time.perf_counter() - t0)


def train_step(model, loss_fn):
    opt = torch.optim.AdamW(model.parameters(), 1e-4)

    def step():
        opt.zero_grad(set_to_none=False)
        loss_fn().backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    return step


def diffusion_loss(unet, x0):
    abar = torch.cumprod(1 - torch.linspace(1e-4, 0.02, 1000), 0)

    def loss():
        t = torch.randint(0, 1000, (x0.shape[0],))
        eps = torch.randn_like(x0)
        a = abar[t][:, None, None, None]
        y = torch.randint(0, 10, (x0.shape[0],))
        return F.mse_loss(unet(a.sqrt() * x0 + (1 - a).sqrt() * eps, t, y), eps)
    return loss


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (default: 2)")
    p.add_argument("--quick", action="store_true", help="fewer timed steps, as `ldm4j bench --quick`")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    n = 5 if args.quick else 40
    rows = []

    ae = Autoencoder()
    x = torch.rand(32, 1, 32, 32) * 2 - 1
    rows.append(("AE training step, batch 32", rate(train_step(ae, lambda: ae.loss(x)), 3, 3 * n // 2, 32), "img/s"))
    with torch.no_grad():
        xe = torch.rand(64, 1, 32, 32) * 2 - 1
        rows.append(("AE encode (posterior mean), batch 64", rate(lambda: ae.encode(xe)[0], 2, 4 * n, 64), "img/s"))

    unet = UNet(4)
    lat = torch.randn(64, 4, 8, 8) * 0.5
    rows.append(("UNet training step, 4x8x8, batch 64", rate(train_step(unet, diffusion_loss(unet, lat)), 2, n, 64), "img/s"))
    pixel = UNet(1, mult=(1, 2, 2), attn=(4,))
    pix = torch.randn(64, 1, 32, 32) * 0.5
    rows.append(("UNet training step, 1x32x32, batch 64", rate(train_step(pixel, diffusion_loss(pixel, pix)), 1, max(2, n // 5), 64), "img/s"))

    with torch.no_grad():
        xt, t, y = torch.randn(128, 4, 8, 8), torch.full((128,), 500), torch.randint(0, 11, (128,))
        evals_per_s = rate(lambda: unet(xt, t, y), 2, 2 * n, 1)
        for name, steps in (("DDIM 50", 50), ("DPM-Solver++ 20", 20)):
            rows.append((f"sampling {name}, 64 latents, guidance 2", steps / evals_per_s, "s"))

    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    for work, value, unit in rows:
        print(f"  {work:<46} {value:9.2f} {unit}")


if __name__ == "__main__":
    main()
