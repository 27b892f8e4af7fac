#!/usr/bin/env python3
"""Starts `r4ncl node` with hostile parameters, one at a time, and reports starts that crash (a
signal) or hang instead of ending with an error or running normally. Exit status 1 when one did.

    swift build -c release --product r4ncl
    scripts/fuzz-node-params.py [BINARY] [--only SUBSTR ...] [--timeout 25] [--grace 2] [--out DIR] [--list]

BINARY defaults to .build/release/r4ncl. Every numeric parameter gets inf, nan, 1e300, 2^63 - 1,
..., string and endpoint parameters empty, 100 kB and malformed values, and a set of malformed
parameter files (alias bombs, complex keys, duplicate keys, NUL bytes, ...) is tried. Verdicts:
  ok-ready  the node logged "control ..." (ready); it is then stopped with SIGTERM after --grace s
  error     exited before becoming ready, without a signal: a clear error
  CRASH     killed by a signal (also during the SIGTERM drain)
  HANG      neither ready nor exited within --timeout; HANG-STOP: ready but not stopped 10 s after SIGTERM
It uses launch/params.yaml with runs/model.h5 and data/synth (the demo makes both), ports
6701-6724 on 127.0.0.1, and a scratch directory (--out, default a new temporary directory) for
each start's checkpoints and spool; results.jsonl there has one line per case. About 30 minutes.
"""
import argparse, json, os, re, resource, shutil, signal, subprocess, sys, tempfile, threading, time

MAIN = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PARAMS = f"{MAIN}/launch/params.yaml"
MODEL = f"{MAIN}/runs/model.h5"
TRAIN = f"{MAIN}/data/synth/shd_train.h5"
TEST = f"{MAIN}/data/synth/shd_test.h5"
PORT = 6700  # 6701..6704 node sockets, 6705..6708 swarm sockets, 6710+ hostile endpoint values
EP = {"endpoints.spikes": f"@tcp://127.0.0.1:{PORT+1}", "endpoints.labels": f"@tcp://127.0.0.1:{PORT+2}",
      "endpoints.output": f"@tcp://127.0.0.1:{PORT+3}", "endpoints.control": f"@tcp://127.0.0.1:{PORT+4}"}
SWARM = {"swarm.endpoint": f"@tcp://127.0.0.1:{PORT+5}", "swarm.control": f"@tcp://127.0.0.1:{PORT+6}",
         "swarm.peers": f"peer@tcp://127.0.0.1:{PORT+7}", "swarm.snapshot_from": f"peer@tcp://127.0.0.1:{PORT+8}"}
MEMORY_LIMIT = 8 << 30  # bytes of address space per node run
READY = re.compile(r"\[Node\] node .*: control ")  # "[Node] node r4ncl: control tcp://...; labels ..."

NUMS = ["1e300", "-1e300", ".inf", "inf", "-.inf", ".nan", "nan", "-1", "0", "1", "99999999999999999999",
        "9223372036854775807", "-9223372036854775808", "2147483648", "4294967296", "-2147483649", "1.5", "1e-300"]
WRONG = ["", "abc", "[1, 2]", "[]", "true", "{a: 1}", "x" * 100_000]
STRS = ["", "x" * 100_000, "[]", "[a, b]", "123", "1.5", "true", "{a: 1}", "~", "\u00e9\u2603\U0001F600", "a,b", "-"]

INT_PARAMS = ["hwm.input", "hwm.output", "queue.prediction", "limits.channels", "limits.class_capacity",
              "limits.max_message_bytes", "limits.max_events", "limits.max_samples_per_event", "limits.max_name_bytes",
              "checkpoint.keep", "learning.min_samples", "learning.epochs", "model.frozen_depth",
              "replay.samples_per_class", "replay.depth", "spool.max_bytes", "spool.max_samples_per_class"]
FLOAT_PARAMS = ["status.period_s", "learning.rate", "learning.lr"]
SWARM_NUM = ["swarm.chunk_bytes", "swarm.max_shard_bytes", "swarm.snapshot_timeout_s", "swarm.shard_timeout_s",
             "swarm.max_pending_shards", "swarm.max_pending_bytes", "swarm.max_snapshot_bytes"]
