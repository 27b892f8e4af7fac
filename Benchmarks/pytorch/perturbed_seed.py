"""Is a seed's collapse a coin flip? Trains the twin from the engine's initial weights (float32) and
batch order (train.py --init swift) with every initial weight w scaled as the engine's
`r4ncl train --init-jitter P` does: w' = float32(w (1 + 2^-23 n)), n ~ N(0, 1) from SeededGenerator(P)
in parameter order (Network+Jitter.swift), for every P given (P = -1: unperturbed). 2^-23 is one
float32 rounding. Prints per run the last epoch's mean loss and the last hidden layer's spike rate;
loss ln 20 = 2.9957 with rate 0 is a network that fell silent for good (TrainerSpikeRateTests).

  python3 Benchmarks/pytorch/perturbed_seed.py --data DIR --seed 1 [--timesteps 40] [--epochs 3] \
      [--float64] [--log-steps] P...
"""
import argparse, os, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeded_generator import SeededGenerator, engine_weights  # noqa: E402
from snn import SNN  # noqa: E402
from train import batch_input, load_split  # noqa: E402


def run(x, y, args, perturbation, dtype):
  m = SNN((700, 200, 100, 50, 20), dtype=dtype)
  m.load_weights(engine_weights(m, args.seed, perturbation if perturbation >= 0 else None))
  opt = torch.optim.Adamax(m.parameters(), lr=2e-4)
  shuffle = SeededGenerator(args.seed + 1)
  for _ in range(args.epochs):
    perm = torch.tensor(shuffle.permutation(len(y)), dtype=torch.int64)
    last_spikes, loss_sum = 0, 0.0
    for k in range(0, len(y), 64):
      idx = perm[k:k + 64]
      logits, _, spikes, _ = m(batch_input(x[idx]).to(dtype), record=True)
      loss = torch.nn.functional.cross_entropy(logits, y[idx])
      opt.zero_grad()
      loss.backward()
      opt.step()
      last_spikes += int(spikes[-1].sum().item())
      loss_sum += loss.item() * len(idx)
      if args.log_steps:
        print(f"  step {k // 64 + 1}  loss {loss.item():.4f}  spikes {'/'.join(str(int(s.sum())) for s in spikes)}")
  return loss_sum / len(y), last_spikes / (len(y) * args.timesteps * m.sizes[-2])


def main():
  ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  ap.add_argument("--data", required=True)
  ap.add_argument("--seed", type=int, required=True)
  ap.add_argument("--timesteps", type=int, default=40)
  ap.add_argument("--epochs", type=int, default=3)
  ap.add_argument("--float64", action="store_true")
  ap.add_argument("--log-steps", action="store_true", help="print every step's loss and spikes per hidden layer")
  ap.add_argument("perturbations", type=int, nargs="+", metavar="P")
  args = ap.parse_args()
  torch.set_num_threads(1)
  dtype = torch.float64 if args.float64 else torch.float32
  x, y = load_split(os.path.join(args.data, "shd_train.h5"), args.timesteps)
  fell = 0
  for p in args.perturbations:
    loss, rate = run(x, y, args, p, dtype)
    fell += rate == 0
    print(f"seed {args.seed} {str(dtype)[6:]} jitter {p:3d}: epoch {args.epochs} loss {loss:.4f} "
          f"last-layer rate {rate:.5f}{'  fell silent' if rate == 0 else ''}", flush=True)
  print(f"fell silent: {fell} of {len(args.perturbations)}")


if __name__ == "__main__":
  main()
