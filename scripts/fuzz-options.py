#!/usr/bin/env python3
"""Runs every r4ncl subcommand with hostile values in each numeric or list option (inf, nan,
1e300, 2^63 - 1, 2^31, ...) and reports runs that died by a signal (a Swift trap, a segfault,
an abort) instead of ending with an error or running normally. Exit status 1 when one did.

    swift build -c release --product r4ncl
    scripts/fuzz-options.py [--r4ncl .build/release/r4ncl] [--data data/synth] [--model runs/model.h5]
                            [--only echo,hz] [--timeout 4]

--data is a directory with shd_train.h5/shd_test.h5 and --model an r4ncl model file (the demo
makes both). Every run gets --timeout seconds; one still running then was accepted (killed, not
a crash), so the base arguments keep waits (--wait-subscriber, --duration) well below it. Ports 6601-6612 on 127.0.0.1 are used; scratch files go to a temporary directory.
A full pass takes about 15 minutes (most runs end at once with an argument error).
"""
import argparse, math, os, re, shutil, struct, subprocess, sys, tempfile

NUMBERS = ["1e300", "inf", "nan", "-1", "99999999999999999999", "9223372036854775807",
           "-9223372036854775808", "2147483648", "0"]
LISTS = ["0-9223372036854775807", "5-3", "-1", "1,99999999999999999999", "0-4294967296", ",",
         "9223372036854775807"]
LIST_OPTIONS = {"classes", "known-classes", "timesteps", "depths", "batches", "hidden", "new",
                "new-class", "model-classes", "initial-classes", "validation-speakers", "augment",
                "onset", "pool", "id", "class"}
TEXT_OPTIONS = {"data", "out", "model", "connect", "namespace", "sensor", "name", "teacher",
                "control", "topic", "params", "report", "config", "cache", "checkpoints",
                "pytorch-script", "learn-report", "dir", "directory", "wav", "frontend", "backend",
                "nir", "from-model", "predictions", "recipe", "optimizer", "transport", "format",
                "split", "methods", "scenario", "log-level", "param", "set", "method", "path",
                "measure"}


def base_arguments(data, model, scratch):
    tcp = lambda port: f"tcp://127.0.0.1:{port}"
    test = os.path.join(data, "shd_test.h5")
    return {
        "train": ["--data", data, "--epochs", "1", "--out", f"{scratch}/m.h5", "--classes", "0-1"],
        "eval": ["--model", model, "--data", data],
        "play": [test, "--connect", tcp(6601), "--count", "2", "--wait-subscriber", "0.1"],
        "label": [test, "--class", "19", "--connect", tcp(6602), "--count", "2", "--control", tcp(6603),
                  "--wait-subscriber", "0.1"],
        "echo": ["--connect", tcp(6604), "--timeout", "1"],
        "hz": ["--connect", tcp(6605), "--duration", "1"],
        "record": [f"{scratch}/rec.h5", "--connect", tcp(6606), "--duration", "1"],
        "proxy": ["--frontend", "@" + tcp(6607), "--backend", "@" + tcp(6608)],
        "launch": [f"{scratch}/empty.yaml"],
        "learn": ["--data", data, "--pretrain-epochs", "1", "--epochs", "1", "--report", f"{scratch}/rep",
                  "--cache", f"{scratch}/cache"],
        "sweep": ["--data", data, "--pretrain-epochs", "1", "--epochs", "1", "--report", f"{scratch}/rep2",
                  "--cache", f"{scratch}/cache"],
        "export": ["--model", model, "--nir", f"{scratch}/x.nir"],
        "bench": ["--seconds", "0.1", "--reps", "3", "--timesteps", "10", "--batches", "4"],
        "bench-node": ["--data", data, "--samples", "5"],
        "synth": ["--out", f"{scratch}/synth", "--train", "2", "--test", "2"],
        "ear": ["--wav", f"{scratch}/tone.wav", "--out", f"{scratch}/ear.h5"],
        "monitor": ["--connect", tcp(6609), "--idle", "1"],
        "keygen": ["--dir", f"{scratch}/keys", "--name", "k"],
        "soak": ["--messages", "5", "--directory", f"{scratch}/soak"],
        "bag record": [f"{scratch}/bag.h5", "--connect", tcp(6610), "--duration", "1"],
        "bag play": [f"{scratch}/played.bag.h5", "--connect", tcp(6611), "--wait-subscriber", "0.1"],
        "control status": ["--control", tcp(6612), "--timeout", "1"],
        "control learn-now": ["--control", tcp(6612), "--timeout", "1"],
    }


