import Foundation
import Learner
import Proto
import Storage
import SwiftProtobuf
import XCTest

@testable import Node

/// `r4ncl control <verb>` as a process against a node's control socket.
final class ControlCommandTests: ToolProcessTestCase {
  private func startNode() throws -> NodeRuntime {
    let node = try NodeRuntime(
      configuration: loopbackConfiguration(directory), model: try Synthetic.model(classes: 2), learner: CentroidBackend(),
      loader: CentroidBackend())
    try node.start()
    runtime = node
    return node
  }

  private func control(_ node: NodeRuntime, _ arguments: [String]) throws -> (status: Int32?, output: String) {
    try ChildProcess.run(
      try XCTUnwrap(Paths.r4ncl), ["control"] + arguments + ["--control", node.endpoints["control"]![0]], timeout: 30)
  }

  func testStatusPrintsASummaryAndJSONTheWholeMessage() throws {
    let node = try startNode()
    let summary = try control(node, ["status"])
    XCTAssertEqual(summary.status, 0, summary.output)
    XCTAssertTrue(summary.output.hasPrefix("node test: serving, model v1 with 2 classes, up "), summary.output)
    XCTAssertTrue(summary.output.contains("learning: idle, 0 runs done"), summary.output)

    let json = try control(node, ["status", "--json"])
    XCTAssertEqual(json.status, 0, json.output)
    let status = try R4ncl_V1_NodeStatus(jsonString: json.output)
    XCTAssertEqual(status.node, "test")
    XCTAssertEqual(status.modelVersion, 1)
    XCTAssertEqual(status.classes.count, 2)
  }

  /// A request that gets no reply is asked again on the same socket: a port scanner's bytes on
  /// the control port made libzmq merge them with the next client's request, and its reply went
  /// nowhere. Here a ROUTER stands in for the node and ignores the first request.
  func testARequestWithoutAReplyIsAskedAgain() throws {
    let server = try ZMQSocket(try ZMQContext(), type: .router)
    try server.bind("tcp://127.0.0.1:*")
    try server.setReceiveTimeout(20_000)
    let control = try ChildProcess(
      try XCTUnwrap(Paths.r4ncl), ["control", "status", "--json", "--control", try server.lastEndpoint, "--timeout", "1"])
    let first = try XCTUnwrap(try server.receive(), "no first request")
    let second = try XCTUnwrap(try server.receive(), "the request was not asked again")
    XCTAssertEqual(second.last, first.last, "the same request")
    var reply = R4ncl_V1_ControlReply()
    reply.ok = true
    reply.status.node = "stand-in"
    try server.send(Array(second.dropLast()) + [try reply.serializedBytes()])
    XCTAssertEqual(control.wait(timeout: 20), 0, control.text)
    XCTAssertEqual(try R4ncl_V1_NodeStatus(jsonString: control.text).node, "stand-in")
  }

