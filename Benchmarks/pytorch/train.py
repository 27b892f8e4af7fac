"""Trains the PyTorch twin (snn.py) on SHD-format data with SpikingLR's settings.

Reads DIR/shd_train.h5 and DIR/shd_test.h5 (SHD layout, h5py), bins each sample into T
bins over 1.4 s (counts per bin, bin = floor(t / (1.4/T)), t >= 1.4 s dropped), trains with
Adamax (default lr 2e-4), batch 64, reshuffled every epoch, last partial batch kept, and
reports the test accuracy after the LAST epoch (no model selection) and the accuracy of a
full pass over the training set.

  python3 Benchmarks/pytorch/train.py --data DIR --timesteps 40 --epochs 100 --seed 0 [--json]
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import h5py  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeded_generator import SeededGenerator, engine_weights  # noqa: E402
from snn import SNN, bin_events  # noqa: E402


def load_split(path, timesteps, channels=700):
  """Returns (uint8 counts [N, T, channels], int64 labels [N])."""
  if not os.path.isfile(path):
    sys.exit(f"error: {path}: no such file")
  with h5py.File(path, "r") as f:
    for key in ("spikes/times", "spikes/units", "labels"):
      if key not in f:
        sys.exit(f"error: {path}: missing dataset '{key}' (not an SHD-format file)")
    times, units = f["spikes/times"][:], f["spikes/units"][:]
    labels = np.asarray(f["labels"][:], dtype=np.int64)
  if not (len(times) == len(units) == len(labels)):
    sys.exit(f"error: {path}: spikes/times, spikes/units and labels have different lengths")
  x = np.zeros((len(labels), timesteps, channels), dtype=np.uint8)
  for i, (t, u) in enumerate(zip(times, units)):
    if len(u) and (u.min() < 0 or u.max() >= channels):
      sys.exit(f"error: {path}: sample {i} has a unit outside 0..{channels - 1}")
    c = bin_events(t, u, timesteps, channels)
    if c.max() > 255:
      sys.exit(f"error: {path}: sample {i} has more than 255 events in one (bin, channel)")
    x[i] = c
  return torch.from_numpy(x), torch.from_numpy(labels)


def batch_input(x_u8):
  """[B, T, N] uint8 -> time-major [T, B, N] float32."""
  return x_u8.to(torch.float32).transpose(0, 1).contiguous()


@torch.no_grad()
def accuracy(model, x, y, batch=200, dtype=torch.float32):
  correct = 0
  for i in range(0, len(y), batch):
    logits = model(batch_input(x[i:i + batch]).to(dtype))
    correct += int((logits.argmax(dim=1) == y[i:i + batch]).sum())
  return correct / len(y)


def main():
  ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  ap.add_argument("--data", required=True, help="folder with shd_train.h5 and shd_test.h5")
  ap.add_argument("--timesteps", type=int, default=40)
  ap.add_argument("--epochs", type=int, default=100)
  ap.add_argument("--seed", type=int, default=0)
  ap.add_argument("--lr", type=float, default=2e-4)
  ap.add_argument("--batch", type=int, default=64)
  ap.add_argument("--threads", type=int, default=2)
  ap.add_argument("--eval-every", type=int, default=1, help="test accuracy every N epochs (0: only at the end)")
  ap.add_argument("--json", action="store_true", help="print a final JSON line")
  ap.add_argument("--float64", action="store_true",
                  help="train in float64 (the trajectory float32 implementations approximate; slower)")
  ap.add_argument("--init", choices=("torch", "swift"), default="torch",
                  help="torch: weights and shuffles from torch's generators seeded with --seed; swift: the Swift "
                       "engine's own (SeededGenerator(seed) weights, SeededGenerator(seed + 1) shuffles), so the run "
                       "pairs with `r4ncl train --recipe spikinglr --seed S`")
  args = ap.parse_args()
  torch.set_num_threads(args.threads)
  torch.set_num_interop_threads(1)

  t0 = time.time()
  x_train, y_train = load_split(os.path.join(args.data, "shd_train.h5"), args.timesteps)
  x_test, y_test = load_split(os.path.join(args.data, "shd_test.h5"), args.timesteps)
  n_classes = int(max(y_train.max(), y_test.max())) + 1
  n_classes = max(n_classes, 20)
  print(f"data: {len(y_train)} train, {len(y_test)} test, T={args.timesteps}, "
        f"non-zero cells train {(x_train > 0).float().mean().item() * 100:.2f}%, load {time.time() - t0:.1f}s", flush=True)

  torch.manual_seed(args.seed)
  dtype = torch.float64 if args.float64 else torch.float32
  model = SNN((700, 200, 100, 50, n_classes), dtype=dtype)
  if args.init == "swift":
    model.load_weights(engine_weights(model, args.seed))
    swift_shuffle = SeededGenerator(args.seed + 1)
  opt = torch.optim.Adamax(model.parameters(), lr=args.lr)
  shuffle = torch.Generator().manual_seed(args.seed)
  loss_fn = torch.nn.CrossEntropyLoss()

  curve, train_secs = [], []
  n = len(y_train)
  for epoch in range(1, args.epochs + 1):
    te = time.time()
    if args.init == "swift":
      perm = torch.tensor(swift_shuffle.permutation(n), dtype=torch.int64)
    else:
      perm = torch.randperm(n, generator=shuffle)
    total_loss, correct = 0.0, 0
    for i in range(0, n, args.batch):  # last partial batch kept
      idx = perm[i:i + args.batch]
      xb, yb = batch_input(x_train[idx]).to(dtype), y_train[idx]
      logits = model(xb)
      loss = loss_fn(logits, yb)
      opt.zero_grad(set_to_none=True)
      loss.backward()
      opt.step()
      total_loss += loss.item() * len(idx)
      correct += int((logits.argmax(dim=1) == yb).sum())
    train_secs.append(time.time() - te)
    row = {"epoch": epoch, "loss": total_loss / n, "train_running_acc": correct / n, "sec": train_secs[-1]}
    if args.eval_every and (epoch % args.eval_every == 0 or epoch == args.epochs):
      row["test_acc"] = accuracy(model, x_test, y_test, dtype=dtype)
    curve.append(row)
    test = f" test {row['test_acc'] * 100:5.1f}%" if "test_acc" in row else ""
    print(f"epoch {epoch:3d} loss {row['loss']:.4f} train(running) {row['train_running_acc'] * 100:5.1f}%{test} "
          f"{row['sec']:.2f}s", flush=True)

  test_acc = curve[-1].get("test_acc")
  if test_acc is None:
    test_acc = accuracy(model, x_test, y_test, dtype=dtype)
  train_acc = accuracy(model, x_train, y_train, dtype=dtype)
  sec_per_epoch = sum(train_secs) / len(train_secs)
  print(f"final: test {test_acc * 100:.2f}% train {train_acc * 100:.2f}% "
        f"({sec_per_epoch:.2f} s/epoch training only, total {time.time() - t0:.0f}s)", flush=True)
  if args.json:
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "timesteps": args.timesteps,
                      "epochs": args.epochs, "seed": args.seed, "init": args.init, "float64": args.float64, "lr": args.lr, "batch": args.batch,
                      "test_acc": test_acc, "train_acc": train_acc, "sec_per_epoch": sec_per_epoch,
                      "best_test_acc": max((r["test_acc"] for r in curve if "test_acc" in r), default=None),
                      "curve": curve}), flush=True)


if __name__ == "__main__":
  main()
