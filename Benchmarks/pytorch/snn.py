"""PyTorch twin of the Replay4NCL / SpikingLR reference network.

Recurrent current-based LIF layers (no biases) with a non-spiking leaky readout, trained
by surrogate-gradient BPTT. The equations are exactly those of the project's reference
(DESIGN.md section 3, reference README section 1); this file is the side-by-side
implementation used for accuracy and speed comparisons with the Swift engine.

Per hidden layer l and step t = 0..T-1 (row-vector convention, x W = sum_i x[i] W[i][j]):
    h[t]     = x[t] W + s[t-1] V            (x: the layer below at the same step)
    s[t]     = H(mem[t] - thr)              (H(0) = 0; surrogate 1/(100|u|+1)^2)
    syn[t+1] = alpha syn[t] + h[t]
    mem[t+1] = (beta mem[t] + syn[t]) (1 - s[t])   (old syn; the reset factor is detached)
Readout:
    flt[t+1] = alpha flt[t] + s_L[t] Wout
    out[t+1] = beta out[t] + flt[t]         (old flt), out[0] = 0
    logits   = max over t = 0..T of out[t]  (gradient to the first maximising t)
"""

import math

import numpy as np
import torch

DT = 1e-3
TAU_SYN = 5e-3
TAU_MEM = 10e-3
ALPHA = math.exp(-DT / TAU_SYN)
BETA = math.exp(-DT / TAU_MEM)
THRESHOLD = 1.0
SURROGATE_SCALE = 100.0
MAX_TIME = 1.4


class SuperSpike(torch.autograd.Function):
  """Heaviside step forward (u > 0), fast-sigmoid derivative 1/(100|u|+1)^2 backward."""

  @staticmethod
  def forward(ctx, u):
    ctx.save_for_backward(u)
    return (u > 0).to(u.dtype)

  @staticmethod
  def backward(ctx, grad_output):
    (u,) = ctx.saved_tensors
    return grad_output / (SURROGATE_SCALE * u.abs() + 1.0) ** 2


spike_fn = SuperSpike.apply


class SNN(torch.nn.Module):
  """Recurrent LIF network: sizes = [N_in, N_1, ..., N_L, C]; recurrent[l] says whether
  hidden layer l+1 has a recurrent matrix V. Parameters are named W1, V1, ..., Wout."""

  def __init__(self, sizes=(700, 200, 100, 50, 20), recurrent=None, dtype=torch.float32):
    super().__init__()
    self.sizes = list(sizes)
    n_hidden = len(self.sizes) - 2
    self.recurrent = list(recurrent) if recurrent is not None else [True] * n_hidden
    assert len(self.recurrent) == n_hidden
    self.param_names = []
    for l in range(n_hidden):
      n_in, n_out = self.sizes[l], self.sizes[l + 1]
      self._add(f"W{l + 1}", n_in, n_out, dtype)
      if self.recurrent[l]:
        self._add(f"V{l + 1}", n_out, n_out, dtype)
    self._add("Wout", self.sizes[-2], self.sizes[-1], dtype)

  def _add(self, name, rows, cols, dtype):
    # Drawn in parameter order from torch's global generator: N(0, (0.2/sqrt(fan_in))^2).
    w = torch.empty(rows, cols, dtype=dtype)
    torch.nn.init.normal_(w, mean=0.0, std=0.2 / math.sqrt(rows))
    self.register_parameter(name, torch.nn.Parameter(w))
    self.param_names.append(name)

  def load_weights(self, weights):
    """Copies a name -> matrix mapping (nested lists or arrays) into the parameters."""
    with torch.no_grad():
      for name in self.param_names:
        p = getattr(self, name)
        p.copy_(torch.as_tensor(np.asarray(weights[name]), dtype=p.dtype))

  def forward(self, x, record=False):
    """x: [T, B, N_in] binned input counts. Returns logits [B, C], and with record=True
    also (out [T+1, B, C], list of hidden spikes [T, B, N_l], list of mem [T, B, N_l])."""
    T, B, _ = x.shape
    n_hidden = len(self.sizes) - 2
    Ws = [getattr(self, f"W{l + 1}") for l in range(n_hidden)]
    Vs = [getattr(self, f"V{l + 1}") if self.recurrent[l] else None for l in range(n_hidden)]
    Wout = self.Wout
    zeros = lambda n: x.new_zeros(B, n)
    syn = [zeros(n) for n in self.sizes[1:-1]]
    mem = [zeros(n) for n in self.sizes[1:-1]]
    spk = [zeros(n) for n in self.sizes[1:-1]]
    flt = zeros(self.sizes[-1])
    out = zeros(self.sizes[-1])
    outs = [out]
    rec_s = [[] for _ in range(n_hidden)]
    rec_m = [[] for _ in range(n_hidden)]
    # The first layer's feed-forward currents of all steps in one product (identical
    # equations; only the recurrent and deeper terms need the per-step loop).
    h1 = torch.matmul(x.reshape(T * B, -1), Ws[0]).reshape(T, B, -1)
    for t in range(T):
      inp = None
      for l in range(n_hidden):
        h = h1[t] if l == 0 else torch.matmul(inp, Ws[l])
        if Vs[l] is not None:
          h = h + torch.matmul(spk[l], Vs[l])  # spk[l] still holds s[t-1]
        s = spike_fn(mem[l] - THRESHOLD)
        if record:
          rec_s[l].append(s)
          rec_m[l].append(mem[l])
        new_syn = ALPHA * syn[l] + h
        mem[l] = (BETA * mem[l] + syn[l]) * (1.0 - s.detach())
        syn[l] = new_syn
        spk[l] = s
        inp = s
      a = torch.matmul(inp, Wout)
      out = BETA * out + flt
      flt = ALPHA * flt + a
      outs.append(out)
    out_all = torch.stack(outs)  # [T+1, B, C]
    logits = out_all.max(dim=0).values
    if record:
      return logits, out_all, [torch.stack(r) for r in rec_s], [torch.stack(r) for r in rec_m]
    return logits


def bin_events(times, units, timesteps, channels=700, max_time=MAX_TIME):
  """Counts per (bin, channel): bin = floor(t / (max_time / T)); events with t >= max_time
  are dropped. Returns a uint8-safe int array [T, channels]."""
  t = np.asarray(times, dtype=np.float64)
  u = np.asarray(units, dtype=np.int64)
  keep = (t >= 0) & (t < max_time)
  b = np.floor(t[keep] / (max_time / timesteps)).astype(np.int64)
  b = np.minimum(b, timesteps - 1)  # guards float rounding just below max_time
  counts = np.zeros((timesteps, channels), dtype=np.int32)
  np.add.at(counts, (b, u[keep]), 1)
  return counts