BOOL_PARAMS = ["queue.prediction_thread", "swarm.publish", "swarm.learn_from_peers"]
KNOB_NUM = ["timesteps", "pretrain_timesteps", "learn_timesteps", "max_time", "depth", "replay_per_class",
            "pretrain_lr", "learn_lr", "pretrain_epochs", "epochs", "batch_size", "adaptive_rate", "adaptive_lower",
            "adaptive_upper", "readout_mean", "readout_std", "seed", "threads", "hidden", "pretrain_thresholds",
            "learn_thresholds"]
KNOB_LIST_EXTRA = ["0", "-1", "[0]", "[-1]", "[1, 2, 3, 4, 5, 6, 7, 8]", "1,nan", "[1e300, 1]", "[99999999999999999999]",
                   "[9223372036854775807]", "[100000000]", "1," * 50_000]
KNOB_STR = ["method", "strategy", "optimizer", "codec", "pretrain_recipe", "adaptive"]
STRING_PARAMS = ["namespace", "model.checkpoint", "model.kind", "model.file", "model.classes", "learning.method",
                 "replay.data", "replay.codec", "checkpoint.dir", "spool.dir", "security.secret_key",
                 "security.allowed_keys", "swarm.endpoint", "swarm.control", "swarm.peers", "swarm.snapshot_from"]
ENDPOINT_PARAMS = list(EP) + ["swarm.endpoint", "swarm.control"]


def base_params(work):
    return dict(EP, **{"model.file": MODEL, "checkpoint.dir": f"{work}/ckpt", "spool.dir": f"{work}/spool"})


def cases(out):
    """Yields (name, overrides dict or None, extra argv, params file or None, context)."""
    def p(key, vals, ctx=None):
        for v in vals:
            yield (f"{key}={short(v)}" + (f" [{ctx}]" if ctx else ""), {key: v}, [], None, ctx)
    yield ("baseline", {}, [], None, None)
    for k in INT_PARAMS + FLOAT_PARAMS:
        yield from p(k, NUMS + WRONG)
    for k in SWARM_NUM:
        yield from p(k, NUMS + WRONG)
        yield from p(k, NUMS, "swarm")
    for k in BOOL_PARAMS:
        yield from p(k, ["true", "false", "yes", "1", "0", "TRUE", "nan"] + WRONG)
    for k in KNOB_NUM:
        yield from p("continual." + k, NUMS + WRONG + (KNOB_LIST_EXTRA if "thresh" in k or k == "hidden" else []))
    for k in KNOB_STR:
        yield from p("continual." + k, STRS + ["joint", "replay", "naive", "adam", "none", "raw", "bitpack", "events",
                                                "auto", "orpool:0", "orpool:-1", "orpool:99999999999999999999",
                                                "orpool:9223372036854775807", "orpool:", "orpool:1e300"])
    for k in ["replay.codec"]:
        yield from p(k, ["orpool:0", "orpool:-1", "orpool:1", "orpool:2", "orpool:700", "orpool:701",
                         "orpool:99999999999999999999", "orpool:9223372036854775807", "orpool:x", "orpool:"])
    for k in STRING_PARAMS:
        yield from p(k, STRS + ["[1, 2]", "0"])
    # model.classes specifics (parsed by NodeConfiguration.classList)
    yield from p("model.classes", ["0-9223372036854775807", "-9223372036854775808", "9223372036854775807",
                                   "[9223372036854775807]", "0-99999999999999999999", "0-100000000", "0-1000000",
                                   "0-30", "0-17", "19", "18-0", "0--1", "-1", "[-1]", "0,0,0", "0-18,0-18",
                                   "1-2-3", "a-b", ",", " , ", "[]", "0-4294967296", "2147483647-2147483648"])
    # path-ish strings
    for k, vals in {
        "model.file": ["/nonexistent/m.h5", "/dev/null", "/tmp", TEST, "/dev/zero", "/proc/self/mem"],
        "model.checkpoint": ["/nonexistent/c.h5", "/dev/null", "/tmp", MODEL, TEST, "/dev/zero"],
        "replay.data": ["none", "/nonexistent/x.h5", "/dev/null", "/tmp", MODEL, TEST, "/dev/zero"],
        "checkpoint.dir": ["/dev/null", "/dev/null/x", "/proc/nodefuzz", f"{out}/work/ro_file"],
        "spool.dir": ["/dev/null", "/dev/null/x", "/proc/nodefuzz", f"{out}/work/ro_file"],
        "security.secret_key": ["/nonexistent", "/dev/null", "/tmp", MODEL],
        "security.allowed_keys": ["/nonexistent", "/dev/null", "/tmp"],
    }.items():
        yield from p(k, vals)
        if k.startswith("security."):
            yield from p(k, vals, "swarm+secure")
    # endpoints
    for k in ENDPOINT_PARAMS:
        yield from p(k, ["", "@", ">", "tcp://", "@tcp://", "@tcp://127.0.0.1:99999", "@tcp://127.0.0.1:-1",
                         "@tcp://127.0.0.1:65536", "@tcp://256.1.1.1:6710", ">tcp://256.1.1.1:6710",
                         ">tcp://127.0.0.1:6711", "@tcp://[::1]:6712", "@ipc://" + out + "/" + "x" * 100_000,
                         "@ipc://" + out + "/" + "y" * 200, "@inproc://x", "@bogus://x", "@tcp://127.0.0.1:",
                         f"@tcp://127.0.0.1:{PORT+1}", f"@tcp://127.0.0.1:6713,@tcp://127.0.0.1:6713",
                         "@tcp://" + "h" * 100_000 + ":6714", ",", "[]", "[@tcp://127.0.0.1:6715, x]", "123",
                         "@tcp://127.0.0.1:6716," * 200])
    for k in ["swarm.peers", "swarm.snapshot_from"]:
        yield from p(k, ["@tcp://127.0.0.1:6720", "p@", "p@tcp://", "p@x://y", "p@tcp://256.1.1.1:6721",
                         "p@tcp://127.0.0.1:99999", "p@tcp://127.0.0.1:6701", "a" * 100_000 + "@tcp://127.0.0.1:6722",
                         "p@tcp://127.0.0.1:6723," * 200, "@@@://", "p@tcp://127.0.0.1:6724@x"])
    # unknown keys / bad overrides
    for o in ["nokey", "=1", "x=1", "continual.nope=1", "engine.x=1", "a" * 100_000 + "=1", "namespace",
              "namespace==", "namespace=&a [*a]", "namespace=!!binary aGVsbG8=", "namespace=!!timestamp 2001-12-14",
              "namespace=*undefined", "namespace=" + "[" * 100_000, "namespace=" + "{a: " * 20_000,
              "hwm.input=!!int 1e3", "hwm.input=0x10", "hwm.input=0o17", "hwm.input=+1", "hwm.input=1_000"]:
        yield (f"raw-param:{short(o)}", None, ["--param", o], None, None)
    for nm in ["", "/", "/**", "x" * 100_000, "ros__parameters"]:
        yield (f"--name={short(nm)}", {}, ["--name", nm], None, None)
    # malformed YAML files
    for name, text in yaml_cases().items():
        path = f"{out}/yaml/{name}.yaml"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode())
        yield (f"yaml:{name}", {}, [], path, None)
    for name, path in {"missing": "/nonexistent/p.yaml", "directory": "/tmp", "devnull": "/dev/null",
                       "binary-h5": MODEL}.items():
        yield (f"yaml:{name}", {}, [], path, None)


