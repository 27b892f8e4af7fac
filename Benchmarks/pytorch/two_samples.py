"""Compares two sets of final test accuracies run with unrelated initialisations (the engine's
seeds against the twin's from torch's own initialisation): means, medians, a permutation test of
the medians, the share of pairs where the first set is higher, Welch's standard error without
collapsed runs, the 3-seed windows of the same seed labels, and how often a 3-seed comparison
lands within 2 points: ours against the twin over all triples, next to the twin against itself
(two disjoint triples of its own runs), which is what an exact copy of the twin would score.

  python3 Benchmarks/pytorch/two_samples.py --ours 52.00,5.25,58.00 --twin 54.75,51.00,52.75
"""

import argparse
import itertools
import math
import random
import statistics


def floats(text):
  return [float(x) for x in text.split(",") if x.strip()]


def main():
  ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  ap.add_argument("--ours", type=floats, required=True, help="accuracies in %%, seed order")
  ap.add_argument("--twin", type=floats, required=True, help="accuracies in %%, seed order")
  ap.add_argument("--collapsed-below", type=float, default=10.0, help="a run at or below this %% counts as collapsed")
  ap.add_argument("--relabellings", type=int, default=20000)
  ap.add_argument("--seed", type=int, default=0)
  ap.add_argument("--within", type=float, default=2.0, help="the 3-seed criterion's tolerance in points")
  a = ap.parse_args()
  ours, twin = a.ours, a.twin
  if len(ours) < 2 or len(twin) < 2:
    ap.error("need at least two runs on each side")

  mo, mt = statistics.median(ours), statistics.median(twin)
  print(f"ours: n {len(ours)}, mean {statistics.mean(ours):.2f}, median {mo:.2f}")
  print(f"twin: n {len(twin)}, mean {statistics.mean(twin):.2f}, median {mt:.2f}, SD {statistics.stdev(twin):.2f}")

  # Permutation test of the difference in medians: relabel the pooled runs at random.
  rng = random.Random(a.seed)
  pooled, n = ours + twin, len(ours)
  observed = abs(mo - mt)
  hits = 0
  for _ in range(a.relabellings):
    rng.shuffle(pooled)
    if abs(statistics.median(pooled[:n]) - statistics.median(pooled[n:])) >= observed - 1e-9:
      hits += 1
  print(f"median difference {mo - mt:+.2f}, permutation p {hits / a.relabellings:.2f} ({a.relabellings} relabellings)")

  higher = sum((x > y) + 0.5 * (x == y) for x in ours for y in twin)
  print(f"ours higher in {higher:g} of {len(ours) * len(twin)} pairs")

  keep_o = [x for x in ours if x > a.collapsed_below]
  keep_t = [x for x in twin if x > a.collapsed_below]
  if len(keep_o) >= 2 and len(keep_t) >= 2:
    d = statistics.mean(keep_o) - statistics.mean(keep_t)
    se = math.sqrt(statistics.variance(keep_o) / len(keep_o) + statistics.variance(keep_t) / len(keep_t))
    print(f"without collapsed runs (<= {a.collapsed_below:g} %; ours n {len(keep_o)}, twin n {len(keep_t)}): "
          f"{statistics.mean(keep_o):.2f} vs {statistics.mean(keep_t):.2f}, difference {d:+.2f}, Welch standard error {se:.2f}")

  windows = [(s, s + 3) for s in range(0, min(len(ours), len(twin)) - 2, 3)]
  print("3-seed windows, ours - twin: " + "; ".join(
    f"seeds {lo}-{hi - 1} {statistics.mean(ours[lo:hi]) - statistics.mean(twin[lo:hi]):+.2f}" for lo, hi in windows))

  ours_vs_twin, twin_vs_twin = within_rates(ours, twin, a.within)
  itself = f"{twin_vs_twin * 100:.1f} %" if twin_vs_twin is not None else "n/a (needs 6 twin runs)"
  print(f"3-seed means within {a.within:g} points: ours vs twin in {ours_vs_twin * 100:.1f} % of "
        f"{math.comb(len(ours), 3) * math.comb(len(twin), 3)} triple pairs; twin vs twin (disjoint triples) in {itself}")


def within_rates(ours, twin, tolerance):
  """Shares of (triple, triple) comparisons whose means differ by at most `tolerance` (the second is
  None when the twin has fewer than six runs)."""
  def triples(runs):
    return [(set(c), sum(runs[i] for i in c) / 3) for c in itertools.combinations(range(len(runs)), 3)]
  to, tt = triples(ours), triples(twin)
  cross = sum(abs(mo - mt) <= tolerance for _, mo in to for _, mt in tt) / (len(to) * len(tt))
  hits = total = 0
  for (a, ma), (b, mb) in itertools.combinations(tt, 2):
    if a.isdisjoint(b):
      total += 1
      hits += abs(ma - mb) <= tolerance
  return cross, hits / total if total else None


if __name__ == "__main__":
  main()
