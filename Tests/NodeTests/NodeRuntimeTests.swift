import Foundation
import Learner
import Logging
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

final class NodeRuntimeTests: XCTestCase {
  var runtime: NodeRuntime?

  override func tearDown() {
    if let runtime {
      runtime.requestShutdown()
      XCTAssertTrue(runtime.waitUntilStopped(timeout: 10), "node did not stop")
    }
    runtime = nil
  }

  func startNode(_ configuration: NodeConfiguration, model: any ClassifierModel,
                 learner: any IncrementalLearner = CentroidBackend(), logger: Logger = Logger(label: "r4ncl.node")) throws -> NodeRuntime {
    let node = try NodeRuntime(configuration: configuration, model: model, learner: learner, loader: CentroidBackend(), logger: logger)
    try node.start()
    runtime = node
    return node
  }

  /// Samples over tcp: every valid one gets its prediction (correct class, model version,
  /// echoed label), every bad one is rejected with its reason, and the counters add up.
  func testEverySampleIsPredictedOrRejectedWithItsReason() throws {
    let node = try startNode(loopbackConfiguration(), model: try Synthetic.model(classes: 3))
    let client = try NodeClient(node)
    let probes = try client.handshake()

    let sensor = node.topics.spikes(sensor: "mic")
    var sent = 0
    for i in 0..<30 {
      let k = i % 3
      var message = Synthetic.wire(Synthetic.sample(class: k, seed: i), sensor: "mic", sequence: UInt64(i + 1))
      message.sentTimeNs = Clock.nowNanoseconds()
      try client.spikes.send(topic: sensor, payload: try message.serializedBytes())
      sent += 1
    }
    var bad = Synthetic.wire(Synthetic.sample(class: 0, seed: 1), sensor: "mic", sequence: 100)
    bad.units[3] = 700
    try client.spikes.send(topic: sensor, payload: try bad.serializedBytes())
    bad = Synthetic.wire(Synthetic.sample(class: 0, seed: 1), sensor: "mic", sequence: 101)
    bad.times[2] = .nan
    try client.spikes.send(topic: sensor, payload: try bad.serializedBytes())
    bad = Synthetic.wire(Synthetic.sample(class: 0, seed: 1), sensor: "mic", sequence: 102)
    bad.times[5] = 0
    try client.spikes.send(topic: sensor, payload: try bad.serializedBytes())
    bad = Synthetic.wire(Synthetic.sample(class: 0, seed: 1), sensor: "mic", sequence: 103)
    bad.times[0] = -1
    try client.spikes.send(topic: sensor, payload: try bad.serializedBytes())
    try client.spikes.send(topic: sensor, payload: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x99])
    var prediction = R4ncl_V1_Prediction()
    prediction.className = "not a sample"
    prediction.classID = 2
    try client.spikes.send(topic: sensor, payload: try prediction.serializedBytes())
    try client.spikes.send([Array(sensor.utf8), [1], [2]])
    let rejectedSent = 7

    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "mic")) ?? []).count == sent }, timeout: 10))
    let status = try client.waitForStatus { $0.rejected == UInt64(rejectedSent) }
    let predictions = try client.predictions(sensor: "mic")
    XCTAssertEqual(predictions.map(\.sequence), (1...UInt64(sent)).map { $0 })
    for p in predictions {
      XCTAssertEqual(Int(p.classID), Int(p.sequence - 1) % 3)
      XCTAssertEqual(p.trueLabel, p.classID)
      XCTAssertEqual(p.className, "class\(p.classID)")
      XCTAssertEqual(p.scores.count, 3)
      XCTAssertEqual(p.modelVersion, 1)
      XCTAssertGreaterThan(p.sampleSentTimeNs, 0)
      XCTAssertGreaterThanOrEqual(p.publishedTimeNs, p.receivedTimeNs)
    }
    XCTAssertEqual(status.rejected(.unitOutOfRange), 1)
    XCTAssertEqual(status.rejected(.timeNotFinite), 1)
    XCTAssertEqual(status.rejected(.timesUnsorted), 1)
    XCTAssertEqual(status.rejected(.timeNegative), 1)
    XCTAssertEqual(status.rejected(.notProtobuf), 1)
    XCTAssertEqual(status.rejected(.wrongMessageType), 1)
    XCTAssertEqual(status.rejected(.badFrames), 1)
    // Accounting: every spike message the node received is predicted, dropped or rejected.
    XCTAssertEqual(status.received, status.predicted + status.dropped + status.rejectedSamples)
    XCTAssertEqual(status.rejectedSamples, status.rejected)
    XCTAssertLessThanOrEqual(status.received, probes + UInt64(sent + rejectedSent))
    XCTAssertEqual(status.predicted, status.received - UInt64(rejectedSent))
    XCTAssertEqual(status.dropped, 0)
    XCTAssertEqual(status.state, .serving)
  }

  /// A teacher announces a class and sends labeled samples: the node spools them, learns in
  /// the background, publishes a checkpoint, and then recognises the new class.
  func testLearnsAnAnnouncedClassFromLabeledSamples() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = loopbackConfiguration(directory)
    configuration.learnMinSamples = 6
    let node = try startNode(configuration, model: try Synthetic.model(classes: 2))
    let client = try NodeClient(node)
    try client.handshake()
    try client.handshakeLabels()

    try client.sendLabel(announce(2, "two"))
    try client.sendLabel(labeled(2, seeds: 0..<3))
    let acknowledged = try client.waitForStatus { $0.labelsAcknowledged == 3 }
    XCTAssertEqual(acknowledged.pendingClasses.map(\.name), ["two"])
    XCTAssertEqual(acknowledged.modelVersion, 1)
    try client.sendLabel(labeled(2, seeds: 3..<6))

    XCTAssertTrue(try client.collect(until: { !(client.received[node.topics.checkpoints] ?? []).isEmpty }, timeout: 10))
    let checkpoint = try R4ncl_V1_Checkpoint(serializedBytes: client.received[node.topics.checkpoints]![0])
    XCTAssertEqual(checkpoint.modelVersion, 2)
    XCTAssertEqual(checkpoint.classes.map(\.name), ["class0", "class1", "two"])
    let status = try client.waitForStatus { $0.modelVersion == 2 && $0.state == .serving }
    XCTAssertEqual(status.learning.completedRuns, 1)
    XCTAssertTrue(status.pendingClasses.isEmpty)
    XCTAssertEqual(status.queues.spooledSamples, 0, "learned samples leave the spool")
    XCTAssertTrue(FileManager.default.fileExists(atPath: status.lastCheckpointPath), status.lastCheckpointPath)
    XCTAssertEqual(try NodeCheckpointFile.read(status.lastCheckpointPath).version, 2)

    let sample = Synthetic.wire(Synthetic.sample(class: 2, seed: 77), sensor: "cam", sequence: 1)
    try client.spikes.send(topic: node.topics.spikes(sensor: "cam"), payload: try sample.serializedBytes())
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "cam")) ?? []).count == 1 }, timeout: 5))
    let prediction = try client.predictions(sensor: "cam")[0]
    XCTAssertEqual(prediction.classID, 2)
    XCTAssertEqual(prediction.className, "two")
    XCTAssertEqual(prediction.modelVersion, 2)
  }

  /// While the learner runs (held on a semaphore), predictions keep coming from the old model;
  /// after the swap they come from the new one.
  func testPredictionsContinueDuringLearning() throws {
    let gate = DispatchSemaphore(value: 0)
    var configuration = loopbackConfiguration()
    configuration.learnMinSamples = 0
    let node = try startNode(configuration, model: try Synthetic.model(classes: 2), learner: GatedLearner(gate: gate))
    let client = try NodeClient(node)
    try client.handshake()
    try client.handshakeLabels()
    try client.sendLabel(announce(2, "two"))
    try client.sendLabel(labeled(2, seeds: 0..<4))
    try client.waitForStatus { $0.labelsAcknowledged == 4 }
    let learnNow = try client.request { $0.learnNow = R4ncl_V1_LearnNow() }
    XCTAssertTrue(learnNow.ok, learnNow.error)
    try client.waitForStatus { $0.state == .learning && $0.learning.active }

    for i in 0..<10 {
      let sample = Synthetic.wire(Synthetic.sample(class: i % 2, seed: i), sensor: "during", sequence: UInt64(i + 1))
      try client.spikes.send(topic: node.topics.spikes(sensor: "during"), payload: try sample.serializedBytes())
    }
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "during")) ?? []).count == 10 }, timeout: 10))
    XCTAssertEqual(Set(try client.predictions(sensor: "during").map(\.modelVersion)), [1])
    XCTAssertTrue(try client.status().learning.active, "learning still running")

    gate.signal()
    try client.waitForStatus { $0.modelVersion == 2 && !$0.learning.active }
    let sample = Synthetic.wire(Synthetic.sample(class: 2, seed: 5), sensor: "after", sequence: 1)
    try client.spikes.send(topic: node.topics.spikes(sensor: "after"), payload: try sample.serializedBytes())
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "after")) ?? []).count == 1 }, timeout: 5))
    XCTAssertEqual(try client.predictions(sensor: "after")[0].modelVersion, 2)
    XCTAssertEqual(try client.predictions(sensor: "after")[0].classID, 2)
  }

  /// Bad label events are rejected per reason and the node keeps serving. The log names the
  /// first rejection of each reason with what was rejected; a flood adds no line per message.
  func testBadLabelEventsAreRejected() throws {
    var configuration = loopbackConfiguration()
    configuration.limits.classCapacity = 8
    let log = CapturedLog()
    let node = try startNode(configuration, model: try Synthetic.model(classes: 2), logger: log.logger)
    let client = try NodeClient(node)
    try client.handshakeLabels()
    try client.sendLabel(labeled(5, seeds: 0..<2))  // never announced
    try client.sendLabel(announce(9, "nine"))  // beyond capacity
    try client.sendLabel(announce(1, "uno"))  // conflicts with class1
    try client.sendLabel(labelEvent { _ in })  // empty
    try client.labels.send(topic: node.topics.labels, payload: [0x0A, 0xFF])
    let status = try client.waitForStatus { $0.rejected >= 6 }
    XCTAssertEqual(status.rejected(.unknownClass), 1)
    XCTAssertEqual(status.rejected(.classCapacity), 1)
    XCTAssertEqual(status.rejected(.classConflict), 1)
    XCTAssertEqual(status.rejected(.emptyEvent), 1)
    XCTAssertEqual(status.rejected(.notProtobuf), 1)
    XCTAssertEqual(status.labelsAcknowledged, 0)
    XCTAssertEqual(status.state, .serving)

    let lines = { log.messages.filter { $0.contains("rejected") } }
    XCTAssertTrue(lines().contains(
      "warning rejected a label event: class_capacity (announcement of class 9 \"nine\" from test #0; class ids must be below"
        + " limits.class_capacity = 8); more rejections are summarised at most every 10 s"), "\(lines())")
    XCTAssertTrue(lines().contains { $0.hasPrefix("warning rejected a label event: unknown_topic (topic \"test/labels/probe\", 2 frames)") }, "\(lines())")
    for reason in ["unknown_topic", "unknown_class", "class_conflict", "empty_event", "not_protobuf"] {
      XCTAssertEqual(lines().filter { $0.hasPrefix("warning rejected a label event: \(reason) (") }.count, 1, "\(reason): \(lines())")
    }
    XCTAssertEqual(lines().count, 6, "\(lines())")
    for _ in 0..<200 { try client.sendLabel(announce(9, "nine")) }
    let flooded = try client.waitForStatus { $0.rejected(.classCapacity) == 201 }
    XCTAssertEqual(flooded.rejected(.classCapacity), 201, "every rejection is counted")
    // The 200 are counted for the next summary (due 10 s after the last line), not logged one by one.
    XCTAssertLessThanOrEqual(lines().count, 7, "\(lines())")
  }

  /// An idle node has no training loss: the status carries none (no "NaN" in its JSON); once
  /// a learner reports one, it is there.
  func testLossIsAbsentUntilALearnerReportsOne() throws {
    var configuration = loopbackConfiguration()
    configuration.learnMinSamples = 0
    let node = try startNode(configuration, model: try Synthetic.model(classes: 2), learner: LossReportingLearner(loss: 0.25))
    let client = try NodeClient(node)
    let idle = try client.status()
    XCTAssertNil(idle.learning.lossValue)
    let json = MessageFormatter.line(topic: node.topics.status, payload: try idle.serializedBytes())
    XCTAssertFalse(json.contains("loss") || json.contains("NaN"), json)

    try client.handshakeLabels()
    try client.sendLabel(announce(2, "two"))
    try client.sendLabel(labeled(2, seeds: 0..<3))
    try client.waitForStatus { $0.labelsAcknowledged == 3 }
    XCTAssertTrue(try client.request { $0.learnNow = R4ncl_V1_LearnNow() }.ok)
    let learned = try client.waitForStatus { $0.modelVersion == 2 && !$0.learning.active }
    XCTAssertEqual(learned.learning.lossValue, .loss(0.25))
    let learnedJSON = try learned.jsonString()
    XCTAssertTrue(learnedJSON.contains("\"loss\":0.25"), learnedJSON)
  }

  /// Control: save, load and shutdown; shutdown drains and writes the final checkpoint.
  func testControlSaveLoadAndShutdown() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let node = try startNode(loopbackConfiguration(directory), model: try Synthetic.model(classes: 3))
    let client = try NodeClient(node)

    let saved = try client.request { $0.saveCheckpoint = R4ncl_V1_SaveCheckpoint() }
    XCTAssertTrue(saved.ok, saved.error)
    XCTAssertEqual(try NodeCheckpointFile.read(saved.checkpointPath).classes.count, 3)

    let other = directory + "/two-classes.h5"
    try NodeCheckpointFile.write(try Synthetic.model(classes: 2), node: "other", to: other)
    let loaded = try client.request { $0.loadCheckpoint.path = other }
    XCTAssertTrue(loaded.ok, loaded.error)
    XCTAssertEqual(loaded.status.classes.count, 2)

    let missing = try client.request { $0.loadCheckpoint.path = directory + "/none" }
    XCTAssertFalse(missing.ok)
    XCTAssertTrue(missing.error.contains("no such file"), missing.error)

    let snapshot = try client.request { $0.snapshot = R4ncl_V1_SnapshotRequest() }
    XCTAssertEqual(snapshot.snapshot.classes.count, 2)

    let shutdown = try client.request { $0.shutdown.reason = "test" }
    XCTAssertTrue(shutdown.ok)
    XCTAssertTrue(node.waitUntilStopped(timeout: 10))
    runtime = nil
    XCTAssertEqual(node.lastPublishedStatus.state, .stopped)
    let final = CheckpointStore(directory: directory + "/ckpt").loadLatest()
    XCTAssertEqual(final.found?.model.classes.count, 2)
  }

  /// Labeled samples acknowledged before a stop are in the spool after a restart, and learned.
  func testSpooledLabelsSurviveARestart() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = loopbackConfiguration(directory)
    configuration.learnMinSamples = 100
    var node = try startNode(configuration, model: try Synthetic.model(classes: 2))
    var client = try NodeClient(node)
    try client.handshakeLabels()
    try client.sendLabel(announce(2, "two"))
    try client.sendLabel(labeled(2, seeds: 0..<5))
    try client.waitForStatus { $0.labelsAcknowledged == 5 }
    node.requestShutdown()
    XCTAssertTrue(node.waitUntilStopped(timeout: 10))

    let restored = try XCTUnwrap(CheckpointStore(directory: directory + "/ckpt").loadLatest().found).model
    node = try startNode(configuration, model: restored)
    client = try NodeClient(node)
    var status = try client.status()
    XCTAssertEqual(status.labelsAcknowledged, 5)
    XCTAssertEqual(status.pendingClasses.map(\.name), ["two"])
    XCTAssertTrue(try client.request { $0.learnNow = R4ncl_V1_LearnNow() }.ok)
    status = try client.waitForStatus { $0.classes.count == 3 }
    XCTAssertEqual(status.queues.spooledSamples, 0)
  }

  /// A refused event's description is kept in its teacher's ledger, which every status carries:
  /// a learn-now naming 100,000 classes is summarised, not copied.
  func testTheLedgerKeepsAShortDescriptionOfARefusedEvent() throws {
    let node = try startNode(loopbackConfiguration(), model: try Synthetic.model(classes: 2))
    let client = try NodeClient(node)
    try client.handshakeLabels()
    var event = R4ncl_V1_LabelEvent()
    event.teacher = "t"
    event.sequence = 1
    event.learnNow.classIds = [Int32](repeating: 7, count: 100_000)
    try client.sendLabel(event)
    let status = try client.waitForStatus { $0.teachers.first?.refusedEvents == 1 }
    let problem = try XCTUnwrap(status.teachers.first?.lastProblem)
    XCTAssertTrue(problem.hasPrefix("unknown_class (learn-now of classes [7, 7, 7, 7, 7, 7, 7, 7]... (100000 ids) from t #1)"), problem)
    let bytes: [UInt8] = try status.serializedBytes()
    XCTAssertLessThan(bytes.count, 4096)
  }

  /// A spiking model can learn only as many classes as it has readout rows: a class id beyond
  /// them is refused at once, even below limits.class_capacity (it used to be spooled, and
  /// learning then failed with "class 20 needs readout row 20").
  func testClassIdsBeyondTheReadoutRowsAreRefused() throws {
    let network = try Network(config: NetworkConfig(sizes: [700, 8, 5], timesteps: 4, seed: 1))
    let model = SpikingClassifier(network: network, classes: ClassMap([0: "zero"]), version: 1)
    let node = try startNode(loopbackConfiguration(), model: model)
    XCTAssertEqual(node.configuration.limits.classCapacity, 64)
    let client = try NodeClient(node)
    try client.handshakeLabels()
    var far = announce(5, "five")
    far.teacher = "t"
    far.sequence = 1
    try client.sendLabel(far)
    var status = try client.waitForStatus { $0.teachers.first?.refusedEvents == 1 }
    let problem = try XCTUnwrap(status.teachers.first?.lastProblem)
    XCTAssertTrue(problem.hasPrefix("class_capacity") && problem.contains("5, the model's readout rows"), problem)
    var near = announce(4, "four")
    near.teacher = "t"
    near.sequence = 2
    try client.sendLabel(near)
    status = try client.waitForStatus { $0.pendingClasses.map(\.id) == [4] }
    XCTAssertEqual(status.teachers.first?.refusedEvents, 1)
  }

  /// A sample whose events all lie beyond a spiking model's time window (here: times in clock
  /// seconds) would be predicted, or learned, as silence: it is refused as `outside_window`,
  /// on the spike topic and inside a label event, and the refusal says why.
  func testSamplesOutsideTheModelsWindowAreRefused() throws {
    let network = try Network(config: NetworkConfig(sizes: [700, 8, 5], timesteps: 4, maxTime: 1.4, seed: 1))
    let node = try startNode(loopbackConfiguration(), model: SpikingClassifier(network: network, classes: ClassMap([0: "zero"]), version: 1))
    let client = try NodeClient(node)
    _ = try client.handshake()
    try client.handshakeLabels()
    let sensor = node.topics.spikes(sensor: "mic")
    var clock = Synthetic.wire(Synthetic.sample(class: 0, seed: 1), sensor: "mic", sequence: 1)
    clock.times = clock.times.map { $0 + 1_700_000_000 }
    try client.spikes.send(topic: sensor, payload: try clock.serializedBytes())
    let inside = Synthetic.wire(Synthetic.sample(class: 0, seed: 2), sensor: "mic", sequence: 2)
    try client.spikes.send(topic: sensor, payload: try inside.serializedBytes())
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "mic")) ?? []).count == 1 }, timeout: 10))
    XCTAssertEqual(try client.predictions(sensor: "mic").map(\.sequence), [2])
    var status = try client.waitForStatus { $0.rejected(.outsideWindow) == 1 }
    var event = R4ncl_V1_LabelEvent()
    event.teacher = "t"
    event.sequence = 1
    var batch = R4ncl_V1_LabeledSamples()
    batch.classID = 0
    batch.samples = [inside, clock]
    event.samples = batch
    try client.sendLabel(event)
    status = try client.waitForStatus { $0.teachers.first?.refusedEvents == 1 }
    XCTAssertEqual(status.rejected(.outsideWindow), 2)
    let problem = try XCTUnwrap(status.teachers.first?.lastProblem)
    XCTAssertTrue(problem.hasPrefix("outside_window (2 samples of class 0 from t #1; none of a sample's events lies in the model's 1.4 s window"), problem)
  }

  /// Control paths from the wire: a NUL byte is an error (the file was created under another
  /// name), and loading a FIFO is refused instead of blocking the I/O thread on it.
  func testHostileControlPathsAreErrors() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let node = try startNode(loopbackConfiguration(), model: try Synthetic.model(classes: 2))
    let client = try NodeClient(node)
    let save = try client.request { $0.saveCheckpoint.path = directory + "/a\u{0}b.h5" }
    XCTAssertFalse(save.ok)
    XCTAssertEqual(save.error, "the path contains a NUL byte")
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    let fifo = directory + "/pipe.h5"
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    let writer = open(fifo, O_RDWR | O_NONBLOCK)  // bytes waiting, so a regression fails instead of hanging
    defer { close(writer) }
    _ = [UInt8](repeating: 0x5A, count: 4096).withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
    let load = try client.request { $0.loadCheckpoint.path = fifo }
    XCTAssertFalse(load.ok)
    XCTAssertTrue(load.error.contains("not a regular file"), load.error)
    XCTAssertTrue(try client.request { $0.status = R4ncl_V1_GetStatus() }.ok)
  }

  /// An event received again (a resend, a replayed bag) is acknowledged but spooled once: its
  /// samples used to be spooled twice and weigh double in the next learning run.
  func testAnEventReceivedAgainIsSpooledOnce() throws {
    var configuration = loopbackConfiguration()
    configuration.learnMinSamples = 0
    let node = try startNode(configuration, model: try Synthetic.model(classes: 2))
    let client = try NodeClient(node)
    try client.handshakeLabels()
    try client.sendLabel(announce(2, "two"))
    let samples = labeled(2, seeds: 0..<3)
    try client.sendLabel(samples)
    try client.sendLabel(samples)
    try client.sendLabel(labeled(2, seeds: 0..<2))  // other contents: another event
    var status = try client.waitForStatus { $0.labelsAcknowledged == 8 }
    XCTAssertEqual(status.labelsDuplicate, 3)
    XCTAssertEqual(status.queues.spooledSamples, 5)
    // A new announcement starts a new lesson: the same samples after it are spooled again, so
    // the wait for the samples it promises can end.
    var lesson = announce(2, "two")
    lesson.announce.expectedSamples = 3
    try client.sendLabel(lesson)
    try client.sendLabel(samples)
    status = try client.waitForStatus { $0.labelsAcknowledged == 11 }
    XCTAssertEqual(status.labelsDuplicate, 3)
    XCTAssertEqual(status.queues.spooledSamples, 8)
  }

  /// The spool is bounded: an event past `spool.max_samples_per_class` or `spool.max_bytes` is
  /// refused (`spool_full`, in its teacher's ledger); a flood of labels used to grow the node's
  /// memory and disk without limit.
  func testAFullSpoolRefusesEvents() throws {
    var configuration = loopbackConfiguration()
    configuration.learnMinSamples = 0
    configuration.spoolMaxSamplesPerClass = 4
    let node = try startNode(configuration, model: try Synthetic.model(classes: 2))
    let client = try NodeClient(node)
    try client.handshakeLabels()
    try client.sendLabel(announce(2, "two"))
    try client.sendLabel(labeled(2, seeds: 0..<3))
    var over = labeled(2, seeds: 3..<5)
    over.teacher = "t"
    over.sequence = 9
    try client.sendLabel(over)
    var status = try client.waitForStatus { $0.rejected(.spoolFull) == 1 }
    XCTAssertEqual(status.queues.spooledSamples, 3)
    let problem = try XCTUnwrap(status.teachers.first?.lastProblem)
    XCTAssertTrue(problem.hasPrefix("spool_full (2 samples of class 2 from t #9; class 2 has 3 samples spooled"), problem)
    try client.sendLabel(labeled(2, seeds: 3..<4))  // still fits
    status = try client.waitForStatus { $0.labelsAcknowledged == 4 }
    XCTAssertEqual(status.queues.spooledSamples, 4)
  }

  /// An announcement that promises more samples than a class may spool is learned once the
  /// class is full, instead of waiting for ever.
  func testAPromiseBeyondTheSpoolBoundIsLearnedWhenTheClassIsFull() throws {
    var configuration = loopbackConfiguration()
    configuration.learnMinSamples = 2
    configuration.spoolMaxSamplesPerClass = 4
    let node = try startNode(configuration, model: try Synthetic.model(classes: 2))
    let client = try NodeClient(node)
    try client.handshakeLabels()
    var lesson = announce(2, "two")
    lesson.announce.expectedSamples = 10
    try client.sendLabel(lesson)
    try client.sendLabel(labeled(2, seeds: 0..<3))
    var status = try client.waitForStatus { $0.labelsAcknowledged == 3 }
    XCTAssertEqual(status.modelVersion, 1, "3 of 10 promised samples: still waiting")
    try client.sendLabel(labeled(2, seeds: 3..<4))
    status = try client.waitForStatus { $0.modelVersion == 2 }
    XCTAssertEqual(status.classes.map(\.name).last, "two")
  }

  func testTheSpoolsByteBoundRefusesEvents() throws {
    var configuration = loopbackConfiguration()
    configuration.learnMinSamples = 0
    let first = labeled(2, seeds: 0..<3)
    configuration.spoolMaxBytes = LabelSpool.recordBytes(announce(2, "two")) + LabelSpool.recordBytes(first)
    let node = try startNode(configuration, model: try Synthetic.model(classes: 2))
    let client = try NodeClient(node)
    try client.handshakeLabels()
    try client.sendLabel(announce(2, "two"))
    try client.sendLabel(first)
    try client.sendLabel(labeled(2, seeds: 3..<4))
    let status = try client.waitForStatus { $0.rejected(.spoolFull) == 1 }
    XCTAssertEqual(status.labelsAcknowledged, 3)
    XCTAssertEqual(status.queues.spooledSamples, 3)
  }

  /// Missing sequence numbers of a sensor are counted as gaps (samples lost upstream).
  func testSequenceGapsAreCounted() throws {
    let node = try startNode(loopbackConfiguration(), model: try Synthetic.model(classes: 3))
    let client = try NodeClient(node)
    try client.handshake()
    for sequence: UInt64 in [1, 2, 5, 6, 10] {
      let sample = Synthetic.wire(Synthetic.sample(class: 0, seed: Int(sequence)), sensor: "gappy", sequence: sequence)
      try client.spikes.send(topic: node.topics.spikes(sensor: "gappy"), payload: try sample.serializedBytes())
    }
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "gappy")) ?? []).count == 5 }, timeout: 10))
    let status = try client.status()
    XCTAssertEqual(status.sequenceGaps, 2 + 3, "3-4 and 7-9 missing (probe sequences are contiguous)")
  }

  /// A jump beyond `longestCountedGap` is a sensor that renumbered: one forged sequence number
  /// of 2^64 - 1 used to pin the gap count at its maximum for good.
  func testASequenceJumpIsNotCountedAsLostSamples() throws {
    let node = try startNode(loopbackConfiguration(), model: try Synthetic.model(classes: 3))
    let client = try NodeClient(node)
    try client.handshake()
    let far = NodeRuntime.longestCountedGap + 3
    for sequence: UInt64 in [1, far, far + 2, .max, 1, 3] {
      let sample = Synthetic.wire(Synthetic.sample(class: 0, seed: 1), sensor: "jumpy", sequence: sequence)
      try client.spikes.send(topic: node.topics.spikes(sensor: "jumpy"), payload: try sample.serializedBytes())
    }
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "jumpy")) ?? []).count == 6 }, timeout: 10))
    XCTAssertEqual(try client.status().sequenceGaps, 1 + 1, "far + 1 and 2 missing; the jumps to far and to 2^64 - 1 are renumberings")
  }

  /// Gap counting remembers a bounded number of sensors: a flood of new sensor names cannot
  /// grow the node's memory.
  func testRememberedSensorsAreBounded() throws {
    let node = try startNode(loopbackConfiguration(), model: try Synthetic.model(classes: 3))
    let client = try NodeClient(node)
    try client.handshake()
    let count = NodeRuntime.maxTrackedSensors + 50
    let payload: [UInt8] = try Synthetic.wire(Synthetic.sample(class: 0, seed: 1), sensor: "", sequence: 1).serializedBytes()
    let base = try client.waitForStatus(timeout: 10) { $0.received == $0.predicted + $0.dropped }.received  // the handshake's probe
    // In batches below the sockets' high-water marks, so that every message reaches the node.
    for start in stride(from: 0, to: count, by: 200) {
      for i in start..<min(start + 200, count) {
        try client.spikes.send(topic: node.topics.spikes(sensor: "s\(i)"), payload: payload)
      }
      try client.waitForStatus(timeout: 30) { $0.received == base + UInt64(min(start + 200, count)) }
    }
    let status = try client.waitForStatus(timeout: 30) { $0.predicted + $0.dropped == base + UInt64(count) }
    XCTAssertEqual(status.rejected, 0)
    node.requestShutdown()
    XCTAssertTrue(node.waitUntilStopped(timeout: 10))
    runtime = nil
    XCTAssertEqual(node.lastSequence.count, NodeRuntime.maxTrackedSensors)
    XCTAssertNotNil(node.lastSequence["s\(count - 1)"], "the newest sensor is remembered")
  }

  func testBindingAPortInUseFailsAtStart() throws {
    let first = try startNode(loopbackConfiguration(), model: try Synthetic.model(classes: 1))
    var configuration = loopbackConfiguration()
    configuration.controlEndpoints = [EndpointSpec(.bind, first.endpoints["control"]![0])]
    let second = try NodeRuntime(configuration: configuration, model: try Synthetic.model(classes: 1),
                                 learner: CentroidBackend(), loader: CentroidBackend())
    XCTAssertThrowsError(try second.start()) { error in
      XCTAssertEqual((error as? ZMQError)?.code, EADDRINUSE, "\(error)")
    }
  }
}

/// A learner that reports one epoch with `loss`, then learns as the centroid learner.
struct LossReportingLearner: IncrementalLearner {
  let loss: Float
  func learn(_ job: LearningJob, from model: any ClassifierModel, progress: (LearningUpdate) -> Bool) throws -> any ClassifierModel {
    _ = progress(LearningUpdate(phase: "learn", epoch: 1, epochs: 1, fraction: 1, loss: loss))
    return try CentroidBackend().learn(job, from: model) { _ in true }
  }
}

/// A learner that waits for `gate` before delegating to the centroid learner, so a test can
/// observe the node while learning runs.
struct GatedLearner: IncrementalLearner {
  let gate: DispatchSemaphore
  func learn(_ job: LearningJob, from model: any ClassifierModel, progress: (LearningUpdate) -> Bool) throws -> any ClassifierModel {
    _ = progress(LearningUpdate(phase: "waiting", epoch: 0, epochs: 1, fraction: 0))
    guard gate.wait(timeout: .now() + 20) == .success else { throw LearningCancelled() }
    return try CentroidBackend().learn(job, from: model, progress: progress)
  }
}
