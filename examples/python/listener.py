#!/usr/bin/env python3
"""A listener peer: prints the Predictions (and optionally status) a Replay4NCL node publishes.

  python3 listener.py --connect tcp://127.0.0.1:5557 --namespace r4ncl
"""
import argparse
import sys

import zmq

from r4ncl_peer import prediction_pb2, status_pb2, topic


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", default="tcp://127.0.0.1:5557", help="node output PUB endpoint")
    parser.add_argument("--namespace", default="r4ncl")
    parser.add_argument("--status", action="store_true", help="also print status heartbeats")
    parser.add_argument("--count", type=int, default=0, help="exit after this many predictions (0 = never)")
    parser.add_argument("--timeout", type=float, default=0, help="exit 1 after this many quiet seconds (0 = never)")
    args = parser.parse_args()

    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.connect(args.connect)
    pred_topic, status_topic = topic(args.namespace, "pred"), topic(args.namespace, "status")
    sub.setsockopt_string(zmq.SUBSCRIBE, pred_topic)
    if args.status:
        sub.setsockopt_string(zmq.SUBSCRIBE, status_topic)
    seen = 0
    while args.count == 0 or seen < args.count:
        if args.timeout and not sub.poll(int(args.timeout * 1000)):
            print("listener: timed out", file=sys.stderr)
            return 1
        name, payload = sub.recv_multipart()
        if name.decode() == pred_topic:
            p = prediction_pb2.Prediction()
            p.ParseFromString(payload)
            seen += 1
            print(f"{p.sensor}#{p.sequence}: {p.class_id} {p.class_name} (model v{p.model_version}, "
                  f"{p.latency_us} us in node)", flush=True)
        else:
            s = status_pb2.NodeStatus()
            s.ParseFromString(payload)
            print(f"status: {status_pb2.LifecycleState.Name(s.state)} v{s.model_version} "
                  f"received={s.received} predicted={s.predicted} dropped={s.dropped} rejected={s.rejected}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