  func testSaveWritesTheCheckpointWhereAsked() throws {
    let node = try startNode()
    let path = directory + "/saved.h5"
    let run = try control(node, ["save", "--path", path])
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("saved model v1 to \(path)"), run.output)
    let loaded = try NodeCheckpointFile.read(path, loader: CentroidBackend())
    XCTAssertEqual(loaded.version, 1)
    XCTAssertEqual(loaded.classes.ids, [0, 1])
  }

  /// `snapshot` pulls the model over the socket: the file is written where the tool runs.
  func testSnapshotWritesTheNodesModelHere() throws {
    let node = try startNode()
    let path = directory + "/pulled.h5"
    let run = try control(node, ["snapshot", "--out", path])
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("wrote model v1 of node test (2 classes) to \(path)"), run.output)
    let pulled = try NodeCheckpointFile.read(path, loader: CentroidBackend())
    let served = node.model.current
    XCTAssertEqual(pulled.classes, served.classes)
    let sample = Synthetic.sample(class: 1, seed: 5)
    XCTAssertEqual(pulled.scores(sample), served.scores(sample))
  }

  func testLoadOfAMissingFileAndLearnNowOfAnUnknownClassFailWithTheNodesReason() throws {
    let node = try startNode()
    let load = try control(node, ["load", directory + "/missing.h5"])
    XCTAssertEqual(load.status, 1, load.output)
    XCTAssertTrue(load.output.contains("Error: the node (\(node.endpoints["control"]![0])) refused: "), load.output)
    XCTAssertTrue(load.output.contains("missing.h5"), load.output)

    let learn = try control(node, ["learn-now", "--classes", "7"])
    XCTAssertEqual(learn.status, 1, learn.output)
    XCTAssertTrue(learn.output.contains("refused: unknown class 7"), learn.output)
  }

  func testLearnNowLearnsWhatATeacherSpooled() throws {
    let node = try startNode()
    let file = directory + "/two.h5"
    let samples = (0..<4).map { Synthetic.sample(class: 2, seed: 900 + $0) }
    try SHDFile.write(SpikeDataset(samples: samples, classNames: ["zero", "one", "two"]), to: URL(fileURLWithPath: file))
    let label = try ChildProcess.run(try XCTUnwrap(Paths.r4ncl), [
      "label", file, "--class", "2", "--count", "4", "--connect", node.endpoints["labels"]![0], "--namespace", "test",
      "--control", node.endpoints["control"]![0], "--confirm",
    ], timeout: 30)
    XCTAssertEqual(label.status, 0, label.output)
    XCTAssertEqual(try NodeClient(node).status().modelVersion, 1, "4 samples are below learning.min_samples (20): nothing is learned before the request")

    let run = try control(node, ["learn-now", "--classes", "2"])
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("learning started (model v1, 4 samples spooled)"), run.output)
    let learned = try NodeClient(node).waitForStatus(timeout: 20) { $0.modelVersion == 2 }
    XCTAssertEqual(learned.classes.map(\.name), ["class0", "class1", "two"])
  }

  func testShutdownStopsTheNode() throws {
    let node = try startNode()
    let run = try control(node, ["shutdown", "--reason", "maintenance"])
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("the node is shutting down"), run.output)
    XCTAssertTrue(node.waitUntilStopped(timeout: 10))
    runtime = nil
  }

  func testNoNodeOnTheEndpointIsAOneLineError() throws {
    let mute = try ZMQSocket(try ZMQContext(), type: .rep)
    try mute.bind("tcp://127.0.0.1:*")
    let endpoint = try mute.lastEndpoint
    _ = try assertR4nclFails(
      ["control", "status", "--control", endpoint, "--timeout", "0.5"],
      saying: "no reply from the node's control socket \(endpoint) within 0.5 s", usage: false)
  }
}

/// The readable status lines of `r4ncl control status`.
final class NodeStatusSummaryTests: XCTestCase {
  func testLearningTeachersAndErrorsAreShown() {
    var status = R4ncl_V1_NodeStatus()
    status.node = "drone1"
    status.state = .learning
    status.modelVersion = 3
    status.learning.active = true
    status.learning.classIds = [19]
    status.learning.phase = "learn"
    status.learning.epoch = 6
    status.learning.epochs = 60
    status.learning.fraction = 0.1
    var teacher = R4ncl_V1_TeacherLedger()
    teacher.teacher = "t1\u{1B}[2J"  // a terminal escape from the wire
    teacher.events = 4
    teacher.lastSequence = 4
    teacher.samplesAcknowledged = 10
    teacher.refusedEvents = 1
    teacher.lastProblem = "unknown_class (5 samples of class 9)"
    status.teachers = [teacher]
    status.lastError = "disk full"
    let lines = NodeStatusSummary.lines(status)
    XCTAssertTrue(lines[0].hasPrefix("node drone1: learning, model v3 with 0 classes"), lines[0])
    XCTAssertTrue(lines.contains("learning: classes [19], learn epoch 6/60 (10%)"), "\(lines)")
    XCTAssertTrue(lines.contains(
      "teacher t1?[2J: 4 events (last #4), 10 samples persisted, 1 refused (last: unknown_class (5 samples of class 9))"), "\(lines)")
    XCTAssertEqual(lines.last, "last error: disk full")
  }
}
