import Foundation
import Learner
import Storage
import XCTest

@testable import Node

/// `r4ncl label --confirm` / `--wait-learned` as a process against a node: the node's
/// per-teacher ledger, read over the control socket, tells the teacher what became of its events.
final class LabelConfirmationTests: ToolProcessTestCase {
  /// A node knowing classes 0 and 1 (learning with the centroid backend) and an SHD file with
  /// eight samples of each of classes 0..<3.
  private func startNode() throws -> (NodeRuntime, file: String) {
    let samples = (0..<8).flatMap { i in (0..<3).map { Synthetic.sample(class: $0, seed: 700 + i) } }
    let file = directory + "/classes.h5"
    try SHDFile.write(SpikeDataset(samples: samples, classNames: ["zero", "one", "two"]), to: URL(fileURLWithPath: file))
    let node = try NodeRuntime(
      configuration: loopbackConfiguration(), model: try Synthetic.model(classes: 2), learner: CentroidBackend(),
      loader: CentroidBackend())
    try node.start()
    runtime = node
    return (node, file)
  }

  private func label(_ node: NodeRuntime, _ file: String, _ arguments: [String]) throws -> (status: Int32?, output: String) {
    try ChildProcess.run(try XCTUnwrap(Paths.r4ncl), [
      "label", file, "--connect", node.endpoints["labels"]![0], "--namespace", "test",
      "--control", node.endpoints["control"]![0], "--timeout", "20",
    ] + arguments, timeout: 60)
  }

  func testConfirmReportsThatTheNodePersistedEverySample() throws {
    let (node, file) = try startNode()
    let run = try label(node, file, ["--class", "2", "--count", "6", "--batch", "4", "--confirm", "--teacher", "drone-7"])
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("label: the node persisted all 6 samples (teacher drone-7)"), run.output)
    let ledger = try XCTUnwrap(NodeClient(node).status().teachers.first { $0.teacher == "drone-7" })
    XCTAssertEqual(ledger.events, 3)
    XCTAssertEqual(ledger.samplesAcknowledged, 6)
    XCTAssertEqual(ledger.refusedEvents, 0)
  }

  func testConfirmFailsAndSaysWhyWhenTheNodeRefusesTheEvents() throws {
    let (node, file) = try startNode()
    let capacity = node.configuration.limits.classCapacity
    let run = try label(node, file, ["--class", "2", "--id", "\(capacity)", "--count", "3", "--confirm"])
    XCTAssertEqual(run.status, 1, run.output)
    XCTAssertTrue(run.output.contains("the node refused 2 of 2 label events and persisted 0 of 3 samples"), run.output)
    XCTAssertTrue(run.output.contains("last refusal: class_capacity"), run.output)
  }

  func testWaitLearnedReturnsOnceTheNodeServesTheNewClass() throws {
    let (node, file) = try startNode()
    let run = try label(node, file, ["--class", "2", "--count", "8", "--learn-now", "--confirm", "--wait-learned"])
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("label: the node learned class 2 \"two\": model v2"), run.output)
    let status = try NodeClient(node).status()
    XCTAssertEqual(status.modelVersion, 2)
    XCTAssertEqual(status.classes.map(\.name), ["class0", "class1", "two"])
  }

  func testConfirmWithoutANodeFailsBeforeSendingAnything() throws {
    let (node, file) = try startNode()
    // A socket that takes the request and never answers.
    let mute = try ZMQSocket(try ZMQContext(), type: .rep)
    try mute.bind("tcp://127.0.0.1:*")
    let silent = try mute.lastEndpoint
    let run = try ChildProcess.run(try XCTUnwrap(Paths.r4ncl), [
      "label", file, "--class", "2", "--count", "3", "--connect", node.endpoints["labels"]![0], "--namespace", "test",
      "--control", silent, "--timeout", "1", "--confirm",
    ], timeout: 30)
    XCTAssertEqual(run.status, 1, run.output)
    XCTAssertTrue(run.output.contains("no reply from the node's control socket \(silent) within 1 s"), run.output)
    XCTAssertFalse(run.output.contains("sent 3 samples"), run.output)
    XCTAssertEqual(try NodeClient(node).status().labelEvents, 0)
  }
}
