#!/usr/bin/env python3
"""A sensor peer: publishes SpikeSamples (from an SHD file or a synthetic pattern) to a
Replay4NCL node and, with --predictions, waits for the node's Prediction of each one.

Predictions are read as they arrive, while sending, so the printed latency is publish to
prediction received: from the sample's sent_time_ns to the moment this process reads its
Prediction (transport both ways plus the node's own time, which the node reports as
latency_us). With --rate 0 (back to back) it includes queueing in the node.

  python3 sensor.py --connect tcp://127.0.0.1:5555 --predictions tcp://127.0.0.1:5557 --synthetic 3 --count 12
"""
import argparse
import math
import sys
import time

import zmq

from r4ncl_peer import prediction_pb2, spikes_pb2, synthetic_sample, topic, wait_for_subscriber, now_ns


def samples_from_args(args):
    if args.file:
        import h5py  # only needed for real files

        with h5py.File(args.file, "r") as f:
            times, units, labels = f["spikes/times"], f["spikes/units"], f["labels"]
            for i in range(min(len(labels), args.count or len(labels))):
                yield [float(t) for t in times[i]], [int(u) for u in units[i]], int(labels[i])
    else:
        for i in range(args.count):
            k = i % args.synthetic
            t, u = synthetic_sample(k, seed=i)
            yield t, u, k


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", default="tcp://127.0.0.1:5555", help="node spike SUB endpoint")
    parser.add_argument("--predictions", help="node output PUB endpoint: wait for predictions")
    parser.add_argument("--namespace", default="r4ncl")
    parser.add_argument("--sensor", default="pysensor")
    parser.add_argument("--file", help="SHD-format HDF5 file (needs h5py)")
    parser.add_argument("--synthetic", type=int, default=3, help="classes of the synthetic pattern")
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--channels", type=int, default=700)
    parser.add_argument("--rate", type=float, default=100.0, help="samples per second")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()

    ctx = zmq.Context()
    pub = ctx.socket(zmq.XPUB)
    pub.setsockopt(zmq.LINGER, 2000)
    pub.connect(args.connect)
    spikes_topic = topic(args.namespace, f"spikes/{args.sensor}")
    sub = None
    if args.predictions:
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        sub.connect(args.predictions)
        # Predictions first, then status: subscriptions of one connection apply in order, so
        # once a status arrives the prediction subscription is live.
        sub.setsockopt_string(zmq.SUBSCRIBE, topic(args.namespace, "pred"))
        sub.setsockopt_string(zmq.SUBSCRIBE, topic(args.namespace, "status"))
    if not wait_for_subscriber(pub, spikes_topic, args.timeout):
        print("sensor: no subscriber for", spikes_topic, file=sys.stderr)
        return 2
    if sub is not None and not sub.poll(int(args.timeout * 1000)):
        print("sensor: no status from the node", file=sys.stderr)
        return 2

    sent, answered, latencies = {}, set(), []
    correct = 0
    pred_topic = topic(args.namespace, "pred")

    def receive_until(until):
        """Reads predictions as they arrive until the monotonic time `until` (at least one look)."""
        nonlocal correct
        while True:
            left = until - time.monotonic()
            if sub is None:
                if left > 0:
                    time.sleep(left)
                return
            if not sub.poll(max(0, math.ceil(left * 1000))):
                if left <= 0:
                    return
                continue
            while True:
                try:
                    name, payload = sub.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                received_ns = now_ns()
                if name.decode() != pred_topic:
                    continue
                p = prediction_pb2.Prediction()
                p.ParseFromString(payload)
                if p.sensor != args.sensor or p.sequence not in sent or p.sequence in answered:
                    continue
                answered.add(p.sequence)
                correct += int(p.class_id == sent[p.sequence])
                latencies.append((received_ns - p.sample_sent_time_ns) / 1e6)
                print(f"prediction seq={p.sequence} class={p.class_id} ({p.class_name}) truth={sent[p.sequence]} "
                      f"model=v{p.model_version} publish->prediction {latencies[-1]:.2f} ms "
                      f"(in node {p.latency_us / 1000:.2f} ms)", flush=True)
            if time.monotonic() >= until:
                return

    interval = 1.0 / args.rate if args.rate > 0 else 0.0
    next_send = time.monotonic()
    for seq, (times, units, label) in enumerate(samples_from_args(args), start=1):
        receive_until(next_send)
        msg = spikes_pb2.SpikeSample(sensor=args.sensor, sequence=seq, times=times, units=units,
                                     channel_count=args.channels, label=label, sent_time_ns=now_ns())
        sent[seq] = label
        pub.send_multipart([spikes_topic.encode(), msg.SerializeToString()])
        next_send = max(next_send + interval, time.monotonic()) if interval else time.monotonic()
    print(f"sensor: sent {len(sent)} samples on {spikes_topic}", flush=True)
    if sub is None:
        return 0

    deadline = time.monotonic() + args.timeout
    while len(answered) < len(sent) and time.monotonic() < deadline:
        receive_until(min(deadline, time.monotonic() + 0.1))
    print(f"sensor: {len(answered)}/{len(sent)} predictions received, {correct} correct", flush=True)
    if latencies:
        ordered = sorted(latencies)
        print(f"sensor: publish->prediction latency p50 {ordered[len(ordered) // 2]:.2f} ms, "
              f"max {ordered[-1]:.2f} ms over {len(ordered)} samples", flush=True)
    return 0 if len(answered) == len(sent) else 1


if __name__ == "__main__":
    sys.exit(main())
