"""Distance of the engine's weights after a few Adamax steps from a float64 twin, next to the float32
twin's: the twin trains from the engine's initial weights in the engine's batch order (--init swift
semantics) in float32 and float64; a model written by
  r4ncl train --recipe spikinglr --timesteps T --epochs 1 --batch B --seed S --out M.h5
took the same 1600/B steps. Equal distances mean the engine is as accurate as float32 PyTorch.

  python3 Benchmarks/pytorch/compare_steps.py --data DIR --model M.h5 --seed S --batch B [--timesteps 40]
"""
import argparse, os, sys

import h5py
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeded_generator import SeededGenerator, engine_weights  # noqa: E402
from snn import SNN  # noqa: E402
from train import batch_input, load_split  # noqa: E402


def train_one_epoch(x, y, seed, batch, dtype):
  m = SNN((700, 200, 100, 50, 20), dtype=dtype)
  m.load_weights(engine_weights(m, seed))
  opt = torch.optim.Adamax(m.parameters(), lr=2e-4)
  perm = torch.tensor(SeededGenerator(seed + 1).permutation(len(y)))
  for k in range(0, len(y), batch):
    idx = perm[k:k + batch]
    loss = torch.nn.functional.cross_entropy(m(batch_input(x[idx]).to(dtype)), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
  return {n: getattr(m, n).detach().double() for n in m.param_names}


def main():
  ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  ap.add_argument("--data", required=True)
  ap.add_argument("--model", required=True)
  ap.add_argument("--seed", type=int, required=True)
  ap.add_argument("--batch", type=int, required=True)
  ap.add_argument("--timesteps", type=int, default=40)
  a = ap.parse_args()
  torch.set_num_threads(2)
  x, y = load_split(os.path.join(a.data, "shd_train.h5"), a.timesteps)
  f32, f64 = train_one_epoch(x, y, a.seed, a.batch, torch.float32), train_one_epoch(x, y, a.seed, a.batch, torch.float64)
  with h5py.File(a.model, "r") as f:
    print("param  |twin32 - twin64| max / mean    |ours - twin64| max / mean")
    for n in f64:
      ours = torch.from_numpy(f[n][:]).double()
      d32, dus = (f32[n] - f64[n]).abs(), (ours - f64[n]).abs()
      print(f"{n:6s} {d32.max():.3g} / {d32.mean():.3g}            {dus.max():.3g} / {dus.mean():.3g}")


if __name__ == "__main__":
  main()
