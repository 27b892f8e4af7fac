import Foundation
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

/// End to end with a real `r4ncl node` process over ipc://: taught three classes through
/// label events, it predicts a stream, the C and Python peers exchange messages with it,
/// and SIGTERM drains it to exit 0 with a final checkpoint.
final class NodeProcessTests: XCTestCase {
  var directory = ""
  var node: ChildProcess?
  var client: NodeClient?
  let topics = Topics(namespace: "proc")

  func endpoint(_ name: String) -> String { "ipc://\(directory)/\(name)" }

  override func setUpWithError() throws {
    guard let r4ncl = Paths.r4ncl else { throw XCTSkip("the r4ncl executable is not built (run swift build)") }
    // ipc paths are limited to ~107 bytes: keep the directory short.
    directory = "/tmp/r4n-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    node = try ChildProcess(r4ncl, [
      "node",
      "--param", "namespace=proc",
      "--param", "endpoints.spikes=@\(endpoint("spikes"))",
      "--param", "endpoints.labels=@\(endpoint("labels"))",
      "--param", "endpoints.output=@\(endpoint("output"))",
      "--param", "endpoints.control=@\(endpoint("control"))",
      "--param", "checkpoint.dir=\(directory)/ckpt",
      "--param", "spool.dir=\(directory)/spool",
      "--param", "learning.min_samples=4",
      "--param", "status.period_s=0.2",
    ])
    let client = try NodeClient(
      endpoints: ["spikes": [endpoint("spikes")], "labels": [endpoint("labels")], "output": [endpoint("output")],
                  "control": [endpoint("control")]],
      topics: topics)
    self.client = client
    // Teach classes 0, 1, 2 (four samples each reach learning.min_samples).
    try client.handshakeLabels()
    for k in 0..<3 {
      try client.sendLabel(announce(Int32(k), "class\(k)"))
      try client.sendLabel(labeled(k, seeds: 0..<4))
    }
    try client.waitForStatus(timeout: 20) { $0.classes.count == 3 && !$0.learning.active && $0.state == .serving }
  }

  override func tearDownWithError() throws {
    client = nil
    if let node, node.process.isRunning {
      node.signal(SIGTERM)
      _ = node.wait(timeout: 10)
    }
    node = nil
    try? FileManager.default.removeItem(atPath: directory)
  }

  func testNodeProcessPredictsAndDrainsOnSIGTERM() throws {
    let client = try XCTUnwrap(self.client)
    let node = try XCTUnwrap(self.node)
    let probes = try client.handshake()
    for i in 0..<12 {
      let sample = Synthetic.wire(Synthetic.sample(class: i % 3, seed: 100 + i), sensor: "mic", sequence: UInt64(i + 1))
      try client.spikes.send(topic: topics.spikes(sensor: "mic"), payload: try sample.serializedBytes())
    }
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "mic")) ?? []).count == 12 }, timeout: 10))
    let predictions = try client.predictions(sensor: "mic")
    XCTAssertEqual(predictions.map { Int($0.classID) }, (0..<12).map { $0 % 3 })
    let status = try client.waitForStatus { $0.predicted == $0.received }
    XCTAssertEqual(status.received, status.predicted + status.dropped + status.rejectedSamples)
    XCTAssertEqual(status.rejectedSamples, 0)
    XCTAssertLessThanOrEqual(status.received, probes + 12)

    node.signal(SIGTERM)
    XCTAssertEqual(node.wait(timeout: 10), 0, node.text)
    XCTAssertTrue(node.text.contains("final checkpoint"), node.text)
    let final = CheckpointStore(directory: directory + "/ckpt").loadLatest()
    XCTAssertEqual(final.found?.model.classes.count, 3)
  }

  func testPythonPeerExchangesMessagesWithTheNode() throws {
    let (python, generated) = try pythonWithGeneratedModules(in: directory, importing: "zmq, google.protobuf")
    let run = try ChildProcess.run(
      python,
      [Paths.root + "/examples/python/sensor.py", "--connect", endpoint("spikes"), "--predictions", endpoint("output"),
       "--namespace", "proc", "--count", "12", "--synthetic", "3", "--rate", "0"],
      environment: ["R4NCL_PY_GEN": generated], timeout: 60)
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("12/12 predictions received, 12 correct"), run.output)
    XCTAssertTrue(run.output.contains("publish->prediction latency p50"), run.output)
  }

  /// examples/python/teacher.py teaches a new class and confirms it over the control socket.
  func testPythonTeacherTeachesAClassAndConfirmsIt() throws {
    let (python, generated) = try pythonWithGeneratedModules(in: directory, importing: "zmq, google.protobuf")
    let run = try ChildProcess.run(
      python,
      [Paths.root + "/examples/python/teacher.py", "--connect", endpoint("labels"), "--control", endpoint("control"),
       "--namespace", "proc", "--class-id", "3", "--name", "three", "--count", "6", "--learn-now", "--wait-learned"],
      environment: ["R4NCL_PY_GEN": generated], timeout: 60)
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("teacher: the node persisted all 6 samples"), run.output)
    XCTAssertTrue(run.output.contains("teacher: the node learned class 3 \"three\": model v"), run.output)
    let status = try XCTUnwrap(client).status()
    XCTAssertEqual(status.classes.map(\.name), ["class0", "class1", "class2", "three"])

    let refused = try ChildProcess.run(
      python,
      [Paths.root + "/examples/python/teacher.py", "--connect", endpoint("labels"), "--control", endpoint("control"),
       "--namespace", "proc", "--class-id", "64", "--count", "2"],
      environment: ["R4NCL_PY_GEN": generated], timeout: 60)
    XCTAssertEqual(refused.status, 1, refused.output)
    // Class ids must be below limits.class_capacity (64 by default).
    XCTAssertTrue(refused.output.contains("the node refused 2 of 2 events and persisted 0 of 2 samples; last refusal: class_capacity"), refused.output)
  }

  /// Run before examples/python/generate.sh, the Python peers say so in one line and exit 1
  /// instead of a ModuleNotFoundError traceback.
  func testPythonPeersWithoutGeneratedCodeSayWhatToRun() throws {
    guard let python = Paths.which("python3") else { throw XCTSkip("python3 is not installed") }
    let probe = try ChildProcess.run(python, ["-c", "import zmq, google.protobuf"], timeout: 30)
    guard probe.status == 0 else { throw XCTSkip("pyzmq or protobuf is not installed for python3: \(probe.output)") }
    let empty = directory + "/nogen"
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    for script in ["sensor.py", "listener.py", "teacher.py"] {
      let run = try ChildProcess.run(python, [Paths.root + "/examples/python/" + script], environment: ["R4NCL_PY_GEN": empty], timeout: 30)
      XCTAssertEqual(run.status, 1, run.output)
      XCTAssertEqual(
        run.output, "no generated protobuf modules in \(empty): run examples/python/generate.sh \(empty) first (needs protoc)\n", script)
    }
  }

  func testCPeerExchangesMessagesWithTheNode() throws {
    for tool in ["cc", "make", "pkg-config", "protoc-c"] where Paths.which(tool) == nil {
      throw XCTSkip("\(tool) is not installed")
    }
    let libraries = try ChildProcess.run(try XCTUnwrap(Paths.which("pkg-config")), ["--exists", "libzmq", "libprotobuf-c"], timeout: 30)
    guard libraries.status == 0 else { throw XCTSkip("libzmq or libprotobuf-c development files are not installed") }
    let build = directory + "/cbuild"
    let make = try ChildProcess.run(
      try XCTUnwrap(Paths.which("make")), ["-s", "-C", Paths.root + "/examples/c", "BUILD=\(build)"], timeout: 120)
    XCTAssertEqual(make.status, 0, make.output)
    let run = try ChildProcess.run(build + "/sensor", [endpoint("spikes"), endpoint("output"), "proc", "12", "3"], timeout: 60)
    XCTAssertEqual(run.status, 0, run.output)
    XCTAssertTrue(run.output.contains("12/12 predictions received, 12 correct"), run.output)
    XCTAssertTrue(run.output.contains("csensor: publish->prediction p50"), run.output)
  }
}
