import Foundation
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

/// Faults around a real `r4ncl node` process: a sensor it connects to disappears and rebinds,
/// a port it needs is taken, its checkpoint directory cannot be written.
final class LifecycleFaultTests: XCTestCase {
  var directory = ""

  override func setUpWithError() throws {
    guard Paths.r4ncl != nil else { throw XCTSkip("the r4ncl executable is not built (run swift build)") }
    directory = try temporaryDirectory()
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

  /// Teaches classes 0..<count (announce, four samples each, learn now) and waits until learned.
  func teach(_ client: NodeClient, classes count: Int) throws {
    try client.handshakeLabels()
    for k in 0..<count {
      try client.sendLabel(announce(Int32(k), "class\(k)"))
      try client.sendLabel(labeled(k, seeds: 0..<4))
    }
    try client.sendLabel(labelEvent { $0.learnNow = R4ncl_V1_LearnNow() })
  }

  /// Publishes samples on `pub` until `count` predictions of `sensor` arrived (bounded).
  func streamUntilPredicted(_ pub: ZMQSocket, _ client: NodeClient, sensor: String, from first: UInt64, count: Int,
                            timeout: Double = 15) throws -> UInt64 {
    var sequence = first
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let wire = Synthetic.wire(Synthetic.sample(class: Int(sequence % 2), seed: Int(sequence)), sensor: sensor, sequence: sequence)
      try pub.send(topic: client.topics.spikes(sensor: sensor), payload: try wire.serializedBytes())
      sequence += 1
      _ = try client.collect(until: { false }, timeout: 0.02)
      let got = try client.predictions(sensor: sensor).filter { $0.sequence >= first }
      if got.count >= count {
        XCTAssertTrue(got.allSatisfy { $0.classID == $0.trueLabel })
        return sequence
      }
    }
    XCTFail("no \(count) predictions of \(sensor) within \(timeout) s")
    return sequence
  }

  /// The node connects to a sensor that binds; the sensor process dies (its socket and
  /// context go away) and a new one binds the same endpoint: the node reconnects by itself.
  func testSensorThatDisappearsAndRebindsIsServedAgain() throws {
    // Reserve a port with a first sensor socket.
    var sensorContext: ZMQContext? = try ZMQContext()
    var sensor: ZMQSocket? = try ZMQSocket(sensorContext!, type: .pub)
    try sensor!.bind("tcp://127.0.0.1:*")
    let endpoint = try sensor!.lastEndpoint
    let node = try NodeProcess(namespace: "life", parameters: ["endpoints.spikes=>\(endpoint)", "learning.min_samples=0", "status.period_s=0.1"])
    defer { if node.isRunning { node.kill9() } }
    let client = try node.client()
    try teach(client, classes: 2)
    try client.waitForStatus(timeout: 20) { $0.classes.count == 2 }

    var next = try streamUntilPredicted(sensor!, client, sensor: "mic", from: 1, count: 5)
    // The sensor disappears.
    sensor = nil
    sensorContext = nil
    let before = try client.status()
    usleep(300_000)
    XCTAssertEqual(try client.status().received, before.received, "nothing arrives while the sensor is gone")
    XCTAssertEqual(try client.status().state, .serving)
    // It comes back on the same endpoint (a new process would do the same).
    let context = try ZMQContext()
    let again = try ZMQSocket(context, type: .pub)
    try again.bind(endpoint)
    let resumed = Date()
    next = try streamUntilPredicted(again, client, sensor: "mic", from: next + 1000, count: 5)
    let status = try client.waitForStatus { $0.predicted == $0.received }
    XCTAssertEqual(status.rejectedSamples, 0)
    print("lifecycle: sensor rebinding \(endpoint): predictions resumed after \(String(format: "%.2f", Date().timeIntervalSince(resumed))) s")
    XCTAssertEqual(node.terminate(), 0, node.output)
  }