def write_tone(path):
    samples = b"".join(struct.pack("<h", int(3000 * math.sin(i * 0.1))) for i in range(16000))
    header = (b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVEfmt "
              + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16) + b"data" + struct.pack("<I", len(samples)))
    with open(path, "wb") as f:
        f.write(header + samples)


def record_a_bag(r4ncl, data, path):
    """A three-message bag for `bag play`: `bag record` bound, `play` connecting to it."""
    recorder = subprocess.Popen([r4ncl, "bag", "record", path, "--connect", "@tcp://127.0.0.1:6690", "--count", "3"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([r4ncl, "play", os.path.join(data, "shd_test.h5"), "--connect", "tcp://127.0.0.1:6690",
                    "--count", "3", "--wait-subscriber", "5"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        recorder.wait(timeout=10)
    except subprocess.TimeoutExpired:
        recorder.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--r4ncl", default=".build/release/r4ncl")
    parser.add_argument("--data", default="data/synth")
    parser.add_argument("--model", default="runs/model.h5")
    parser.add_argument("--only", default="", help="comma-separated subcommands (default: all)")
    parser.add_argument("--timeout", type=float, default=4)
    args = parser.parse_args()
    for path in (args.r4ncl, os.path.join(args.data, "shd_test.h5"), args.model):
        if not os.path.exists(path):
            sys.exit(f"fuzz-options: {path} does not exist (build r4ncl and run the demo first)")
    scratch = tempfile.mkdtemp(prefix="r4ncl-fuzz-")
    with open(f"{scratch}/empty.yaml", "w") as f:
        f.write("processes: []\n")
    write_tone(f"{scratch}/tone.wav")
    record_a_bag(args.r4ncl, args.data, f"{scratch}/played.bag.h5")
    only = set(filter(None, args.only.split(",")))
    crashes, runs = [], 0
    try:
        for command, arguments in base_arguments(args.data, args.model, scratch).items():
            if only and command not in only:
                continue
            help_text = subprocess.run([args.r4ncl, *command.split(), "--help"], capture_output=True, text=True).stdout
            for option in re.findall(r"^\s+(?:-\w, )?--([a-z0-9-]+) <", help_text, re.M):
                if option in TEXT_OPTIONS:
                    continue
                for value in (LISTS + NUMBERS[:3]) if option in LIST_OPTIONS else NUMBERS:
                    line = list(arguments)
                    if "--" + option in line:
                        index = line.index("--" + option)
                        del line[index:index + 2]
                    line = [args.r4ncl, *command.split(), *line, "--" + option, value]
                    try:
                        run = subprocess.run(line, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                             timeout=args.timeout)
                        status = run.returncode
                    except subprocess.TimeoutExpired:
                        status = None  # still running: accepted
                    runs += 1
                    if status is not None and status < 0:
                        crashes.append((command, option, value, -status))
                        print(f"CRASH signal {-status}: r4ncl {command} --{option} {value}", flush=True)
                    if sys.stderr.isatty():
                        print(f"\r{runs} runs, {len(crashes)} crashes  ({command} --{option})\033[K", end="", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"fuzz-options: {runs} runs, {len(crashes)} died by a signal")
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()
