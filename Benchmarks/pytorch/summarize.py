"""Summarises train.py logs (the final --json line of each) into a Markdown table, with
mean and standard deviation per T. Logs still running are listed with their last epoch.

  python3 Benchmarks/pytorch/summarize.py /tmp/pt-runs/T*_s*.log
  python3 Benchmarks/pytorch/summarize.py --curves /tmp/pt-runs/T*_s*.log   (test % every 10 epochs)
"""

import json
import re
import statistics
import sys


def parse(path):
  final, last = None, None
  for line in open(path):
    if line.startswith("{"):
      final = json.loads(line)
    m = re.match(r"epoch\s+(\d+) loss (\S+) train\(running\)\s+(\S+)% test\s+(\S+)% (\S+)s", line)
    if m:
      last = m.groups()
  return final, last


def curves(paths, every=10):
  """Test accuracy every `every` epochs per log (finished or not), as a Markdown table."""
  data = {}
  for path in paths:
    pts = {}
    for line in open(path):
      m = re.match(r"epoch\s+(\d+) .* test\s+(\S+)%", line)
      if m and int(m.group(1)) % every == 0:
        pts[int(m.group(1))] = m.group(2)
    data[path.rsplit("/", 1)[-1].removesuffix(".log")] = pts
  epochs = sorted({e for pts in data.values() for e in pts})
  print("| run | " + " | ".join(str(e) for e in epochs) + " |")
  print("|---|" + "---|" * len(epochs))
  for run, pts in data.items():
    print(f"| {run} | " + " | ".join(pts.get(e, "") for e in epochs) + " |")


def main():
  if sys.argv[1:2] == ["--curves"]:
    curves(sys.argv[2:])
    return
  rows, partial = [], []
  for path in sys.argv[1:]:
    final, last = parse(path)
    if final:
      rows.append(final)
    elif last:
      partial.append((path, last))
  rows.sort(key=lambda r: (r["timesteps"], r["seed"]))
  print("| T | epochs | seed | test final | test best | train | s/epoch |")
  print("|---|---|---|---|---|---|---|")
  for r in rows:
    print(f"| {r['timesteps']} | {r['epochs']} | {r['seed']} | {r['test_acc'] * 100:.2f} % | "
          f"{r['best_test_acc'] * 100:.2f} % | {r['train_acc'] * 100:.2f} % | {r['sec_per_epoch']:.2f} |")
  for T in sorted({r["timesteps"] for r in rows}):
    sel = [r for r in rows if r["timesteps"] == T]
    te = [r["test_acc"] * 100 for r in sel]
    tr = [r["train_acc"] * 100 for r in sel]
    sd = lambda v: f" ± {statistics.stdev(v):.2f}" if len(v) > 1 else ""
    print(f"| {T} | mean of {len(sel)} | | {statistics.mean(te):.2f}{sd(te)} % | | "
          f"{statistics.mean(tr):.2f}{sd(tr)} % | {statistics.mean(r['sec_per_epoch'] for r in sel):.2f} |")
  for path, (ep, loss, run_acc, test, sec) in partial:
    print(f"\n(unfinished) {path}: epoch {ep}, loss {loss}, running train {run_acc} %, test {test} %")


if __name__ == "__main__":
  main()