  /// A port already in use: the node exits at once, non-zero, naming the endpoint and the cause.
  func testPortInUseIsAClearErrorAtStartUp() throws {
    let context = try ZMQContext()
    let holder = try ZMQSocket(context, type: .rep)
    try holder.bind("tcp://127.0.0.1:*")
    let taken = try holder.lastEndpoint
    let r4ncl = try XCTUnwrap(Paths.r4ncl)
    let run = try ChildProcess.run(r4ncl, [
      "node", "--param", "namespace=busy", "--param", "endpoints.spikes=@tcp://127.0.0.1:*",
      "--param", "endpoints.labels=@tcp://127.0.0.1:*", "--param", "endpoints.output=@tcp://127.0.0.1:*",
      "--param", "endpoints.control=@\(taken)",
    ], timeout: 30)
    XCTAssertNotNil(run.status, "the node must exit, not hang")
    XCTAssertNotEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("Address already in use"), run.output)
    XCTAssertTrue(run.output.contains(taken), run.output)
    print("lifecycle: port in use -> exit \(run.status.map(String.init) ?? "none"): \(run.output.split(separator: "\n").last ?? "")")
  }

  /// A checkpoint directory that cannot be written: learning, save and the final checkpoint
  /// fail with an error naming the path, and the node keeps predicting.
  func testUnwritableCheckpointDirectoryIsAClearErrorAndPredictionsContinue() throws {
    // Tests may run as root, which chmod does not stop: /proc refuses new entries to everyone.
    let unwritable: String
    if getuid() == 0 {
      unwritable = "/proc/r4ncl-checkpoints-\(getpid())"
    } else {
      unwritable = directory + "/readonly"
      try FileManager.default.createDirectory(atPath: unwritable, withIntermediateDirectories: true)
      chmod(unwritable, 0o555)
    }
    defer { chmod(unwritable, 0o755) }
    let node = try NodeProcess(namespace: "ro", parameters: [
      "checkpoint.dir=\(unwritable)", "spool.dir=\(directory)/spool", "learning.min_samples=4", "status.period_s=0.1",
    ])
    defer { if node.isRunning { node.kill9() } }
    let client = try node.client()
    try client.handshakeLabels()
    try client.sendLabel(announce(0, "zero"))
    try client.sendLabel(labeled(0, seeds: 0..<4))
    let failed = try client.waitForStatus(timeout: 20) { $0.learning.completedRuns >= 1 && !$0.lastError.isEmpty }
    XCTAssertTrue(failed.lastError.contains("cannot write \(unwritable)"), failed.lastError)
    // The failure does not turn into a retry storm: without new samples, no new run starts.
    usleep(500_000)
    let later = try client.status()
    XCTAssertLessThanOrEqual(later.learning.completedRuns, failed.learning.completedRuns + 1, "learning retried in a loop")
    XCTAssertEqual(later.state, .serving)
    XCTAssertEqual(later.queues.spooledSamples, 4, "the samples stay spooled for a later run")
    // A new labeled sample is a reason to try again (once).
    try client.sendLabel(labeled(0, seeds: 4..<5))
    let retried = try client.waitForStatus(timeout: 20) { $0.learning.completedRuns == later.learning.completedRuns + 1 && !$0.learning.active }
    XCTAssertEqual(retried.queues.spooledSamples, 5)

    let save = try client.request { $0.saveCheckpoint = R4ncl_V1_SaveCheckpoint() }
    XCTAssertFalse(save.ok)
    XCTAssertTrue(save.error.contains("cannot write \(unwritable)"), save.error)

    // Still predicting.
    try client.handshake()
    let status = try client.waitForStatus { $0.predicted == $0.received }
    XCTAssertGreaterThan(status.predicted, 0)
    XCTAssertEqual(node.terminate(), 0, node.output)
    XCTAssertTrue(node.output.contains("final checkpoint failed: cannot write \(unwritable)"), node.output)
    print("lifecycle: unwritable checkpoint dir -> \"\(failed.lastError)\"; control save -> \"\(save.error)\"; predictions continue")
  }
}