def yaml_cases():
    ok = "/**:\n  ros__parameters:\n"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98+i)}: &{chr(98+i)} [*{chr(97+i)}, *{chr(97+i)}, *{chr(97+i)}, *{chr(97+i)}, *{chr(97+i)}, *{chr(97+i)}, *{chr(97+i)}, *{chr(97+i)}, *{chr(97+i)}]\n"
        for i in range(9))
    return {
        "top-list": "- a\n- b\n",
        "top-scalar": "42\n",
        "top-null": "~\n",
        "empty": "",
        "section-scalar": "/**: 5\n",
        "ros-params-list": "/**:\n  ros__parameters: [1, 2]\n",
        "ros-params-scalar": "/**:\n  ros__parameters: 7\n",
        "ros-params-null": "/**:\n  ros__parameters:\n",
        "param-as-map": ok + "    namespace: {a: 1}\n",
        "leaf-map-hwm": ok + "    hwm:\n      input: {x: 1}\n",
        "param-list-of-maps": ok + "    endpoints:\n      spikes: [{a: 1}]\n",
        "param-nested-list": ok + "    model:\n      classes: [[0, 1], [2]]\n",
        "param-null": ok + "    hwm:\n      input: ~\n",
        "dup-keys": ok + "    namespace: a\n    namespace: b\n",
        "dup-sections": "/**:\n  ros__parameters:\n    namespace: a\n/**:\n  ros__parameters:\n    namespace: b\n",
        "dup-nested": ok + "    hwm:\n      input: 1\n    hwm:\n      output: 2\n",
        "int-key": ok + "    1: 2\n",
        "bool-key": ok + "    true: 2\n",
        "null-key": ok + "    ~: 2\n",
        "complex-key": ok + "    ? [a, b]\n    : 1\n",
        "dotted-and-nested": ok + "    hwm.input: 5\n    hwm:\n      input: 6\n",
        "binary-tag": ok + "    namespace: !!binary aGVsbG8=\n",
        "timestamp": ok + "    namespace: 2001-12-14t21:59:43.10-05:00\n",
        "unknown-tag": ok + "    namespace: !foo bar\n",
        "alias-bomb": ok + "    " + bomb.replace("\n", "\n    ").rstrip() + "\n",
        "alias-bomb-top": bomb + "/**:\n  ros__parameters:\n    namespace: *j\n",
        "merge-key": ok + "    base: &b {input: 5}\n    hwm:\n      <<: *b\n",
        "self-alias": "a: &a [*a]\n" + ok,
        "undefined-alias": ok + "    namespace: *nope\n",
        "deep-list": ok + "    namespace: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "deep-map": ok + "    namespace: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n",
        "deep-block-maps": ok + "".join("  " * (i + 2) + f"k{i}:\n" for i in range(3000)) + "  " * 3002 + "v: 1\n",
        "huge-int": ok + "    hwm:\n      input: 99999999999999999999999999999999\n",
        "huge-float": ok + "    status:\n      period_s: 1e99999\n",
        "inf-period": ok + "    status:\n      period_s: .inf\n",
        "nan-period": ok + "    status:\n      period_s: .nan\n",
        "long-key": ok + "    " + "k" * 100_000 + ": 1\n",
        "many-keys": ok + "".join(f"    engine.k{i}: {i}\n" for i in range(100_000)),
        "not-utf8": b"/**:\n  ros__parameters:\n    namespace: \xff\xfe\x80\n",
        "nul-byte": b"/**:\n  ros__parameters:\n    namespace: a\x00b\n",
        "bom": "\ufeff" + ok + "    namespace: a\n",
        "tabs": "/**:\n\tros__parameters:\n\t\tnamespace: a\n",
        "multi-doc": ok + "    namespace: a\n---\n" + ok + "    namespace: b\n",
        "unterminated": ok + "    namespace: \"abc\n",
        "the-real-one-as-list": "- " + open(PARAMS).read().replace("\n", "\n  "),
    }


