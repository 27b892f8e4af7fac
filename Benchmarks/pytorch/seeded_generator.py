"""The Swift engine's random generator (Sources/Learner/Network/SeededGenerator.swift) in Python:
xoshiro256** seeded through SplitMix64, Box-Muller normals, Lemire's unbiased bounded integers
(Swift's `next(upperBound:)`), Fisher-Yates permutations. With it the twin can start from the
engine's exact initial weights and visit the batches in the engine's order (`train.py --init swift`),
so the two implementations are compared on paired runs rather than on independent seeds.
"""

import math

import numpy as np

MASK = (1 << 64) - 1


def _rotl(x, k):
  return ((x << k) | (x >> (64 - k))) & MASK


class SeededGenerator:
  def __init__(self, seed):
    x = seed & MASK

    def split_mix():
      nonlocal x
      x = (x + 0x9E3779B97F4A7C15) & MASK
      z = x
      z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
      z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
      return z ^ (z >> 31)

    self.s = [split_mix(), split_mix(), split_mix(), split_mix()]
    self.spare = None

  def next(self):
    s = self.s
    result = (_rotl((s[1] * 5) & MASK, 7) * 9) & MASK
    t = (s[1] << 17) & MASK
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result

  def uniform(self):
    return (self.next() >> 11) * 2.0 ** -53

  def gaussian(self):
    if self.spare is not None:
      g, self.spare = self.spare, None
      return g
    u1 = self.uniform()
    while u1 <= 0:
      u1 = self.uniform()
    u2 = self.uniform()
    r = math.sqrt(-2.0 * math.log(u1))
    angle = 2.0 * math.pi * u2
    self.spare = r * math.sin(angle)
    return r * math.cos(angle)

  def below(self, n):
    """Swift's RandomNumberGenerator.next(upperBound:) (Lemire's multiply-shift, rejection on the low word)."""
    m = self.next() * n
    low = m & MASK
    if low < n:
      t = ((1 << 64) - n) % n
      while low < t:
        m = self.next() * n
        low = m & MASK
    return m >> 64

  def permutation(self, n):
    p = list(range(n))
    for i in range(n - 1, 0, -1):
      j = self.below(i + 1)
      p[i], p[j] = p[j], p[i]
    return p

  def normal_matrix(self, rows, cols, std):
    """rows x cols float32, row-major, each N(0, std^2) as Float(gaussian * std) in Swift."""
    return np.array([self.gaussian() * std for _ in range(rows * cols)], dtype=np.float64).astype(np.float32).reshape(rows, cols)


def engine_weights(model, seed, jitter=None):
  """The Swift engine's float32 initial weights for `model` (an snn.SNN): name -> matrix, each
  N(0, (0.2/sqrt(rows))^2) drawn in parameter order from SeededGenerator(seed) (Network.init). With
  `jitter`, every weight w becomes float32(w (1 + 2^-23 n)), n from SeededGenerator(jitter) in the same
  order as unrounded doubles: `r4ncl train --init-jitter` (Network.jitterWeights)."""
  g = SeededGenerator(seed)
  w = {n: g.normal_matrix(*getattr(model, n).shape, 0.2 / math.sqrt(getattr(model, n).shape[0])) for n in model.param_names}
  if jitter is not None:
    j = SeededGenerator(jitter)
    w = {n: (v.astype(np.float64) * (1 + 2.0 ** -23 * np.array([j.gaussian() for _ in range(v.size)]).reshape(v.shape)))
         .astype(np.float32) for n, v in w.items()}
  return w
