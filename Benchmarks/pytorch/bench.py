"""Speed of the PyTorch twin (snn.py) on SHD-shaped random input.

Training throughput: samples/s of forward + backward + Adamax step at batch 1, 16 and 64 (with
--threads threads, default 2), at T = 40 and T = 100. Inference: latency of one sample through
`SNN.predict` (torch.inference_mode, in-place updates) on one thread, p50 and p99 in ms. Timed
from an already binned input tensor (binning excluded).

Input: per sample ~6,300 spike events over the first ~1 s of the 1.4 s window, generated
directly as binned counts with the density of shd-dev: ~10 % of the (bin, channel) cells
non-zero at T = 40 and 6.5 % at T = 100 (PyTorch computes densely, so the pattern does not
change its speed; it only keeps the spiking activity realistic).

  python3 Benchmarks/pytorch/bench.py [--json] [--threads 2] [--batches 1 16 64] [--timesteps 40 100]
With --json prints exactly one JSON object; the Swift `r4ncl bench --pytorch` parses it.
"""

import argparse
import json
import os
import sys
import time

os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snn import SNN  # noqa: E402

EVENTS_PER_SAMPLE = 6300
ACTIVE_SECONDS = 1.0
DENSITY = {40: 0.10, 100: 0.065}  # fraction of non-zero (bin, channel) cells, as on shd-dev


def shd_like_batch(rng, batch, timesteps, channels=700, max_time=1.4):
  """Binned counts [T, B, channels] float32: ~DENSITY of cells non-zero, ~6,300 events per
  sample, all within the first ~1 s."""
  density = DENSITY.get(timesteps, 0.10 * (40 / timesteps) ** 0.5)
  active_bins = max(1, int(round(timesteps * ACTIVE_SECONDS / max_time)))
  p = min(1.0, density * timesteps / active_bins)
  nonzero = p * active_bins * channels
  extra = max(0.0, EVENTS_PER_SAMPLE / nonzero - 1.0)  # counts = 1 + Poisson(extra)
  x = np.zeros((timesteps, batch, channels), dtype=np.float32)
  mask = rng.random((active_bins, batch, channels)) < p
  x[:active_bins] = mask * (1.0 + rng.poisson(extra, size=mask.shape))
  return torch.from_numpy(x)


def train_throughput(timesteps, batch, rng, seconds, min_steps=4):
  torch.manual_seed(0)
  model = SNN()
  opt = torch.optim.Adamax(model.parameters(), lr=2e-4)
  loss_fn = torch.nn.CrossEntropyLoss()
  batches = [(shd_like_batch(rng, batch, timesteps), torch.from_numpy(rng.integers(0, 20, batch))) for _ in range(4)]

  def step(i):
    x, y = batches[i % len(batches)]
    loss = loss_fn(model(x), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()

  for i in range(2):  # warm-up
    step(i)
  steps, t0, c0 = 0, time.perf_counter(), time.process_time()
  while steps < min_steps or time.perf_counter() - t0 < seconds:
    step(steps)
    steps += 1
  return steps * batch / (time.perf_counter() - t0), steps * batch / (time.process_time() - c0)


def infer_latency(timesteps, rng, reps):
  torch.manual_seed(0)
  model = SNN().eval()
  samples = [shd_like_batch(rng, 1, timesteps) for _ in range(8)]
  for i in range(10):  # warm-up
    model.predict(samples[i % 8])
  ms = []
  for i in range(reps):
    t0 = time.perf_counter()
    model.predict(samples[i % 8]).argmax(dim=1)
    ms.append((time.perf_counter() - t0) * 1e3)
  return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def main():
  ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  ap.add_argument("--json", action="store_true", help="print exactly one JSON object")
  ap.add_argument("--threads", type=int, default=2, help="torch threads for training")
  ap.add_argument("--batches", type=int, nargs="+", default=[1, 16, 64])
  ap.add_argument("--timesteps", type=int, nargs="+", default=[40, 100])
  ap.add_argument("--seconds", type=float, default=3.0, help="minimum seconds per training measurement")
  ap.add_argument("--reps", type=int, default=300, help="inference repetitions per T")
  args = ap.parse_args()
  torch.set_num_interop_threads(1)
  rng = np.random.default_rng(0)
  res = {"torch": torch.__version__, "threads": args.threads, "infer_threads": 1,
         "train_samples_per_s": {}, "train_samples_per_cpu_s": {}, "infer_p50_ms": {}, "infer_p99_ms": {}}
  for T in args.timesteps:
    torch.set_num_threads(args.threads)
    runs = {str(b): train_throughput(T, b, rng, args.seconds) for b in args.batches}
    res["train_samples_per_s"][str(T)] = {b: r[0] for b, r in runs.items()}
    res["train_samples_per_cpu_s"][str(T)] = {b: r[1] for b, r in runs.items()}
    torch.set_num_threads(1)  # batch-1 inference: one core (more threads only add OpenMP overhead)
    p50, p99 = infer_latency(T, rng, args.reps)
    res["infer_p50_ms"][str(T)] = p50
    res["infer_p99_ms"][str(T)] = p99
  if args.json:
    print(json.dumps(res))
    return
  print(f"PyTorch {res['torch']}, training on {args.threads} thread(s), inference on 1; "
        "network 700-200-100-50 (recurrent) -> 20, float32")
  print(f"{'T':>4} {'batch':>6} {'train samples/s':>16} {'per CPU-second':>15}")
  for T in map(str, args.timesteps):
    for b, v in res["train_samples_per_s"][T].items():
      print(f"{T:>4} {b:>6} {v:16.1f} {res['train_samples_per_cpu_s'][T][b]:15.1f}")
  print(f"{'T':>4} {'infer p50 ms':>13} {'infer p99 ms':>13}")
  for T in map(str, args.timesteps):
    print(f"{T:>4} {res['infer_p50_ms'][T]:13.3f} {res['infer_p99_ms'][T]:13.3f}")


if __name__ == "__main__":
  main()
