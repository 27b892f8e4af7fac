"""Opens r4ncl HDF5 files with h5py and checks their `content_crc32`: node checkpoints
(format "r4ncl-checkpoint" or "r4ncl-node-model") and model files of `r4ncl train` ("r4ncl-model").
Prints one line per file (format, model version, classes, checksum); exits 1 when a file's
contents do not match its checksum (the bytes changed after writing), 0 otherwise. Files written
before the checksum existed have none and are reported as unchecked.

  python3 examples/python/checkpoint_info.py runs/node/checkpoints/model-v000002.h5 [FILE ...]
"""

import sys
import zlib

import h5py
import numpy as np


class Content:
  """CRC-32 over the parts in the writers' order: strings as UTF-8 + a 0 byte, numbers little-endian."""

  def __init__(self):
    self.value = 0

  def text(self, s):
    s = s.decode() if isinstance(s, bytes) else str(s)
    self.value = zlib.crc32(s.encode() + b"\0", self.value)

  def numbers(self, values, dtype):
    self.value = zlib.crc32(np.ascontiguousarray(values, dtype=dtype).tobytes(), self.value)


def checkpoint_crc(f):
  """Storage's CheckpointHDF5 (`Checkpoint.contentChecksum`)."""
  c = Content()
  for key in ["phase", "method", "config", "settings", "node", "base_fingerprint"]:
    c.text(f.attrs.get(key, ""))
  c.numbers([f.attrs.get("model_version", 0)], "<i8")
  for name in sorted(f["weights"]):
    c.numbers(f["weights"][name][()], "<f4")
  c.numbers(f["thresholds"][()], "<f4")
  c.numbers(f["layer_rates"][()], "<f8")
  c.numbers(f["classes/ids"][()], "<i8")
  for name in f["classes/names"][()]:
    c.text(name)
  if "replay" in f:
    r = f["replay"]
    c.text(r.attrs["codec"])
    c.numbers([r.attrs["depth"], r.attrs["timesteps"]], "<i8")
    c.numbers(r["bytes"][()], "u1")
    c.numbers(r["offsets"][()], "<i8")
    c.numbers(r["labels"][()], "<i4")
  return c.value


def node_model_crc(f):
  """The node's generic checkpoints (`NodeCheckpointFile.genericChecksum`)."""
  c = Content()
  for key in ["config", "node", "base_fingerprint"]:
    c.text(f.attrs.get(key, ""))
  c.numbers([f.attrs.get("model_version", 0), f.attrs.get("timesteps", 0), f.attrs.get("created_time_ns", 0)], "<i8")
  for name in sorted(f["tensors"]):
    tensor = f["tensors"][name]
    c.numbers(tensor[()], "<f4")
    c.numbers(tensor.attrs["shape"], "<i8")
  c.numbers(f["classes/ids"][()], "<i8")
  for name in f["classes/names"][()]:
    c.text(name)
  return c.value


def model_file_crc(f):
  """Model files of `r4ncl train` (`SavedModel.contentChecksum`; the `info` group is not covered)."""
  c = Content()
  c.text(f.attrs["config_json"])
  for name in sorted(k for k in f if isinstance(f[k], h5py.Dataset) and k not in ("thresholds", "class_names")):
    c.numbers(f[name][()], "<f4")
  c.numbers(f["thresholds"][()], "<f4")
  for name in f["class_names"][()]:
    c.text(name)
  return c.value


CHECKS = {"r4ncl-checkpoint": checkpoint_crc, "r4ncl-node-model": node_model_crc, "r4ncl-model": model_file_crc}


def describe(path):
  """(ok, line) for one file."""
  with h5py.File(path, "r") as f:
    fmt = f.attrs.get("format", "")
    fmt = fmt.decode() if isinstance(fmt, bytes) else str(fmt)
    if fmt not in CHECKS:
      return False, f"{path}: format '{fmt}' is not an r4ncl checkpoint or model file"
    names = f["classes/names"][()] if "classes" in f else f["class_names"][()]
    line = f"{path}: {fmt}, model version {int(f.attrs.get('model_version', 0))}, {len(names)} classes"
    if "content_crc32" not in f.attrs:
      return True, line + ", no content_crc32 (written before it existed): unchecked"
    stored, computed = int(f.attrs["content_crc32"]), CHECKS[fmt](f)
    if stored != computed:
      return False, line + f", content_crc32 {stored:#010x} but the contents give {computed:#010x}: CORRUPTED"
    return True, line + f", content_crc32 {stored:#010x} ok"


def main():
  if len(sys.argv) < 2:
    sys.exit(__doc__)
  failed = False
  for path in sys.argv[1:]:
    try:
      ok, line = describe(path)
    except (OSError, KeyError) as error:
      ok, line = False, f"{path}: cannot read: {error}"
    print(line)
    failed |= not ok
  sys.exit(1 if failed else 0)


if __name__ == "__main__":
  main()
