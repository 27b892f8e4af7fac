import Foundation
import Learner
import Proto
import Storage
import SwiftProtobuf
import XCTest

@testable import Node

/// The stack tools as processes (`r4ncl label`, `play`, `echo`, `record`) against a node.
final class ToolCommandTests: ToolProcessTestCase {
  /// An SHD file with `perClass` synthetic samples of classes 0..<3.
  func writeDataset(perClass: Int) throws -> String {
    let samples = (0..<perClass).flatMap { i in (0..<3).map { Synthetic.sample(class: $0, seed: 500 + i) } }
    let path = directory + "/synthetic.h5"
    try SHDFile.write(SpikeDataset(samples: samples, classNames: ["zero", "one", "two"]), to: URL(fileURLWithPath: path))
    return path
  }

  func testLabelTeachesAndPlayStreamsThroughTheNode() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl)
    let file = try writeDataset(perClass: 5)
    var configuration = loopbackConfiguration()
    configuration.learnMinSamples = 4
    let node = try NodeRuntime(configuration: configuration, model: CentroidClassifier(), learner: CentroidBackend(), loader: CentroidBackend())
    try node.start()
    runtime = node
    let client = try NodeClient(node)

    for k in 0..<3 {
      let label = try ChildProcess.run(r4ncl, [
        "label", file, "--class", "\(k)", "--count", "4", "--batch", "2",
        "--connect", node.endpoints["labels"]![0], "--namespace", "test",
      ], timeout: 30)
      XCTAssertEqual(label.status, 0, label.output)
      XCTAssertTrue(label.output.contains("sent 4 samples"), label.output)
    }
    let taught = try client.waitForStatus(timeout: 20) { $0.classes.count == 3 && !$0.learning.active }
    XCTAssertEqual(taught.classes.map(\.name), ["zero", "one", "two"])
    XCTAssertEqual(taught.labelsAcknowledged, 12)

    try client.handshake()
    let play = try ChildProcess.run(r4ncl, [
      "play", file, "--rate", "0", "--count", "9", "--sensor", "player",
      "--connect", node.endpoints["spikes"]![0], "--namespace", "test",
    ], timeout: 30)
    XCTAssertEqual(play.status, 0, play.output)
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "player")) ?? []).count == 9 }, timeout: 10))
    let predictions = try client.predictions(sensor: "player")
    XCTAssertEqual(predictions.map(\.sequence), Array(1...9))
    for p in predictions { XCTAssertEqual(p.classID, p.trueLabel, "sample \(p.sequence)") }

    let echo = try ChildProcess.run(r4ncl, [
      "echo", "--connect", node.endpoints["output"]![0], "--topic", "test/status", "--count", "1", "--timeout", "5",
    ], timeout: 30)
    XCTAssertEqual(echo.status, 0, echo.output)
    XCTAssertTrue(echo.output.hasPrefix("test/status {"), echo.output)
    XCTAssertTrue(echo.output.contains("LIFECYCLE_STATE_SERVING"), echo.output)
    XCTAssertFalse(echo.output.contains("NaN"), echo.output)
  }

  /// `r4ncl label --count 10 --learn-now` to a node whose `learning.min_samples` is 4: the
  /// announcement promises 10 samples, so the node learns them in one job of 10, not 4 + 6.
  func testLabelCountIsLearnedAsOneJob() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl)
    let file = try writeDataset(perClass: 12)
    var configuration = loopbackConfiguration()
    configuration.learnMinSamples = 4
    let learner = RecordingLearner()
    let node = try NodeRuntime(
      configuration: configuration, model: try Synthetic.model(classes: 2), learner: learner, loader: CentroidBackend())
    try node.start()
    runtime = node
    let client = try NodeClient(node)

    let label = try ChildProcess.run(r4ncl, [
      "label", file, "--class", "2", "--count", "10", "--batch", "2", "--learn-now",
      "--connect", node.endpoints["labels"]![0], "--namespace", "test",
    ], timeout: 30)
    XCTAssertEqual(label.status, 0, label.output)
    // Announcement, 5 sample events, learn-now: once all 7 are in, every job has been scheduled.
    let status = try client.waitForStatus(timeout: 20) {
      $0.labelEvents == 7 && $0.modelVersion >= 2 && !$0.learning.active && $0.queues.learningQueue == 0
    }
    XCTAssertEqual(learner.jobSizes.current, [10])
    XCTAssertEqual(status.modelVersion, 2)
    XCTAssertEqual(status.learning.completedRuns, 1)
    XCTAssertEqual(status.classes.map(\.name), ["class0", "class1", "two"])
    XCTAssertEqual(status.queues.spooledSamples, 0)
  }

  func testRecordWritesReceivedSamplesToAnSHDFile() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl)
    let context = try ZMQContext()
    let publisher = try ZMQSocket(context, type: .xpub)
    try publisher.bind("tcp://127.0.0.1:*")
    let output = directory + "/recorded.h5"
    let record = try ChildProcess(r4ncl, [
      "record", output, "--connect", try publisher.lastEndpoint, "--namespace", "rec", "--count", "4", "--duration", "20",
    ])
    // Wait for the recorder's subscription (XPUB sees it), then publish.
    var poller = ZMQPoller()
    poller.add(publisher)
    XCTAssertTrue(try poller.poll(timeoutMilliseconds: 10_000)[0], "recorder never subscribed")
    let samples = (0..<4).map { Synthetic.sample(class: $0 % 3, seed: $0) }
    for (i, sample) in samples.enumerated() {
      let wire = Synthetic.wire(sample, sensor: "mic", sequence: UInt64(i + 1))
      try publisher.send(topic: "rec/spikes/mic", payload: try wire.serializedBytes())
    }
    XCTAssertEqual(record.wait(timeout: 30), 0, record.text)
    let dataset = try SHDFile.read(URL(fileURLWithPath: output))
    XCTAssertEqual(dataset.samples.map(\.label), samples.map(\.label))
    XCTAssertEqual(dataset.samples.map(\.units), samples.map(\.units))
    for (got, sent) in zip(dataset.samples, samples) {
      // SHD stores float16 times: equal to ~3 significant digits.
      for (a, b) in zip(got.times, sent.times) { XCTAssertEqual(a, b, accuracy: max(1e-3, b * 1e-3)) }
    }
  }

  /// `echo --connect @endpoint` binds, so a publisher that connects (as `play --connect` does)
  /// reaches it; the same holds for `hz` and `monitor`, which share the subscriber.
  func testEchoBindsWhenTheEndpointStartsWithAt() throws {
    let endpoint = "ipc://" + directory + "/echo.ipc"
    let echo = try ChildProcess(
      try XCTUnwrap(Paths.r4ncl), ["echo", "--connect", "@" + endpoint, "--topic", "t/status", "--count", "1", "--timeout", "30"])
    let context = try ZMQContext()
    let publisher = try ZMQSocket(context, type: .pub)
    try publisher.connect(endpoint)
    var status = R4ncl_V1_NodeStatus()
    status.node = "seen-by-a-bound-echo"
    let payload: [UInt8] = try status.serializedBytes()
    let deadline = Date().addingTimeInterval(30)
    while echo.process.isRunning && Date() < deadline {  // until echo's subscription has arrived
      try publisher.send(topic: "t/status", payload: payload)
      usleep(20_000)
    }
    XCTAssertEqual(echo.wait(timeout: 10), 0, echo.text)
    XCTAssertTrue(echo.text.contains("seen-by-a-bound-echo"), echo.text)
  }

  /// Nothing published within --duration: record says where it listened, fails and writes no file
  /// (an empty one would pass for a recording).
  func testRecordFailsWhenNothingArrives() throws {
    let context = try ZMQContext()
    let silent = try ZMQSocket(context, type: .xpub)
    try silent.bind("tcp://127.0.0.1:*")
    let endpoint = try silent.lastEndpoint
    let output = directory + "/empty.h5"
    let message = "nothing arrived on \(endpoint) within 1.0 s"
    try assertR4nclFails(["record", output, "--connect", endpoint, "--count", "5", "--duration", "1"], saying: message, usage: false)
    XCTAssertFalse(FileManager.default.fileExists(atPath: output))
  }
}

/// The centroid learner, remembering how many samples each job had.
final class RecordingLearner: IncrementalLearner, Sendable {
  let jobSizes = Protected<[Int]>([])
  func learn(_ job: LearningJob, from model: any ClassifierModel, progress: (LearningUpdate) -> Bool) throws -> any ClassifierModel {
    jobSizes.withLock { $0.append(job.samples.count) }
    return try CentroidBackend().learn(job, from: model, progress: progress)
  }
}
