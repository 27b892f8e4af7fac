import Foundation
import Learner
import Proto
import Storage
import SwiftProtobuf
import XCTest

@testable import Node

/// SIGKILL a real `r4ncl node` process (a) while labeled samples arrive, (b) while it learns,
/// (c) between writing a checkpoint and renaming it (the `R4NCL_FAULT_PAUSE_BEFORE_RENAME`
/// switch), then restart it on the same directories: it loads the last complete checkpoint,
/// every labeled sample it acknowledged is in its spool and is learned after the restart.
/// A corrupted newest checkpoint is reported and the previous one is loaded.
final class CrashConsistencyTests: XCTestCase {
  var directory = ""
  var processes: [NodeProcess] = []

  override func setUpWithError() throws {
    guard Paths.r4ncl != nil else { throw XCTSkip("the r4ncl executable is not built (run swift build)") }
    directory = try temporaryDirectory()
  }

  override func tearDown() {
    for node in processes where node.isRunning {
      if !(testRun?.hasSucceeded ?? true) { print("node output:\n" + String(node.output.suffix(3000))) }
      node.kill9()
    }
    processes = []
    try? FileManager.default.removeItem(atPath: directory)
  }

  var checkpointDirectory: String { directory + "/ckpt" }
  var spoolDirectory: String { directory + "/spool" }

  func start(_ parameters: [String], environment: [String: String] = [:]) throws -> (NodeProcess, NodeClient) {
    let node = try NodeProcess(
      namespace: "crash",
      parameters: ["checkpoint.dir=\(checkpointDirectory)", "spool.dir=\(spoolDirectory)", "status.period_s=0.1"] + parameters,
      environment: environment)
    processes.append(node)
    let client = try node.client()
    try client.handshakeLabels()
    return (node, client)
  }

  /// One labeled sample per event, event i carrying `Synthetic.sample(class:seed: i)`.
  func labeledEvent(_ k: Int, _ i: Int) -> R4ncl_V1_LabelEvent { labeled(k, seeds: i..<(i + 1)) }

  func learnNow() -> R4ncl_V1_LabelEvent {
    labelEvent { $0.learnNow = R4ncl_V1_LearnNow() }
  }

  /// The spooled samples (opening the spool as the node does on restart: a torn tail is cut).
  func spooled() throws -> (samples: [Int: [SpikeSample]], tornBytes: Int) {
    let spool = try LabelSpool(directory: spoolDirectory)
    return (spool.samples.mapValues { $0.sorted { $0.index < $1.index }.map(\.sample) }, spool.recoveredTornBytes)
  }

  /// Predictions for three samples of each class in `classes` must name that class.
  func assertPredicts(_ client: NodeClient, classes: [Int], file: StaticString = #filePath, line: UInt = #line) throws {
    try client.handshake()
    var sequence: UInt64 = 0
    for k in classes {
      for seed in 700..<703 {
        sequence += 1
        let wire = Synthetic.wire(Synthetic.sample(class: k, seed: seed), sensor: "check", sequence: sequence)
        try client.spikes.send(topic: client.topics.spikes(sensor: "check"), payload: try wire.serializedBytes())
      }
    }
    let count = Int(sequence)
    XCTAssertTrue(
      try client.collect(until: { ((try? client.predictions(sensor: "check")) ?? []).count == count }, timeout: 10),
      file: file, line: line)
    for prediction in try client.predictions(sensor: "check") {
      XCTAssertEqual(prediction.classID, prediction.trueLabel, "sample \(prediction.sequence)", file: file, line: line)
    }
  }

  // MARK: - (a) labeled samples arriving

