import Foundation
import Learner
import Proto
import Storage
import SwiftProtobuf
import XCTest

@testable import Node

/// The issue's acceptance test with real processes: `r4ncl train` pretrains on classes 0-18 of
/// the committed SHD fixture; `r4ncl node` serves it; `r4ncl play` streams the test samples and
/// every prediction equals offline `r4ncl eval`; `r4ncl label` teaches class 19; the node keeps
/// answering while it learns; after the swap every prediction (class 19 and the old classes)
/// equals `r4ncl eval` of the model `r4ncl learn --from-model` computes offline, whose weights
/// the node's checkpoint holds bit for bit; every sample sent is accounted for.
final class NodeEndToEndTests: XCTestCase {
  /// Learning-phase knobs shared by the node and the offline run (a test: few, small steps).
  static let knobs = ["epochs=40", "batch_size=8", "replay_per_class=2"]

  func testEndToEndOverTCP() throws { try runEndToEnd(ipc: false) }

  func testEndToEndOverIPC() throws { try runEndToEnd(ipc: true) }

  // MARK: - The scenario

  private func runEndToEnd(ipc: Bool) throws {
    guard let r4ncl = Paths.r4ncl else { throw XCTSkip("the r4ncl executable is not built (run swift build)") }
    // ipc paths are limited to ~107 bytes: keep the directory short.
    let directory = "/tmp/r4e-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let fixtures = Paths.root + "/Tests/CochleaTests/Fixtures"
    for split in ["train", "test"] {
      try FileManager.default.copyItem(atPath: "\(fixtures)/shd_fixture_\(split).h5", toPath: "\(directory)/data/shd_\(split).h5")
    }
    func run(_ arguments: [String]) throws -> String {
      let result = try ChildProcess.run(r4ncl, arguments, directory: directory, timeout: 120)
      XCTAssertEqual(result.status, 0, "r4ncl \(arguments.joined(separator: " ")):\n\(result.output)")
      guard result.status == 0 else { throw TestFailure("r4ncl \(arguments[0]) failed") }
      return result.output
    }

    // Offline: pretrain on 0-18, evaluate, learn class 19 as the node will, evaluate again.
    _ = try run([
      "train", "--data", "data", "--classes", "0-18", "--epochs", "15", "--timesteps", "40", "--hidden", "32,16",
      "--lr", "0.01", "--batch", "8", "--threads", "1", "--out", "model.h5",
    ])
    _ = try run([
      "eval", "--model", "model.h5", "--data", "data", "--classes", "0-18", "--known-classes", "0-18",
      "--predictions", "before.jsonl", "--threads", "1",
    ])
    _ = try run(
      ["learn", "--from-model", "model.h5", "--data", "data", "--new-class", "19", "--model-classes", "0-18",
       "--methods", "replay4ncl", "--out", "learned.h5"] + Self.knobs.flatMap { ["--set", $0] })
    _ = try run(["eval", "--model", "learned.h5", "--data", "data", "--predictions", "after.jsonl", "--threads", "1"])
    let before = try Self.offlinePredictions(directory + "/before.jsonl")
    let after = try Self.offlinePredictions(directory + "/after.jsonl")
    XCTAssertEqual(before.count, 19)
    XCTAssertEqual(after.count, 20)

    // The node.
    let bind = ipc ? ["spikes", "labels", "output", "control"].map { "@ipc://\(directory)/\($0)" } : Array(repeating: "@tcp://127.0.0.1:*", count: 4)
    let node = try ChildProcess(r4ncl, [
      "node", "--param", "namespace=e2e", "--param", "endpoints.spikes=\(bind[0])", "--param", "endpoints.labels=\(bind[1])",
      "--param", "endpoints.output=\(bind[2])", "--param", "endpoints.control=\(bind[3])", "--param", "model.kind=snn",
      "--param", "model.file=model.h5", "--param", "model.classes=0-18", "--param", "replay.data=data/shd_train.h5",
      "--param", "learning.method=replay4ncl", "--param", "learning.min_samples=0", "--param", "checkpoint.dir=ckpt",
      "--param", "spool.dir=spool", "--param", "status.period_s=0.2",
    ] + Self.knobs.flatMap { ["--param", "continual.\($0)"] }, directory: directory)
    defer { if node.process.isRunning { node.signal(SIGKILL) } }
    let endpoints = try Self.boundEndpoints(of: node, namespace: "e2e")
    let client = try NodeClient(endpoints: endpoints, topics: Topics(namespace: "e2e"))
    let probes = try client.handshake()
    var sent = probes

    // 1. The 19 known classes: the node predicts exactly what offline eval predicts.
    _ = try run(["play", "data/shd_test.h5", "--classes", (0...18).map(String.init).joined(separator: ","), "--sensor", "before",
                 "--rate", "0", "--connect", endpoints["spikes"]![0], "--namespace", "e2e", "--wait-subscriber", "10"])
    sent += 19
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "before")) ?? []).count == 19 }, timeout: 30))
    let served = try client.predictions(sensor: "before")
    XCTAssertEqual(served.map { Int($0.sequence) }.sorted(), Array(1...19))
    for prediction in served {
      XCTAssertEqual(prediction.modelVersion, 1)
      XCTAssertEqual(Int(prediction.classID), before[Int(prediction.sequence) - 1].predicted, "sample \(prediction.sequence)")
    }

    // 2. The teacher introduces class 19; the node keeps answering while it learns.
    _ = try run(["label", "data/shd_train.h5", "--class", "19", "--count", "0", "--learn-now", "--connect", endpoints["labels"]![0],
                 "--namespace", "e2e", "--wait-subscriber", "10"])
    var sawLearning = false, during: UInt64 = 0
    let deadline = Date().addingTimeInterval(60)
    var status = try client.status()
    while status.modelVersion < 2 {
      guard Date() < deadline else { throw TestFailure("no model swap within 60 s; last status \(status)") }
      if status.learning.active {
        sawLearning = true
        during += 1
        let probe = Synthetic.wire(Synthetic.sample(class: 0, seed: Int(during)), sensor: "during", sequence: during)
        try client.spikes.send(topic: client.topics.spikes(sensor: "during"), payload: try probe.serializedBytes())
      }
      _ = try client.collect(until: { false }, timeout: 0.005)
      status = try client.status()
    }
    sent += during
    XCTAssertTrue(sawLearning, "status replies must come while the node learns")
    XCTAssertGreaterThan(during, 0)
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "during")) ?? []).count == Int(during) }, timeout: 20),
                  "every sample sent while learning is answered")
    XCTAssertTrue(try client.predictions(sensor: "during").contains { $0.modelVersion == 1 }, "predictions served by the old model while learning")
    XCTAssertTrue(try client.collect(until: { !(client.received[client.topics.checkpoints] ?? []).isEmpty }, timeout: 10))
    let announced = try R4ncl_V1_Checkpoint(serializedBytes: client.received[client.topics.checkpoints]![0])
    XCTAssertEqual(announced.modelVersion, 2)
    XCTAssertEqual(announced.classes.count, 20)

    // The node's learned model is the offline one, bit for bit.
    status = try client.waitForStatus { $0.state == .serving && !$0.lastCheckpointPath.isEmpty }
    let checkpointPath = status.lastCheckpointPath.hasPrefix("/") ? status.lastCheckpointPath : directory + "/" + status.lastCheckpointPath
    let learnedOnNode = try XCTUnwrap(try NodeCheckpointFile.read(checkpointPath) as? SpikingClassifier)
    let learnedOffline = try ModelFile.loadModel(URL(fileURLWithPath: directory + "/learned.h5"))
    XCTAssertEqual(learnedOnNode.version, 2)
    let differing = zip(learnedOnNode.network.namedParameters, learnedOffline.network.namedParameters)
      .filter { $0.0.name != $0.1.name || $0.0.matrix != $0.1.matrix }.map(\.0.name)
    XCTAssertEqual(differing, [], "weights differ between the node's and the offline learning")
    XCTAssertEqual(learnedOnNode.network.thresholds, learnedOffline.network.thresholds)
    XCTAssertEqual(learnedOnNode.network.config, learnedOffline.network.config)
    XCTAssertEqual(learnedOnNode.memory?.store?.classes, Array(0...19), "class 19 joined the replay memory")

    // 3. After the swap: class 19 and the old classes as offline learning predicts them.
    _ = try run(["play", "data/shd_test.h5", "--sensor", "after", "--rate", "0", "--connect", endpoints["spikes"]![0],
                 "--namespace", "e2e", "--wait-subscriber", "10"])
    sent += 20
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "after")) ?? []).count == 20 }, timeout: 30))
    let learned = try client.predictions(sensor: "after")
    for prediction in learned {
      XCTAssertEqual(prediction.modelVersion, 2)
      XCTAssertEqual(Int(prediction.classID), after[Int(prediction.sequence) - 1].predicted, "sample \(prediction.sequence)")
    }
    func accuracy(_ predictions: [R4ncl_V1_Prediction], _ classes: ClosedRange<Int>) -> Double {
      let chosen = predictions.filter { classes.contains(after[Int($0.sequence) - 1].label) }
      return Double(chosen.filter { Int($0.classID) == after[Int($0.sequence) - 1].label }.count) / Double(max(chosen.count, 1))
    }
    func offlineAccuracy(_ classes: ClosedRange<Int>) -> Double {
      let chosen = after.filter { classes.contains($0.label) }
      return Double(chosen.filter { $0.predicted == $0.label }.count) / Double(max(chosen.count, 1))
    }
    XCTAssertEqual(accuracy(learned, 19...19), offlineAccuracy(19...19), "class-19 accuracy")
    XCTAssertEqual(accuracy(learned, 0...18), offlineAccuracy(0...18), "old-class accuracy")

    // Every sample sent is predicted, dropped or rejected; probes may be lost before the
    // subscription reached the node, nothing else.
    let total = served.count + Int(during) + learned.count
    status = try client.waitForStatus { $0.predicted + $0.dropped + $0.rejectedSamples == $0.received }
    XCTAssertEqual(status.received, status.predicted + status.dropped + status.rejectedSamples)
    XCTAssertLessThanOrEqual(status.received, sent)
    XCTAssertGreaterThanOrEqual(status.received, sent - probes + 1)
    XCTAssertGreaterThanOrEqual(Int(status.predicted), total)
    XCTAssertEqual(status.dropped, 0)
    XCTAssertEqual(status.rejectedSamples, 0)

    node.signal(SIGTERM)
    XCTAssertEqual(node.wait(timeout: 20), 0, node.text)
  }

  // MARK: - Helpers

  /// One line of `r4ncl eval --predictions`.
  struct OfflinePrediction: Decodable {
    var index: Int
    var label: Int
    var predicted: Int
  }

  static func offlinePredictions(_ path: String) throws -> [OfflinePrediction] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { try JSONDecoder().decode(OfflinePrediction.self, from: Data($0.utf8)) }
  }

  /// The node's endpoints as its start-up log line reports them (wildcard ports resolved):
  /// "node <ns>: control tcp://...; labels ...; output ...; spikes ...".
  static func boundEndpoints(of node: ChildProcess, namespace: String) throws -> [String: [String]] {
    let marker = "node \(namespace): "
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let text = node.text
      if let range = text.range(of: marker), let end = text[range.upperBound...].firstIndex(of: "\n") {
        var endpoints: [String: [String]] = [:]
        for part in text[range.upperBound..<end].components(separatedBy: "; ") {
          let fields = part.split(separator: " ", maxSplits: 1).map(String.init)
          if fields.count == 2 { endpoints[fields[0]] = fields[1].components(separatedBy: ",") }
        }
        guard ["spikes", "labels", "output", "control"].allSatisfy({ endpoints[$0] != nil }) else {
          throw TestFailure("cannot parse the node's endpoints from: \(text[range.upperBound..<end])")
        }
        return endpoints
      }
      guard node.process.isRunning else { throw TestFailure("the node exited:\n\(text)") }
      usleep(10_000)
    }
    throw TestFailure("the node did not report its endpoints within 60 s:\n\(node.text)")
  }
}