def short(v):
    v = str(v)
    return v if len(v) <= 40 else f"{v[:20]}...({len(v)} chars)"


def run_case(binary, name, overrides, extra, params_file, ctx, out, timeout, grace):
    work = f"{out}/work/case"
    shutil.rmtree(f"{out}/work", ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    open(f"{out}/work/ro_file", "w").close()
    argv = ["timeout", "-k", "2", str(timeout), binary, "node", "--params", params_file or PARAMS]
    if overrides is not None:
        params = base_params(work)
        if ctx and ctx.startswith("swarm"):
            params.update(SWARM)
        if ctx == "swarm+secure":
            params.update({"security.secret_key": "/nonexistent", "security.allowed_keys": "/nonexistent"})
        params.update(overrides)
        for k, v in params.items():
            argv += ["--param", f"{k}={v}"]
    else:  # raw-param cases: safe endpoints/paths plus the raw argument
        for k, v in base_params(work).items():
            argv += ["--param", f"{k}={v}"]
    argv += extra
    lines, ready_at = [], [None]

    def reader(stream):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            lines.append(line[:400] + ("...(%d chars)" % len(line) if len(line) > 400 else ""))
            if len(lines) > 5000:
                del lines[1000:2000]  # keep the start (fatal message, first frames) and the end
            if ready_at[0] is None and READY.search(line):
                ready_at[0] = time.monotonic()

    start = time.monotonic()
    def limits():  # protect the shared machine from memory bombs (alias bombs, huge ranges)
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    proc = subprocess.Popen(argv, preexec_fn=limits, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, cwd=work)  # relative paths land in the scratch dir
    t = threading.Thread(target=reader, args=(proc.stdout,), daemon=True)
    t.start()
    stopped, stop_hang = False, False
    while proc.poll() is None:
        time.sleep(0.05)
        if ready_at[0] is not None and not stopped and time.monotonic() - ready_at[0] >= grace:
            stopped = True
            stop_at = time.monotonic()
            proc.send_signal(signal.SIGTERM)  # `timeout` forwards it to the node
        if stopped and proc.poll() is None and time.monotonic() - stop_at > 10:
            stop_hang = True
            os.killpg(proc.pid, signal.SIGKILL)
        if time.monotonic() - start > timeout + 10:
            os.killpg(proc.pid, signal.SIGKILL)
    rc = proc.wait()
    t.join(5)
    elapsed = time.monotonic() - start
    ready = ready_at[0] is not None
    if stop_hang:
        verdict = "HANG-STOP"
    elif rc < 0 or (rc >= 128 and rc not in (124, 137)):
        verdict = "CRASH" if not (stopped and rc == 128 + signal.SIGTERM) else "ok-ready"
    elif rc in (124, 137):
        verdict = "HANG" if not ready else "ok-ready"
    elif ready:
        verdict = "ok-ready" if rc == 0 else "error-after-ready"
    else:
        verdict = "error" if rc != 0 else "exit0-not-ready"
    if verdict == "CRASH" and stopped:
        verdict = "CRASH-ON-STOP"
    return {"name": name, "verdict": verdict, "rc": rc, "ready": ready, "seconds": round(elapsed, 1),
            "key": line_of_interest(lines, verdict), "tail": lines[-12:]}


def line_of_interest(lines, verdict):
    """For crashes: the runtime's failure message plus the first backtrace frame in project code
    (a Swift function with a source location); otherwise the last error line (or last line)."""
    if verdict.startswith(("CRASH", "HANG")):
        fatal = next((l.strip() for l in lines if "Swift runtime failure" in l or "Fatal error" in l
                      or "Program crashed" in l), None)
        frame = None
        crashed = next((i for i, l in enumerate(lines) if re.search(r"^Thread .* crashed:", l)), 0)
        for l in lines[crashed:]:
            m = re.match(r"^\s*\d+\s+(?:\[[^\]]*\]\s*)*0x[0-9a-f]+ (.*)$", l)
            if m and "[system]" not in l and "runtime failure" not in l and " at /" in l:
                frame = re.sub(r"\s+", " ", m.group(1)).replace(" in r4ncl-", " in r4ncl-")
                break
        parts = [x for x in (fatal, frame) if x]
        if parts:
            return " | ".join(parts)
    errors = [l for l in lines if l.startswith("Error") or " error " in l or "Fatal error" in l]
    if errors:
        return errors[-1]
    meaningful = [l for l in lines if l.strip() and not l.startswith("USAGE") and "--help" not in l]
    return (meaningful or [""])[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default=os.path.join(MAIN, ".build/release/r4ncl"))
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--timeout", type=int, default=25)
    ap.add_argument("--grace", type=float, default=2.0)
    ap.add_argument("--out", default=None)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    out = os.path.abspath(a.out or tempfile.mkdtemp(prefix="r4ncl-node-fuzz-"))
    for path in (a.binary, PARAMS, MODEL, TRAIN, TEST):
        if not os.path.exists(path):
            sys.exit(f"fuzz-node-params: {path} does not exist (build r4ncl and run the demo first)")
    allc = list(cases(out))
    sel = [c for c in allc if not a.only or any(s in c[0] for s in a.only)]
    if a.list:
        print("\n".join(c[0] for c in sel)); return
    # No core dumps; the Swift runtime prints its own backtrace.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ.setdefault("SWIFT_BACKTRACE", "enable=yes,interactive=no,color=no,sanitize=no")
    res_path = f"{out}/results.jsonl"
    bad = []
    with open(res_path, "w") as rf:
        for i, (name, ov, extra, pf, ctx) in enumerate(sel):
            r = run_case(os.path.abspath(a.binary), name, ov, extra, pf, ctx, out, a.timeout, a.grace)
            rf.write(json.dumps(r) + "\n"); rf.flush()
            mark = "!!" if r["verdict"].startswith(("CRASH", "HANG")) or r["verdict"] == "exit0-not-ready" else "  "
            print(f"{mark} [{i+1}/{len(sel)}] {r['verdict']:<14} rc={r['rc']:<4} {r['seconds']:>5}s {name}: {short(r['key']) if mark == '  ' else r['key'][:300]}", flush=True)
            if mark == "!!":
                bad.append(r)
    print("\n==== SUMMARY: %d cases, %d crash/hang ====" % (len(sel), len(bad)))
    for r in bad:
        print(f"{r['verdict']} rc={r['rc']} {r['name']}\n    {r['key'][:400]}")
    print(f"results: {res_path}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