  func testKillWhileLabeledSamplesArriveLosesNoAcknowledgedSample() throws {
    var (node, client) = try start(["learning.min_samples=0"])
    try client.sendLabel(announce(0, "zero"))
    try client.sendLabel(announce(1, "one"))
    // A teacher thread streams labeled samples (it owns the labels socket from here on) while
    // this thread watches the status and kills the node mid-stream.
    let stop = Protected(false)
    let sent = Protected(0)
    let finished = DispatchSemaphore(value: 0)
    let labels = client.labels
    let topic = client.topics.labels
    let teacher = Thread { [self] in
      for i in 0..<20_000 where !stop.current {
        guard let payload: [UInt8] = try? labeledEvent(i % 2, i).serializedBytes(), (try? labels.send(topic: topic, payload: payload)) != nil
        else { break }
        sent.withLock { $0 = i + 1 }
        if i % 8 == 7 { usleep(200) }
      }
      finished.signal()
    }
    teacher.start()
    var acknowledged: UInt64 = 0
    let deadline = Date().addingTimeInterval(20)
    while acknowledged < 60 && Date() < deadline { acknowledged = try client.status().labelsAcknowledged }
    // The last status read before the kill: what the node had acknowledged (a lower bound of
    // what it has fsync'd when the kill lands).
    node.kill9()
    stop.withLock { $0 = true }
    XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
    let events = sent.current
    XCTAssertGreaterThanOrEqual(acknowledged, 60)

    let (samples, torn) = try spooled()
    let count = samples.values.reduce(0) { $0 + $1.count }
    XCTAssertGreaterThanOrEqual(count, Int(acknowledged), "acknowledged samples lost")
    // The spool holds exactly the first `count` events, in order, unchanged.
    for k in 0..<2 {
      let expected = stride(from: k, to: count, by: 2).map { i -> SpikeSample in
        var sample = Synthetic.sample(class: k, seed: i)
        sample.label = k
        return sample
      }
      XCTAssertEqual(samples[k] ?? [], expected, "class \(k)")
    }

    (node, client) = try start(["learning.min_samples=0"])
    var status = try client.status()
    XCTAssertEqual(status.labelsAcknowledged, UInt64(count))
    XCTAssertEqual(status.pendingClasses.map(\.name), ["zero", "one"])
    try client.sendLabel(learnNow())
    status = try client.waitForStatus(timeout: 20) { $0.classes.count == 2 && $0.queues.spooledSamples == 0 }
    XCTAssertEqual(status.modelVersion, 1)
    try assertPredicts(client, classes: [0, 1])
    print("crash (a): killed while a teacher streamed labeled samples (\(events) sent) after \(acknowledged) were acknowledged; spool held \(count) (torn tail \(torn) bytes cut), all learned after restart; lost 0")
    XCTAssertEqual(node.terminate(), 0, node.output)
  }

  // MARK: - (b) during learning

  func testKillDuringLearningResumesFromTheLastCheckpointAndRelearns() throws {
    let network = try Network(config: NetworkConfig(sizes: [700, 24, 12, 4], timesteps: 12, thresholds: [0.01, 0.01], seed: 7))
    let modelFile = directory + "/model.h5"
    try ModelFile.save(network, classNames: ["c0", "c1", "c2", "c3"], to: URL(fileURLWithPath: modelFile))
    let snn = ["model.kind=snn", "model.file=\(modelFile)", "model.classes=0-2", "replay.data=none", "learning.method=naive", "learning.min_samples=4"]
    var (node, client) = try start(snn + ["learning.epochs=100000"])
    let saved = try client.request { $0.saveCheckpoint = R4ncl_V1_SaveCheckpoint() }
    XCTAssertTrue(saved.ok, saved.error)
    XCTAssertEqual(saved.checkpointPath, CheckpointStore(directory: checkpointDirectory).path(version: 1))
    try client.sendLabel(announce(3, "three"))
    try client.sendLabel(labeled(3, seeds: 0..<6))
    let learning = try client.waitForStatus(timeout: 30) { $0.learning.active && $0.learning.epoch >= 1 }
    XCTAssertEqual(learning.labelsAcknowledged, 6)
    node.kill9()

    XCTAssertEqual(CheckpointStore(directory: checkpointDirectory).files(), [saved.checkpointPath], "only the complete v1")
    XCTAssertEqual(try spooled().samples[3]?.count, 6)

    (node, client) = try start(snn + ["learning.epochs=2"])
    XCTAssertTrue(node.output.contains("resuming from \(saved.checkpointPath)"), node.output)
    let status = try client.waitForStatus(timeout: 60) { $0.classes.count == 4 && $0.queues.spooledSamples == 0 && !$0.learning.active }
    XCTAssertEqual(status.modelVersion, 2)
    XCTAssertEqual(status.classes.map(\.name), ["c0", "c1", "c2", "three"])
    let latest = CheckpointStore(directory: checkpointDirectory).loadLatest()
    XCTAssertEqual(latest.found?.model.version, 2)
    XCTAssertTrue(latest.skipped.isEmpty)
    print("crash (b): killed at learning epoch \(learning.learning.epoch); restart resumed from v1 with 6 spooled samples, relearned to v2; lost 0")
    XCTAssertEqual(node.terminate(), 0, node.output)
  }

