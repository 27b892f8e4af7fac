"""Checks snn.py against the reference cases (network/case_*.json) with the tolerances of
the reference README section 1.7: spikes exactly equal, forward (out, loss, the inference path's logits), gradients per
matrix, and the parameters after one Adamax and one Adam step. Runs in float32 (the port
under test) and float64 (the tighter bounds). Exit status 1 if any check fails.

  python3 Benchmarks/pytorch/check_reference.py [case.json ...]
"""

import argparse
import glob
import json
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snn import SNN  # noqa: E402

DEFAULT_GLOB = "/work/shared/reference/network/case_*.json"


class Report:
  def __init__(self):
    self.failures = 0

  def check(self, ok, what, detail):
    print(f"  {'ok  ' if ok else 'FAIL'} {what}: {detail}")
    if not ok:
      self.failures += 1


def run_case(path, dtype, rep):
  ref = json.load(open(path))
  f32 = dtype == torch.float32
  print(f"{os.path.basename(path)} ({ref['description']}) {'float32' if f32 else 'float64'}")
  model = SNN(ref["sizes"], ref["recurrent"], dtype=dtype)
  assert model.param_names == ref["param_names"], (model.param_names, ref["param_names"])
  model.load_weights(ref["weights"])
  x = torch.tensor(ref["inputs"], dtype=dtype)
  labels = torch.tensor(ref["labels"], dtype=torch.long)
  logits, out, spikes, _ = model(x, record=True)
  loss = torch.nn.functional.cross_entropy(logits, labels)
  loss.backward()

  for l, (s, s_ref) in enumerate(zip(spikes, ref["hidden_spikes"])):
    s_ref = np.asarray(s_ref)
    diff = int((s.detach().numpy() != s_ref).sum())
    rep.check(diff == 0, f"hidden{l + 1} spikes", f"{diff} of {s_ref.size} differ, rate {s_ref.mean():.4f}")

  out_err = np.abs(out.detach().numpy() - np.asarray(ref["out"])).max()
  logit_err = np.abs(logits.detach().numpy() - np.asarray(ref["logits"])).max()
  loss_rel = abs(loss.item() - ref["loss"]) / abs(ref["loss"])
  tol_out, tol_loss = (1e-5, 1e-6) if f32 else (1e-12, 1e-12)
  rep.check(out_err <= tol_out, "out", f"max abs err {out_err:.2e} (tol {tol_out:g})")
  rep.check(logit_err <= tol_out, "logits", f"max abs err {logit_err:.2e} (tol {tol_out:g})")
  pred_err = np.abs(model.predict(x).numpy() - np.asarray(ref["logits"])).max()
  rep.check(pred_err <= tol_out, "predict (inference path) logits", f"max abs err {pred_err:.2e} (tol {tol_out:g})")
  rep.check(loss_rel <= tol_loss, "loss", f"{loss.item():.9f} vs {ref['loss']:.9f}, rel err {loss_rel:.2e} (tol {tol_loss:g})")

  for name in model.param_names:
    g = getattr(model, name).grad.numpy().astype(np.float64)
    g_ref = np.asarray(ref["grads"][name])
    g_max = np.abs(g_ref).max()
    if f32:
      bound = 1e-4 * np.abs(g_ref) + 1e-5 * g_max
    else:
      bound = np.full_like(g_ref, 1e-9 * g_max)
    ratio = (np.abs(g - g_ref) / bound).max()
    zero = g_ref == 0
    zero_ok = bool((g[zero] == 0).all())
    rep.check(ratio <= 1.0 and zero_ok, f"grad {name}",
              f"max err/bound {ratio:.3f}, {int(zero.sum())} exact-zero entries {'all zero' if zero_ok else 'NOT zero'}")

  # One optimizer step from the reference weights with our gradients.
  for opt_name, make in (("adamax", lambda p, c: torch.optim.Adamax(p, lr=c["lr"], betas=tuple(c["betas"]), eps=c["eps"], weight_decay=c["weight_decay"])),
                         ("adam", lambda p, c: torch.optim.Adam(p, lr=c["lr"], betas=tuple(c["betas"]), eps=c["eps"], weight_decay=c["weight_decay"], amsgrad=c["amsgrad"]))):
    cfg = ref[opt_name]
    params = []
    for name in model.param_names:
      p = torch.nn.Parameter(torch.tensor(ref["weights"][name], dtype=dtype))
      p.grad = getattr(model, name).grad.clone()
      params.append(p)
    make(params, cfg).step()
    worst, unchanged_ok = 0.0, True
    for name, p in zip(model.param_names, params):
      p_ref = np.asarray(cfg["params"][name])
      w0 = np.asarray(ref["weights"][name])
      pv = p.detach().numpy().astype(np.float64)
      worst = max(worst, np.abs(pv - p_ref).max())
      zero = np.asarray(ref["grads"][name]) == 0
      unchanged_ok &= bool((pv[zero] == w0.astype(p.detach().numpy().dtype).astype(np.float64)[zero]).all())
    tol_p = 1e-6 if f32 else 1e-12
    rep.check(worst <= tol_p and unchanged_ok, f"{opt_name} step",
              f"max |p - p_ref| {worst:.2e} (tol {tol_p:g}), zero-grad entries unchanged: {unchanged_ok}")


def main():
  ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  ap.add_argument("cases", nargs="*", help=f"case files (default {DEFAULT_GLOB})")
  ap.add_argument("--float32-only", action="store_true")
  args = ap.parse_args()
  torch.set_num_threads(1)
  cases = args.cases or sorted(glob.glob(DEFAULT_GLOB))
  if not cases:
    sys.exit(f"error: no case files found (looked for {DEFAULT_GLOB})")
  rep = Report()
  for path in cases:
    for dtype in ((torch.float32,) if args.float32_only else (torch.float32, torch.float64)):
      run_case(path, dtype, rep)
  print(f"{'ALL CHECKS PASSED' if rep.failures == 0 else f'{rep.failures} CHECK(S) FAILED'}")
  sys.exit(1 if rep.failures else 0)


if __name__ == "__main__":
  main()
