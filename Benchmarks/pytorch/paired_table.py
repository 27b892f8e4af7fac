"""Tables of paired accuracy runs (paired_accuracy.sh): per seed the engine with 2 threads
(`ours_T<T>_s<S>.eval`), optionally with 1 thread (`one_T<T>_s<S>.eval`, ONE_THREAD=1), and the
PyTorch twin from the same weights and batch order (`twin_T<T>_s<S>.log`); then means, the paired
difference with its standard error, 3-seed windows (what a 3-seed criterion sees), the same
engine's 2- vs 1-thread difference, and the comparison without collapsed runs (test <= 10 %).

  python3 Benchmarks/pytorch/paired_table.py [--engine one] DIR [DIR ...]
    (later DIRs fill seeds missing in earlier ones; --engine one pairs the twin with the 1-thread
    runs, for directories where the engine ran only with --threads 1)
"""

import glob
import json
import os
import re
import statistics as st
import sys


def engine_accuracy(path):
  """Test accuracy (%) from `r4ncl eval` output, exact (from the per-class counts)."""
  correct = total = 0
  for line in open(path):
    m = re.match(r"\s+\d+ \S+\s+(\d+) samples\s+([\d.]+)%", line)
    if m:
      n = int(m.group(1))
      correct += round(n * float(m.group(2)) / 100)
      total += n
  return 100.0 * correct / total if total else None


def twin_accuracy(path):
  for line in open(path):
    if line.startswith("{"):
      return 100.0 * json.loads(line)["test_acc"]
  return None


def collect(dirs):
  runs = {}  # (kind, T, seed) -> accuracy
  for d in dirs:
    for path in glob.glob(os.path.join(d, "*_T*_s*.*")):
      m = re.match(r"(ours|one|twin)_T(\d+)_s(\d+)\.(eval|log)$", os.path.basename(path))
      if not m or (m.group(1) == "twin") != (m.group(4) == "log"):
        continue
      key = (m.group(1), int(m.group(2)), int(m.group(3)))
      if key in runs:
        continue
      acc = twin_accuracy(path) if key[0] == "twin" else engine_accuracy(path)
      if acc is not None:
        runs[key] = acc
  return runs


def mean_sd(v):
  if not v:
    return "-"
  return f"{st.mean(v):.2f} ± {st.stdev(v):.2f} (n = {len(v)})" if len(v) > 1 else f"{v[0]:.2f} (n = 1)"


def se(v):
  return st.stdev(v) / len(v) ** 0.5


def report(runs, T, engine="ours"):
  seeds = sorted({s for (k, t, s) in runs if t == T})
  get = lambda kind, s: runs.get((kind, T, s))
  fmt = lambda x: "-" if x is None else f"{x:.2f}"
  print(f"\n### T = {T}\n")
  label = "ours" if engine == "ours" else "ours (1 thread)"
  print(f"| seed | ours (2 threads) | ours (1 thread) | PyTorch twin | {label} - twin |")
  print("|---|---|---|---|---|")
  for s in seeds:
    o, one, t = get("ours", s), get("one", s), get("twin", s)
    e = get(engine, s)
    print(f"| {s} | {fmt(o)} | {fmt(one)} | {fmt(t)} | {fmt(e - t) if e is not None and t is not None else '-'} |")
  ours = [get("ours", s) for s in seeds if get("ours", s) is not None]
  one = [get("one", s) for s in seeds if get("one", s) is not None]
  twin = [get("twin", s) for s in seeds if get("twin", s) is not None]
  paired = [s for s in seeds if get(engine, s) is not None and get("twin", s) is not None]
  diffs = [get(engine, s) - get("twin", s) for s in paired]
  print(f"| mean ± SD | {mean_sd(ours)} | {mean_sd(one)} | {mean_sd(twin)} | {mean_sd(diffs)} |")
  print()
  if len(diffs) > 1:
    print(f"- paired difference {label} - twin: {st.mean(diffs):+.2f} points, standard error {se(diffs):.2f} "
          f"(medians: {label} {st.median(get(engine, s) for s in paired):.2f}, twin {st.median(get('twin', s) for s in paired):.2f})")
  healthy = [s for s in paired if min(get(engine, s), get("twin", s)) > 10]
  if len(healthy) < len(paired) and len(healthy) > 1:
    d = [get(engine, s) - get("twin", s) for s in healthy]
    print(f"- without the pairs where one side collapsed (test <= 10 %; n = {len(healthy)}): {label} "
          f"{st.mean(get(engine, s) for s in healthy):.2f}, twin {st.mean(get('twin', s) for s in healthy):.2f}, "
          f"difference {st.mean(d):+.2f}, standard error {se(d):.2f}")
  windows = [paired[i:i + 3] for i in range(0, len(paired) - 2, 3)]
  if windows:
    print(f"- 3-seed means, {label} - twin: " + "; ".join(
      f"seeds {w[0]}-{w[-1]} {st.mean(get(engine, s) for s in w):.2f} - {st.mean(get('twin', s) for s in w):.2f} = "
      f"{st.mean(get(engine, s) for s in w) - st.mean(get('twin', s) for s in w):+.2f}" for w in windows))
  same = [s for s in seeds if get("ours", s) is not None and get("one", s) is not None]
  if len(same) > 1:
    d = [get("ours", s) - get("one", s) for s in same]
    print(f"- the same engine, 2 threads - 1 thread (another summation order of the batch gradient; n = {len(same)}): "
          f"{st.mean(d):+.2f}, standard error {se(d):.2f}; 3-seed means: " + "; ".join(
            f"seeds {w[0]}-{w[-1]} {st.mean(get('ours', s) for s in w) - st.mean(get('one', s) for s in w):+.2f}"
            for w in [same[i:i + 3] for i in range(0, len(same) - 2, 3)]))


def main():
  args = sys.argv[1:]
  engine = "ours"
  if args[:1] == ["--engine"] and len(args) > 1 and args[1] in ("ours", "one"):
    engine, args = args[1], args[2:]
  if not args or args[0].startswith("-"):
    sys.exit(__doc__)
  runs = collect(args)
  for T in sorted({t for (_, t, _) in runs}):
    report(runs, T, engine)


if __name__ == "__main__":
  main()
