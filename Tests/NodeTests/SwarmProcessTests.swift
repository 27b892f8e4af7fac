import Foundation
import Learner
import Proto
import Storage
import XCTest

@testable import Node

/// The swarm end to end with real `r4ncl node` processes over ipc://, on a small spiking model
/// trained here on the committed SHD-format fixture (classes 0-18; class 19 comes later):
/// node A learns class 19 from labeled samples and publishes a replay shard; node B never sees
/// a labeled sample of it and learns it from A's shard alone; node C, whose frozen base differs,
/// refuses the shard; torn and corrupted shards from a fake peer are never learned from; a late
/// joiner D catches up from A's snapshot.
final class SwarmProcessTests: XCTestCase {
  /// Everything the nodes start from, made once per test run.
  struct Setup {
    var directory: String
    var base: SpikingClassifier
    var className: String
    /// Labeled class-19 samples the teacher shows node A.
    var teach: [SpikeSample]
    /// Held-out samples: class 19, and the old classes.
    var evalNew: [SpikeSample]
    var evalOld: [SpikeSample]
  }

  var directory = ""
  var nodes: [ChildProcess] = []

  override func tearDownWithError() throws {
    if testRun?.hasSucceeded == false {
      for node in nodes { print("---- node log\n\(node.text)") }
    }
    for node in nodes where node.process.isRunning {
      node.signal(SIGTERM)
      _ = node.wait(timeout: 10)
    }
    nodes = []
    if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
  }

  /// A copy of `sample` with its spike times jittered by up to ±3 ms and 10% of its events
  /// dropped: another utterance of the same word, so the tiny fixture yields enough samples.
  static func jittered(_ sample: SpikeSample, seed: UInt64) -> SpikeSample {
    var random = SeededGenerator(seed: seed)
    var events: [(Float, UInt16)] = []
    events.reserveCapacity(sample.times.count)
    for (time, unit) in zip(sample.times, sample.units) where random.nextUniform() >= 0.1 {
      events.append((max(0, time + Float(random.nextUniform() - 0.5) * 0.006), unit))
    }
    events.sort { $0.0 < $1.0 }
    return SpikeSample(times: events.map(\.0), units: events.map(\.1), label: sample.label, speaker: sample.speaker)
  }

  func prepare() throws -> Setup {
    directory = "/tmp/r4s-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let fixtures = Paths.root + "/Tests/CochleaTests/Fixtures"
    let train = try SHDFile.read(URL(fileURLWithPath: fixtures + "/shd_fixture_train.h5"))
    let test = try SHDFile.read(URL(fileURLWithPath: fixtures + "/shd_fixture_test.h5"))
    let newClass = 19
    let oldTrain = train.samples.filter { $0.label != newClass }
    let pretrain = oldTrain + oldTrain.enumerated().flatMap { i, s in (0..<2).map { Self.jittered(s, seed: UInt64(1000 + 10 * i + $0)) } }
    let newTrain = train.samples.filter { $0.label == newClass }
    let teach = newTrain.enumerated().flatMap { i, s in (0..<8).map { Self.jittered(s, seed: UInt64(5000 + 10 * i + $0)) } }
    let evalNew = (newTrain + test.samples.filter { $0.label == newClass }).enumerated()
      .flatMap { i, s in (0..<5).map { Self.jittered(s, seed: UInt64(9000 + 10 * i + $0)) } }
    let evalOld = oldTrain.enumerated().map { i, s in Self.jittered(s, seed: UInt64(7000 + i)) }

    // A small network: 700 -> 48 -> 32 -> 20 at T = 20, pretrained on classes 0-18.
    let config = NetworkConfig(sizes: [700, 48, 32, 20], timesteps: 20, maxTime: 1.4, thresholds: [0.05, 0.05], seed: 3)
    let trainer = Trainer(
      network: try Network(config: config), optimizer: OptimizerSettings(kind: .adam, learningRate: 1e-3), threads: 2, batchSize: 16)
    try trainer.train(SpikeDataset(samples: pretrain, channelCount: 700, classNames: []), epochs: 30)
    try ModelFile.save(trainer.network, classNames: train.classNames, to: URL(fileURLWithPath: directory + "/base.h5"))
    try SHDFile.write(SpikeDataset(samples: pretrain, channelCount: 700, classNames: train.classNames),
                      to: URL(fileURLWithPath: directory + "/old.h5"))
    // Another frozen base: the same network with one input weight changed.
    var other = trainer.network
    var w1 = try other.parameter("W1")
    w1.values[0] += 0.5
    try other.setParameter("W1", w1)
    try ModelFile.save(other, classNames: train.classNames, to: URL(fileURLWithPath: directory + "/other.h5"))
    var known = ClassMap()
    for id in 0..<newClass { known.set(id, name: train.classNames[id]) }
    let base = SpikingClassifier(network: trainer.network, classes: known, version: 1, frozenDepth: 1)
    return Setup(
      directory: directory, base: base, className: train.classNames[newClass], teach: teach, evalNew: evalNew, evalOld: evalOld)
  }

