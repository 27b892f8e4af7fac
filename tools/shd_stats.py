#!/usr/bin/env python3
"""Spike statistics of SHD-format files and a softmax-regression learnability probe.

usage: tools/shd_stats.py DIR [DIR ...]    (each DIR holds shd_train.h5 and shd_test.h5)

Prints spikes per sample, clip durations (last spike), per-channel rates (Hz, over last-spike
durations) by 50-channel block, and the test accuracy of a softmax regression on 20 time bins x
70 channel groups (log counts, full-batch gradient descent): a quick check that the data is
learnable but not trivial, comparable between data sets. Needs h5py and numpy.
"""
import sys

import h5py
import numpy as np


def load(path):
    with h5py.File(path, "r") as f:
        return f["spikes/times"][:], f["spikes/units"][:], f["labels"][:].astype(int)


def features(times, units, bins=20, groups=70, max_time=1.4):
    x = np.zeros((len(times), bins, groups))
    for i, (t, u) in enumerate(zip(times, units)):
        t = t.astype(np.float64)
        keep = t < max_time
        b = (t[keep] / max_time * bins).astype(int)
        g = (u[keep].astype(int) * groups) // 700
        np.add.at(x[i], (b, g), 1)
    return np.log1p(x).reshape(len(times), -1)


def softmax_regression(xtr, ytr, xte, yte, epochs=400, lr=0.5, l2=1e-3, seed=0):
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    xtr, xte = (xtr - mu) / sd, (xte - mu) / sd
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.01, (xtr.shape[1], 20))
    b = np.zeros(20)
    onehot = np.eye(20)[ytr]
    for _ in range(epochs):
        z = xtr @ w + b
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) / len(ytr)
        w -= lr * (xtr.T @ g + l2 * w)
        b -= lr * g.sum(0)
    return ((xtr @ w + b).argmax(1) == ytr).mean(), ((xte @ w + b).argmax(1) == yte).mean()


for d in sys.argv[1:]:
    tr, te = load(f"{d}/shd_train.h5"), load(f"{d}/shd_test.h5")
    print(f"== {d}")
    for name, (t, u, _) in (("train", tr), ("test", te)):
        n = np.array([len(x) for x in t])
        dur = np.array([x.max() if len(x) else 0 for x in t], dtype=np.float64)
        rate = np.bincount(np.concatenate(u).astype(int), minlength=700) / dur.sum()
        print(f"{name}: {len(t)} samples, spikes/sample mean {n.mean():.0f} (median {np.median(n):.0f}, "
              f"{n.min()}..{n.max()}), last spike {dur.mean():.3f} s ({dur.min():.2f}..{dur.max():.2f}), "
              f"per-channel rate mean {rate.mean():.2f} Hz")
        print("  rate by 50-channel block (Hz):", " ".join(f"{r:.1f}" for r in rate.reshape(14, 50).mean(1)))
    acc_tr, acc_te = softmax_regression(features(*tr[:2]), tr[2], features(*te[:2]), te[2])
    print(f"softmax regression (20 bins x 70 groups): train {100 * acc_tr:.1f} %, test {100 * acc_te:.1f} %")
