import Foundation
import Learner
import Logging
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

/// Synthetic spike samples whose class is visible in the channels used: class k fires
/// channels [70k, 70k + 70), so the centroid model separates them perfectly.
enum Synthetic {
  static func sample(class k: Int, seed: Int, events: Int = 60) -> SpikeSample {
    var state = UInt64(truncatingIfNeeded: seed &* 7919 &+ k &* 104_729 &+ 1)
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    var times: [Float] = []
    var units: [UInt16] = []
    for i in 0..<events {
      times.append(Float(i) * 0.01)
      units.append(UInt16(70 * k + Int(next() % 70)))
    }
    return SpikeSample(times: times, units: units, label: k)
  }

  /// A centroid model that knows classes 0..<count, learned from 5 samples each.
  static func model(classes count: Int) throws -> any ClassifierModel {
    var names = ClassMap()
    for k in 0..<count { names.set(k, name: "class\(k)") }
    let samples = (0..<count).flatMap { k in (0..<5).map { sample(class: k, seed: 1000 + $0) } }
    return try CentroidBackend().learn(LearningJob(newClasses: names, samples: samples), from: CentroidClassifier()) { _ in true }
  }

  static func wire(_ sample: SpikeSample, sensor: String, sequence: UInt64) -> R4ncl_V1_SpikeSample {
    R4ncl_V1_SpikeSample(sample, sensor: sensor, sequence: sequence, channelCount: 700)
  }
}

/// A logger that keeps every message ("<level> <message>"), for tests of what the node logs.
final class CapturedLog: Sendable {
  private let lines = Protected<[String]>([])

  /// The messages logged so far.
  var messages: [String] { lines.current }

  var logger: Logger { Logger(label: "test") { _ in Handler(log: self) } }

  private struct Handler: LogHandler {
    let log: CapturedLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    func log(event: LogEvent) { log.lines.withLock { $0.append("\(event.level) \(event.message)") } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
  }
}

/// Starts `node`; at the test's teardown it is shut down and must stop within 10 s.
@discardableResult
func startUntilTeardown(_ node: NodeRuntime, _ test: XCTestCase) throws -> NodeRuntime {
  try node.start()
  test.addTeardownBlock {
    node.requestShutdown()
    XCTAssertTrue(node.waitUntilStopped(timeout: 10))
  }
  return node
}

/// A configuration binding every node socket to a random loopback port.
func loopbackConfiguration(_ directory: String? = nil) -> NodeConfiguration {
  var configuration = NodeConfiguration.loopback(namespace: "test", directory: directory)
  configuration.statusPeriod = 0.2
  return configuration
}

func temporaryDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "r4ncl-node-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// A peer of a running node: publishes spikes and labels, subscribes to its output, and talks
/// to its control socket. Every receive is bounded by a timeout.
final class NodeClient {
  let context: ZMQContext
  let spikes: ZMQSocket
  let labels: ZMQSocket
  let output: ZMQSocket
  let control: ZMQSocket
  let topics: Topics
  var outputPoller = ZMQPoller()
  /// Messages received on the output socket, by topic.
  var received: [String: [[UInt8]]] = [:]
  private var probeSequence: UInt64 = 0
  private var requestID: UInt64 = 0

  convenience init(_ runtime: NodeRuntime) throws {
    try self.init(endpoints: runtime.endpoints, topics: runtime.topics)
  }

  init(endpoints: [String: [String]], topics: Topics) throws {
    self.topics = topics
    context = try ZMQContext()
    spikes = try ZMQSocket(context, type: .pub)
    labels = try ZMQSocket(context, type: .pub)
    output = try ZMQSocket(context, type: .sub)
    control = try ZMQSocket(context, type: .req)
    try spikes.connect(endpoints["spikes"]![0])
    try labels.connect(endpoints["labels"]![0])
    try output.connect(endpoints["output"]![0])
    try output.subscribe("")
    try control.connect(endpoints["control"]![0])
    try control.setReceiveTimeout(5000)
    try control.setSendTimeout(5000)
    outputPoller.add(output)
  }

  /// The slow-joiner handshake: sends probe samples (sensor "probe") until their prediction
  /// comes back, so both the spike and the output subscriptions are in place. Returns the
  /// number of probes sent (each is received by the node or lost before it subscribed).
  @discardableResult
  func handshake(timeout: Double = 10) throws -> UInt64 {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      probeSequence += 1
      let probe = Synthetic.wire(Synthetic.sample(class: 0, seed: 1), sensor: "probe", sequence: probeSequence)
      try spikes.send(topic: topics.spikes(sensor: "probe"), payload: try probe.serializedBytes())
      if try !collect(until: { [self] in !(received[topics.predictions] ?? []).isEmpty }, timeout: 0.05) { continue }
      return probeSequence
    }
    throw TestFailure("handshake with the node failed within \(timeout) s")
  }