  func endpoint(_ node: String, _ socket: String) -> String { "ipc://\(directory)/\(node)-\(socket)" }

  /// Starts `r4ncl node` in namespace `name` and returns a control/label client for it.
  func startNode(_ name: String, model: String = "base.h5", _ extra: [String]) throws -> (ChildProcess, NodeClient) {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "the r4ncl executable is not built (run swift build)")
    var arguments = ["node"]
    for parameter in [
      "namespace=\(name)",
      "endpoints.spikes=@\(endpoint(name, "spikes"))", "endpoints.labels=@\(endpoint(name, "labels"))",
      "endpoints.output=@\(endpoint(name, "out"))", "endpoints.control=@\(endpoint(name, "ctl"))",
      "checkpoint.dir=\(directory)/\(name)/ckpt", "spool.dir=\(directory)/\(name)/spool",
      "model.kind=snn", "model.file=\(directory)/\(model)", "model.classes=0-18",
      "replay.data=\(directory)/old.h5", "replay.depth=1", "replay.samples_per_class=16", "replay.codec=auto",
      "learning.epochs=15", "learning.rate=0.002", "learning.min_samples=16", "status.period_s=0.2",
      // The toy network keeps its pretraining thresholds (the preset's 0.9 silences it).
      "continual.learn_thresholds=keep", "continual.adaptive=false", "continual.batch_size=16", "continual.optimizer=adamax",
      "swarm.endpoint=@\(endpoint(name, "swarm"))", "swarm.control=@\(endpoint(name, "sctl"))",
      "swarm.chunk_bytes=1024", "swarm.shard_timeout_s=2",
    ] + extra {
      arguments += ["--param", parameter]
    }
    let node = try ChildProcess(r4ncl, arguments)
    nodes.append(node)
    let client = try NodeClient(
      endpoints: ["spikes": [endpoint(name, "spikes")], "labels": [endpoint(name, "labels")], "output": [endpoint(name, "out")],
                  "control": [endpoint(name, "ctl")]],
      topics: Topics(namespace: name))
    try client.control.setReceiveTimeout(30_000)
    return (node, client)
  }

  /// Waits until `node`'s log contains `text` (bounded).
  func waitForLog(_ node: ChildProcess, _ text: String, timeout: Double = 30) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while !node.text.contains(text) {
      guard Date() < deadline, node.process.isRunning else { throw TestFailure("log never showed \"\(text)\":\n\(node.text)") }
      usleep(20_000)
    }
  }

  func count(_ status: R4ncl_V1_NodeStatus, _ reason: String) -> UInt64 {
    status.rejectedByReason.first { $0.reason == reason }?.count ?? 0
  }

  func accuracy(_ model: SpikingClassifier, _ samples: [SpikeSample]) -> Double {
    let known = Set(model.classes.ids)
    let right = samples.filter { sample in
      let s = model.scores(sample)
      return known.max { s[$0] < s[$1] } == sample.label
    }
    return Double(right.count) / Double(max(samples.count, 1))
  }

  func model(of client: NodeClient) throws -> SpikingClassifier {
    let reply = try client.request { $0.snapshot = R4ncl_V1_SnapshotRequest() }
    return try XCTUnwrap(try SpikingBackend().load(reply.snapshot.checkpoint) as? SpikingClassifier)
  }

  func testPeerLearnsANewClassFromAShardAloneAndOthersRefuseWhatTheyMust() throws {
    guard Paths.r4ncl != nil else { throw XCTSkip("the r4ncl executable is not built (run swift build)") }
    let setup = try prepare()
    let (a, clientA) = try startNode("a", ["swarm.peers=b@\(endpoint("b", "swarm"))"])
    let (b, clientB) = try startNode("b", ["swarm.peers=a@\(endpoint("a", "swarm")),z@\(endpoint("z", "swarm"))"])
    let (c, clientC) = try startNode("c", model: "other.h5", ["swarm.peers=a@\(endpoint("a", "swarm"))"])

    // The test's own listener on A's shards, and a fake peer "z" that B also subscribes to.
    let context = try ZMQContext()
    let tap = try ZMQSocket(context, type: .sub)
    try tap.subscribe("a/")
    try tap.setReceiveTimeout(60_000)
    try tap.connect(endpoint("a", "swarm"))
    let fake = try ZMQSocket(context, type: .pub)
    try fake.bind(endpoint("z", "swarm"))
    var hello = R4ncl_V1_NodeStatus()
    hello.node = "z"
    let deadline = Date().addingTimeInterval(30)
    while !b.text.contains("peer z is up") {
      guard Date() < deadline else { throw TestFailure("B never heard the fake peer:\n\(b.text)") }
      _ = try fake.send(topic: "z/status", payload: try hello.serializedBytes(), dontWait: true)
      usleep(20_000)
    }
    try waitForLog(b, "peer a is up")
    try waitForLog(c, "peer a is up")
    XCTAssertTrue(c.text.contains("differs from ours"), "C sees that A's base differs")
    while try tap.receive().map({ String(decoding: $0[0], as: UTF8.self) }) != "a/status" {}

    // Torn and corrupted shards of class 19 (latents of the real teaching samples, so they
    // would be learnable): B must count and refuse both and learn nothing.
    let network = setup.base.network
    let latents = try NetworkRunner(threads: 1).latents(
      network, setup.teach.map { try network.config.binning.bin($0, channelCount: 700) }, depth: 1)
    var buffer = try ReplayBuffer(codec: AutoCodec(), depth: 1, timesteps: 20, units: 48, baseFingerprint: setup.base.baseFingerprint)
    try buffer.add(contentsOf: latents)
    let forged = ClassMap([19: setup.className])
    let torn = try ReplayShardContent(buffer: buffer, classes: forged, node: "z", modelVersion: 2, baseFingerprint: setup.base.baseFingerprint)
    var tornChunks = torn.chunks(maxChunkBytes: 512)
    XCTAssertGreaterThan(tornChunks.count, 2)
    tornChunks.remove(at: 1)
    var corrupt = torn
    corrupt.shardID = "z:corrupt"
    var corruptChunks = corrupt.chunks(maxChunkBytes: 512)
    corruptChunks[1].payload[3] ^= 0x01
    for chunk in tornChunks + corruptChunks { _ = try fake.send(topic: "z/replay", payload: try chunk.serializedBytes()) }
    let refused = try clientB.waitForStatus(timeout: 20) { self.count($0, "shard_crc_mismatch") >= 1 && self.count($0, "shard_incomplete") >= 1 }
    XCTAssertEqual(refused.classes.count, 19)
    XCTAssertEqual(refused.learning.completedRuns, 0, "B learned from a broken shard")

    // The teacher shows class 19 to A only.
    try clientA.handshakeLabels()
    try clientA.sendLabel(announce(19, setup.className))
    var rawBytes = 0
    for start in stride(from: 0, to: setup.teach.count, by: 4) {
      let event = labelEvent {
        var batch = R4ncl_V1_LabeledSamples()
        batch.classID = 19
        batch.samples = setup.teach[start..<min(start + 4, setup.teach.count)].enumerated().map {
          R4ncl_V1_SpikeSample($0.element, sensor: "teacher", sequence: UInt64(start + $0.offset), channelCount: 700)
        }
        $0.samples = batch
      }
      let payload: [UInt8] = try event.serializedBytes()
      rawBytes += payload.count + "a/labels".utf8.count
      try clientA.sendLabel(event)
    }

    // A's shard as it goes over the wire.
    var shardWire = 0, chunkCount = 0, captured: [R4ncl_V1_ReplayShard] = []
    repeat {
      guard let frames = try tap.receive() else { throw TestFailure("A published no shard:\n\(a.text)") }
      guard String(decoding: frames[0], as: UTF8.self) == "a/replay" else { continue }
      shardWire += frames[0].count + frames[1].count
      let chunk = try R4ncl_V1_ReplayShard(serializedBytes: frames[1])
      captured.append(chunk)
      chunkCount = Int(chunk.chunkCount)
    } while captured.isEmpty || captured.count < chunkCount

    let statusB = try clientB.waitForStatus(timeout: 120) { $0.classes.count == 20 && !$0.learning.active && $0.state == .serving }
    XCTAssertEqual(statusB.labelsAcknowledged, 0, "B never received a labeled sample")
    XCTAssertTrue(b.text.contains("of a's replay shard (no raw samples)"), b.text)
    let statusC = try clientC.waitForStatus(timeout: 30) { self.count($0, "shard_fingerprint_mismatch") >= 1 }
    XCTAssertEqual(statusC.classes.count, 19)
    XCTAssertTrue(statusC.lastError.contains("base fingerprint"), statusC.lastError)
    XCTAssertTrue(c.text.contains("refused: its base fingerprint"), c.text)
    // B republishes what it learned; A already knows the class and ignores it (counted).
    try clientA.waitForStatus(timeout: 30) { self.count($0, "shard_known_class") >= 1 }
    // The same shard again (e.g. replayed by a relay): a counted duplicate, nothing learned.
    for chunk in captured { _ = try fake.send(topic: "z/replay", payload: try chunk.serializedBytes()) }
    let again = try clientB.waitForStatus(timeout: 20) { self.count($0, "shard_duplicate") >= 1 }
    XCTAssertEqual(again.learning.completedRuns, 1)

    let modelA = try model(of: clientA), modelB = try model(of: clientB)
    let newA = accuracy(modelA, setup.evalNew), newB = accuracy(modelB, setup.evalNew)
    let oldBefore = accuracy(setup.base, setup.evalOld)
    let oldA = accuracy(modelA, setup.evalOld), oldB = accuracy(modelB, setup.evalOld)
    print(
      String(
        format: "swarm: class-19 accuracy A %.3f, B %.3f; old classes before %.3f, A %.3f, B %.3f; shard %d bytes on the wire in %d chunks vs %d bytes of raw labeled samples (%.1fx smaller)",
        newA, newB, oldBefore, oldA, oldB, shardWire, chunkCount, rawBytes, Double(rawBytes) / Double(shardWire)))
    XCTAssertGreaterThan(newA, 0.5, "A learned class 19")
    XCTAssertEqual(newB, newA, accuracy: 0.05, "B learns class 19 from the shard about as well as A from the samples")
    XCTAssertGreaterThan(oldB, oldBefore - 0.1, "B keeps its old classes")
    XCTAssertLessThan(shardWire * 5, rawBytes, "the shard is much smaller than the raw samples")

    // A late joiner asks A for a snapshot at start-up and learns class 19 from its shards.
    let (d, clientD) = try startNode("d", ["swarm.snapshot_from=a@\(endpoint("a", "sctl"))"])
    let statusD = try clientD.waitForStatus(timeout: 120) { $0.classes.count == 20 && !$0.learning.active && $0.state == .serving }
    XCTAssertEqual(statusD.labelsAcknowledged, 0)
    XCTAssertTrue(d.text.contains("snapshot from a@"), d.text)
    XCTAssertEqual(accuracy(try model(of: clientD), setup.evalNew), newA, accuracy: 0.05)
  }
}
