#!/usr/bin/env python3
"""A teacher peer: announces a class to a Replay4NCL node and publishes labeled samples of it
(from an SHD file or the synthetic pattern), optionally asks it to learn now, then confirms over
the node's REQ/REP control socket that the node took every sample (its per-teacher ledger in
NodeStatus.teachers; pub/sub itself acknowledges nothing) and, with --wait-learned, that it
serves a model knowing the class. The Python twin of `r4ncl label --confirm --wait-learned`.

  python3 teacher.py --class-id 3 --name three --synthetic --count 8 --learn-now --wait-learned
"""
import argparse
import os
import socket
import sys
import time

import zmq

from r4ncl_peer import spikes_pb2, synthetic_sample, topic, wait_for_subscriber
from r4ncl.v1 import control_pb2, labels_pb2


def samples_from_args(args):
    """(times, units) of the class: the file's samples labeled --file-class, or the synthetic pattern."""
    if args.file:
        import h5py  # only needed for real files

        with h5py.File(args.file, "r") as f:
            times, units, labels = f["spikes/times"], f["spikes/units"], f["labels"][:]
            wanted = args.class_id if args.file_class is None else args.file_class
            rows = [i for i in range(len(labels)) if int(labels[i]) == wanted][: args.count]
            return [([float(t) for t in times[i]], [int(u) for u in units[i]]) for i in rows]
    return [synthetic_sample(args.class_id, seed=100 + i) for i in range(args.count)]


class Control:
    """REQ client of the node's control socket; each request waits at most `timeout` seconds."""

    def __init__(self, ctx, endpoint, timeout):
        self.endpoint, self.timeout = endpoint, timeout
        self.req = ctx.socket(zmq.REQ)
        self.req.setsockopt(zmq.LINGER, 0)
        self.req.connect(endpoint)
        self.next_id = 0

    def status(self):
        self.next_id += 1
        request = control_pb2.ControlRequest(id=self.next_id, status=control_pb2.GetStatus())
        self.req.send(request.SerializeToString())
        if not self.req.poll(int(self.timeout * 1000)):
            sys.exit(f"teacher: no reply from the node's control socket {self.endpoint} within {self.timeout:g} s")
        return control_pb2.ControlReply.FromString(self.req.recv()).status


def ledger(status, teacher):
    return next((t for t in status.teachers if t.teacher == teacher), None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", default="tcp://127.0.0.1:5556", help="node label SUB endpoint (or a proxy front end)")
    parser.add_argument("--control", default="tcp://127.0.0.1:5558", help="node control REP endpoint")
    parser.add_argument("--namespace", default="r4ncl")
    parser.add_argument("--class-id", type=int, required=True, help="class id to announce and teach")
    parser.add_argument("--name", help="class name (default: class<id>)")
    parser.add_argument("--file", help="SHD-format HDF5 file (needs h5py); default: the synthetic pattern")
    parser.add_argument("--file-class", type=int, help="label of the samples in --file (default: --class-id)")
    parser.add_argument("--count", type=int, default=8, help="samples to send")
    parser.add_argument("--batch", type=int, default=4, help="samples per LabelEvent")
    parser.add_argument("--channels", type=int, default=700)
    parser.add_argument("--learn-now", action="store_true", help="ask the node to learn after the samples")
    parser.add_argument("--wait-learned", action="store_true", help="wait until the node serves a model that knows the class")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()

    samples = samples_from_args(args)
    if not samples:
        sys.exit(f"teacher: {args.file} has no samples of class {args.file_class if args.file_class is not None else args.class_id}")
    teacher = f"py-teacher-{socket.gethostname()}-{os.getpid()}"
    ctx = zmq.Context()
    control = Control(ctx, args.control, args.timeout)
    before = control.status()
    base = ledger(before, teacher) or labels_pb2.LabelEvent()  # an absent ledger counts as zero

    pub = ctx.socket(zmq.XPUB)
    pub.setsockopt(zmq.LINGER, 2000)
    pub.connect(args.connect)
    labels_topic = topic(args.namespace, "labels")
    if not wait_for_subscriber(pub, labels_topic, args.timeout):
        sys.exit(f"teacher: no subscriber for {labels_topic}")

    events = []
    events.append(labels_pb2.LabelEvent(announce=labels_pb2.ClassAnnouncement(
        class_id=args.class_id, name=args.name or f"class{args.class_id}", expected_samples=len(samples))))
    for start in range(0, len(samples), args.batch):
        batch = labels_pb2.LabeledSamples(class_id=args.class_id)
        for offset, (times, units) in enumerate(samples[start:start + args.batch]):
            batch.samples.append(spikes_pb2.SpikeSample(
                sensor="teacher", sequence=start + offset + 1, times=times, units=units, channel_count=args.channels))
        events.append(labels_pb2.LabelEvent(samples=batch))
    if args.learn_now:
        events.append(labels_pb2.LabelEvent(learn_now=labels_pb2.LearnNow(class_ids=[args.class_id])))
    for sequence, event in enumerate(events, start=1):
        event.teacher, event.sequence = teacher, sequence
        pub.send_multipart([labels_topic.encode(), event.SerializeToString()])
    print(f"teacher: announced class {args.class_id} and sent {len(samples)} samples in {len(events)} events")

    deadline = time.monotonic() + args.timeout
    old_events = getattr(base, "events", 0)
    while True:
        mine = ledger(control.status(), teacher)
        handled = (mine.events - old_events) if mine else 0
        if handled >= len(events):
            break
        if time.monotonic() > deadline:
            sys.exit(f"teacher: the node handled {handled} of {len(events)} events within {args.timeout:g} s")
        time.sleep(0.02)
    refused = mine.refused_events - getattr(base, "refused_events", 0)
    persisted = mine.samples_acknowledged - getattr(base, "samples_acknowledged", 0)
    if refused or persisted < len(samples):
        sys.exit(f"teacher: the node refused {refused} of {len(events)} events and persisted {persisted} of "
                 f"{len(samples)} samples; last refusal: {mine.last_problem}")
    print(f"teacher: the node persisted all {persisted} samples (teacher {teacher})")

    if args.wait_learned:
        while True:
            status = control.status()
            known = {c.id: c.name for c in status.classes}
            busy = status.learning.active and args.class_id in status.learning.class_ids
            if status.model_version > before.model_version and args.class_id in known and not busy:
                print(f'teacher: the node learned class {args.class_id} "{known[args.class_id]}": model v{status.model_version}')
                break
            if time.monotonic() > deadline:
                sys.exit(f"teacher: the node did not learn class {args.class_id} within {args.timeout:g} s")
            time.sleep(0.05)
    return 0


if __name__ == "__main__":
    sys.exit(main())