  /// The labels-socket handshake: sends probes on "<ns>/labels/probe" (matched by the node's
  /// subscription, then rejected as `unknown_topic`) until the node counts one.
  func handshakeLabels(timeout: Double = 10) throws {
    let baseline = try status().rejected(.unknownTopic)
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      try labels.send(topic: topics.labels + "/probe", payload: [])
      let wait = Date().addingTimeInterval(0.05)
      while Date() < wait {
        if try status().rejected(.unknownTopic) > baseline { return }
        usleep(2000)
      }
    }
    throw TestFailure("labels handshake with the node failed within \(timeout) s")
  }

  func sendLabel(_ event: R4ncl_V1_LabelEvent) throws {
    try labels.send(topic: topics.labels, payload: try event.serializedBytes())
  }

  /// Receives output messages until `condition` holds or `timeout` seconds pass.
  func collect(until condition: () -> Bool, timeout: Double) throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
      let left = deadline.timeIntervalSinceNow
      if left <= 0 { return false }
      if try outputPoller.poll(timeoutMilliseconds: max(1, Int(left * 1000)))[0] {
        while let frames = try output.receive(dontWait: true) {
          guard frames.count == 2 else { continue }
          received[String(decoding: frames[0], as: UTF8.self), default: []].append(frames[1])
        }
      }
    }
    return true
  }

  func predictions(sensor: String) throws -> [R4ncl_V1_Prediction] {
    try (received[topics.predictions] ?? []).map { try R4ncl_V1_Prediction(serializedBytes: $0) }
      .filter { $0.sensor == sensor }
  }

  /// One control round trip.
  func request(_ configure: (inout R4ncl_V1_ControlRequest) -> Void) throws -> R4ncl_V1_ControlReply {
    requestID += 1
    var request = R4ncl_V1_ControlRequest()
    request.id = requestID
    configure(&request)
    try control.send([try request.serializedBytes()])
    guard let frames = try control.receive() else { throw ZMQError.call("control reply timed out", code: EAGAIN) }
    let reply = try R4ncl_V1_ControlReply(serializedBytes: frames[0])
    XCTAssertEqual(reply.id, requestID)
    return reply
  }

  func status() throws -> R4ncl_V1_NodeStatus {
    try request { $0.status = R4ncl_V1_GetStatus() }.status
  }

  /// Polls the control socket until `condition(status)` holds; fails after `timeout`.
  @discardableResult
  func waitForStatus(timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line,
                     _ condition: (R4ncl_V1_NodeStatus) -> Bool) throws -> R4ncl_V1_NodeStatus {
    let deadline = Date().addingTimeInterval(timeout)
    var last = try status()
    while !condition(last) {
      if Date() > deadline {
        XCTFail("status condition not reached in \(timeout) s; last status: \(last)", file: file, line: line)
        return last
      }
      usleep(5000)
      last = try status()
    }
    return last
  }
}

extension R4ncl_V1_NodeStatus {
  func rejected(_ reason: RejectionReason) -> UInt64 {
    rejectedByReason.first { $0.reason == reason.rawValue }?.count ?? 0
  }
}

/// A test precondition that did not hold (thrown so the test fails with the message).
struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

func labelEvent(_ configure: (inout R4ncl_V1_LabelEvent) -> Void) -> R4ncl_V1_LabelEvent {
  var event = R4ncl_V1_LabelEvent()
  event.teacher = "test"
  configure(&event)
  return event
}

func announce(_ id: Int32, _ name: String) -> R4ncl_V1_LabelEvent {
  labelEvent {
    var a = R4ncl_V1_ClassAnnouncement()
    a.classID = id
    a.name = name
    $0.announce = a
  }
}

func labeled(_ id: Int, seeds: Range<Int>) -> R4ncl_V1_LabelEvent {
  labelEvent {
    var batch = R4ncl_V1_LabeledSamples()
    batch.classID = Int32(id)
    batch.samples = seeds.map { Synthetic.wire(Synthetic.sample(class: id, seed: $0), sensor: "teacher", sequence: UInt64($0)) }
    $0.samples = batch
  }
}
