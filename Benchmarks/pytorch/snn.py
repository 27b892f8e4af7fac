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
Readout (computed as one product with its [T+1, T] impulse-response kernel):
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
  """Spikes of a membrane potential: forward s = H(mem - thr) (H(0) = 0) and the reset factor
  keep = 1 - s (no gradient: the reset is detached); backward the fast-sigmoid derivative
  1/(100|u|+1)^2 at u = mem - thr. One autograd node per layer and step (threshold folded in)."""

  @staticmethod
  def forward(ctx, mem):
    ctx.save_for_backward(mem)
    s = (mem > THRESHOLD).to(mem.dtype)
    keep = 1.0 - s
    ctx.mark_non_differentiable(keep)
    return s, keep

  @staticmethod
  def backward(ctx, grad_s, grad_keep):
    (mem,) = ctx.saved_tensors
    return grad_s / (SURROGATE_SCALE * (mem - THRESHOLD).abs() + 1.0) ** 2


spike_fn = SuperSpike.apply


def readout_kernel(timesteps, dtype):
  """The readout is linear and time-invariant: out[t] = sum_k K[t, k] a[k] with a[k] = s_L[k] Wout,
  K[t, k] = sum_{j=k+1}^{t-1} beta^(t-1-j) alpha^(j-1-k) (flt[0] = out[0] = 0). One [T+1, T] matrix
  replaces the 2T elementwise steps of the recursion (identical equations, computed in float64)."""
  k = np.zeros((timesteps + 1, timesteps))
  for t in range(timesteps + 1):
    for src in range(t - 1):
      j = np.arange(src + 1, t)
      k[t, src] = np.sum(BETA ** (t - 1 - j) * ALPHA ** (j - 1 - src))
  return torch.from_numpy(k).to(dtype)


class SNN(torch.nn.Module):
  """Recurrent LIF network: sizes = [N_in, N_1, ..., N_L, C]; recurrent[l] says whether
  hidden layer l+1 has a recurrent matrix V. Parameters are named W1, V1, ..., Wout.

  Efficient plain PyTorch: the layers run one after the other over all T steps (layer l needs
  only the spikes of layer l-1, so its feed-forward currents of all steps are ONE matrix product;
  only the recurrent term s[t-1] V and the LIF update run per step), the spike nonlinearity and
  reset factor are one autograd node, the readout is one product with a fixed kernel, and
  inference (`predict`) runs under torch.inference_mode with in-place updates."""

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
    self._kernels = {}

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

  def _kernel(self, timesteps, dtype):
    key = (timesteps, dtype)
    if key not in self._kernels:
      self._kernels[key] = readout_kernel(timesteps, dtype)
    return self._kernels[key]

  def _layers(self):
    n_hidden = len(self.sizes) - 2
    return [(getattr(self, f"W{l + 1}"), getattr(self, f"V{l + 1}") if self.recurrent[l] else None)
            for l in range(n_hidden)]

  def forward(self, x, record=False):
    """x: [T, B, N_in] binned input counts. Returns logits [B, C], and with record=True
    also (out [T+1, B, C], list of hidden spikes [T, B, N_l], list of mem [T, B, N_l])."""
    T, B, _ = x.shape
    inp = x
    rec_s, rec_m = [], []
    for W, V in self._layers():
      n = W.shape[1]
      # x[t] W for every t at once; unbind (not ff[t]) so backward stacks the T slices once
      # instead of zero-filling a [T, B, n] gradient per step.
      ff = torch.matmul(inp.reshape(T * B, -1), W).reshape(T, B, n).unbind(0)
      syn = x.new_zeros(B, n)
      mem = x.new_zeros(B, n)
      spikes, mems = [], []
      s = None
      for t in range(T):
        h = ff[t] if V is None or s is None else torch.addmm(ff[t], s, V)  # + s[t-1] V
        s, keep = spike_fn(mem)
        if record:
          mems.append(mem)
        new_syn = torch.add(h, syn, alpha=ALPHA)          # alpha syn[t] + h[t]
        mem = torch.add(syn, mem, alpha=BETA) * keep      # (beta mem[t] + syn[t]) (1 - s[t])
        syn = new_syn
        spikes.append(s)
      inp = torch.stack(spikes)
      rec_s.append(inp)
      if record:
        rec_m.append(torch.stack(mems))
    a = torch.matmul(inp.reshape(T * B, -1), self.Wout)                    # [T*B, C]
    out_all = torch.matmul(self._kernel(T, x.dtype), a.reshape(T, -1)).reshape(T + 1, B, -1)
    logits = out_all.max(dim=0).values
    if record:
      return logits, out_all, rec_s, rec_m
    return logits

  @torch.inference_mode()
  def predict(self, x):
    """Logits [B, C] for x [T, B, N_in] without autograd: the same equations, updated in place."""
    T, B, _ = x.shape
    inp = x
    for W, V in self._layers():
      n = W.shape[1]
      ff = torch.matmul(inp.reshape(T * B, -1), W).reshape(T, B, n)
      syn = x.new_zeros(B, n)
      mem = x.new_zeros(B, n)
      spikes = x.new_empty(T, B, n)
      for t in range(T):
        st = spikes[t]
        torch.gt(mem, THRESHOLD, out=st)           # s[t] as 0/1 floats
        mem.mul_(BETA).add_(syn)                    # beta mem[t] + syn[t]
        mem.addcmul_(mem, st, value=-1.0)           # ... (1 - s[t])
        h = ff[t] if V is None or t == 0 else torch.addmm(ff[t], spikes[t - 1], V)
        syn.mul_(ALPHA).add_(h)                     # alpha syn[t] + h[t]
      inp = spikes
    a = torch.matmul(inp.reshape(T * B, -1), self.Wout)
    out_all = torch.matmul(self._kernel(T, x.dtype), a.reshape(T, -1))
    return out_all.max(dim=0).values.reshape(B, -1)


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
