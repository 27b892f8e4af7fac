"""Summarises train.py logs (the final --json line of each) into a Markdown table, with
mean and standard deviation per T. Logs still running are listed with their last epoch.

  python3 Benchmarks/pytorch/summarize.py /tmp/pt-runs/T*_s*.log
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


def main():
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
    sd = lambda v: statistics.stdev(v) if len(v) > 1 else float("nan")
    print(f"| {T} | mean of {len(sel)} | | {statistics.mean(te):.2f} ± {sd(te):.2f} % | | "
          f"{statistics.mean(tr):.2f} ± {sd(tr):.2f} % | {statistics.mean(r['sec_per_epoch'] for r in sel):.2f} |")
  for path, (ep, loss, run_acc, test, sec) in partial:
    print(f"\n(unfinished) {path}: epoch {ep}, loss {loss}, running train {run_acc} %, test {test} %")


if __name__ == "__main__":
  main()