  // MARK: - (c) between checkpoint write and rename; corrupted checkpoint

  func testKillBetweenCheckpointWriteAndRenameKeepsThePreviousCheckpoint() throws {
    let store = CheckpointStore(directory: checkpointDirectory)
    var (node, client) = try start(["learning.min_samples=0"])
    for k in 0..<2 {
      try client.sendLabel(announce(Int32(k), "class\(k)"))
      try client.sendLabel(labeled(k, seeds: 0..<4))
    }
    try client.sendLabel(learnNow())
    try client.waitForStatus(timeout: 20) { $0.classes.count == 2 && $0.queues.spooledSamples == 0 }
    XCTAssertEqual(node.terminate(), 0, node.output)
    let v1 = store.path(version: 1)
    XCTAssertEqual(store.files(), [v1])
    let v1Bytes = try XCTUnwrap(FileManager.default.contents(atPath: v1))

    // With the switch on, the next checkpoint pauses between fsync and rename.
    let marker = directory + "/paused"
    (node, client) = try start(["learning.min_samples=0"], environment: [FaultInjection.pauseBeforeRenameVariable: marker])
    try client.sendLabel(announce(2, "class2"))
    try client.sendLabel(labeled(2, seeds: 0..<5))
    try client.sendLabel(learnNow())
    let deadline = Date().addingTimeInterval(20)
    while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(5000) }
    let target = try String(contentsOfFile: marker, encoding: .utf8)
    XCTAssertEqual(target, store.path(version: 2))
    let acknowledged = try client.status().labelsAcknowledged
    XCTAssertEqual(acknowledged, 5)
    let names = try FileManager.default.contentsOfDirectory(atPath: checkpointDirectory)
    XCTAssertTrue(names.contains { $0.hasPrefix(".model-v000002.h5.tmp-") }, "\(names)")
    node.kill9()
    XCTAssertEqual(store.files(), [v1], "the torn v2 is only a temporary file")
    XCTAssertEqual(FileManager.default.contents(atPath: v1), v1Bytes)
    XCTAssertEqual(try spooled().samples[2]?.count, 5)

    (node, client) = try start(["learning.min_samples=0"])
    XCTAssertTrue(node.output.contains("resuming from \(v1)"), node.output)
    var status = try client.status()
    XCTAssertEqual(status.modelVersion, 1)
    XCTAssertEqual(status.labelsAcknowledged, 5)
    try client.sendLabel(learnNow())
    status = try client.waitForStatus(timeout: 20) { $0.classes.count == 3 && $0.queues.spooledSamples == 0 }
    XCTAssertEqual(status.modelVersion, 2)
    try assertPredicts(client, classes: [0, 1, 2])
    XCTAssertEqual(node.terminate(), 0, node.output)
    XCTAssertEqual(try NodeCheckpointFile.read(store.path(version: 2)).classes.count, 3)

    // A corrupted newest checkpoint: a clear error in the log, the previous one is loaded.
    let v2 = store.path(version: 2)
    // (A torn tail here; flipped bits in the data are caught by `content_crc32`, see
    // CheckpointFileTests, and libhdf5 1.10 can crash on damaged metadata, see StorageFuzzTests.)
    let bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: v2)))
    XCTAssertTrue(FileManager.default.createFile(atPath: v2, contents: Data(bytes.prefix(bytes.count / 2))))
    (node, client) = try start(["learning.min_samples=0"])
    XCTAssertTrue(node.output.contains("skipping a corrupted checkpoint") && node.output.contains("\(v2): not a readable HDF5 file"), node.output)
    XCTAssertTrue(node.output.contains("resuming from \(v1)"), node.output)
    status = try client.status()
    XCTAssertEqual(status.modelVersion, 1)
    XCTAssertEqual(status.classes.count, 2)
    print("crash (c): killed between write and rename of v2; restart loaded v1, relearned the 5 spooled samples to v2; lost 0; corrupted v2 -> fell back to v1")
    XCTAssertEqual(node.terminate(), 0, node.output)
  }
}
