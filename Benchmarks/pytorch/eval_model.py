"""Evaluates an `r4ncl train` model file (HDF5) with the PyTorch twin: the same weights through an
independent forward pass and binning. Equal accuracy to `r4ncl eval` means the two agree.

  python3 Benchmarks/pytorch/eval_model.py --model model.h5 --data DIR [--split test]
"""
import argparse, json, os, sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

from snn import SNN  # noqa: E402
from train import accuracy, load_split  # noqa: E402


def main():
  ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  ap.add_argument("--model", required=True)
  ap.add_argument("--data", required=True)
  ap.add_argument("--split", default="test")
  ap.add_argument("--threads", type=int, default=2)
  a = ap.parse_args()
  torch.set_num_threads(a.threads)
  with h5py.File(a.model, "r") as f:
    config = json.loads(f.attrs["config_json"])
    model = SNN(sizes=config["sizes"], recurrent=config["recurrent"])
    model.load_weights({name: f[name][:] for name in model.param_names})
  thresholds = config.get("thresholds") or [1.0]
  if any(abs(t - 1.0) > 1e-6 for t in thresholds):
    sys.exit("error: the PyTorch twin uses threshold 1.0; this model has %s" % thresholds)
  if abs(config.get("maxTime", 1.4) - 1.4) > 1e-9:
    sys.exit("error: the PyTorch twin bins over 1.4 s; this model uses maxTime %s" % config["maxTime"])
  x, y = load_split(os.path.join(a.data, f"shd_{a.split}.h5"), config["timesteps"])
  print(json.dumps({"model": a.model, "timesteps": config["timesteps"], "accuracy": accuracy(model, x, y)}))


if __name__ == "__main__":
  main()
