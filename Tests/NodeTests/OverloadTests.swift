import Foundation
import Learner
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

/// A model whose first prediction after `arm()` waits for a gate, so a test can fill the
/// prediction queue.
final class StalledModel: ClassifierModel, @unchecked Sendable {
  let inner: any ClassifierModel
  let gate = DispatchSemaphore(value: 0)
  let entered = DispatchSemaphore(value: 0)
  private let first = Protected(false)

  func arm() { first.withLock { $0 = true } }

  init(_ inner: any ClassifierModel) { self.inner = inner }
  var version: UInt64 { inner.version }
  var classes: ClassMap { inner.classes }
  var channelCount: Int { inner.channelCount }
  var baseFingerprint: String { inner.baseFingerprint }
  func checkpoint() -> R4ncl_V1_Checkpoint { inner.checkpoint() }
  func scores(_ sample: SpikeSample) -> [Float] {
    if first.withLock({ let was = $0; $0 = false; return was }) {
      entered.signal()
      _ = gate.wait(timeout: .now() + 20)
    }
    return inner.scores(sample)
  }
}

final class OverloadTests: XCTestCase {
  /// With the predictor stalled, a burst overflows the bounded queue: the oldest samples are
  /// dropped and counted, the newest are predicted, and every sample is accounted for.
  func testQueueOverflowDropsTheOldestAndCountsEveryDrop() throws {
    var configuration = loopbackConfiguration()
    configuration.predictionQueueCapacity = 4
    // The stalled model blocks its thread: here the predictor thread, so the I/O thread keeps
    // receiving (and counting) the burst.
    configuration.predictionThread = true
    let model = StalledModel(try Synthetic.model(classes: 3))
    let node = try NodeRuntime(configuration: configuration, model: model, learner: CentroidBackend(), loader: CentroidBackend())
    try startUntilTeardown(node, self)
    let client = try NodeClient(node)
    let probes = try client.handshake()
    model.arm()
    // The first sample enters the model and stalls there.
    let first = Synthetic.wire(Synthetic.sample(class: 0, seed: 0), sensor: "burst", sequence: 1)
    try client.spikes.send(topic: node.topics.spikes(sensor: "burst"), payload: try first.serializedBytes())
    // (Resent until it arrives: the subscription may not be in place yet.)
    while model.entered.wait(timeout: .now() + 0.02) == .timedOut {
      try client.spikes.send(topic: node.topics.spikes(sensor: "burst"), payload: try first.serializedBytes())
    }
    let before = try client.status().received
    for i in 2...21 {
      let sample = Synthetic.wire(Synthetic.sample(class: i % 3, seed: i), sensor: "burst", sequence: UInt64(i))
      try client.spikes.send(topic: node.topics.spikes(sensor: "burst"), payload: try sample.serializedBytes())
    }
    let full = try client.waitForStatus { $0.received == before + 20 }
    XCTAssertEqual(full.queues.predictionQueue, 4)
    model.gate.signal()
    let status = try client.waitForStatus { $0.predicted + $0.dropped == $0.received && $0.queues.predictionQueue == 0 }
    // Predicted: the probes that were answered, the stalled sample, the 4 newest of the burst.
    let answeredProbes = UInt64(try client.predictions(sensor: "probe").count)
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "burst")) ?? []).count == 5 }, timeout: 10))
    XCTAssertEqual(try client.predictions(sensor: "burst").map(\.sequence), [1, 18, 19, 20, 21])
    XCTAssertLessThanOrEqual(answeredProbes, probes)
    XCTAssertEqual(status.dropped, status.received - status.predicted)
    XCTAssertEqual(status.droppedByReason.first { $0.reason == "prediction_queue_full" }?.count, status.dropped)
    XCTAssertGreaterThanOrEqual(status.dropped, 16)
    XCTAssertEqual(status.received, status.predicted + status.dropped + status.rejectedSamples)
  }

  /// Inline prediction (the default): while the I/O thread is busy classifying, a burst waits in
  /// ZeroMQ; the next turn takes all of it into the bounded queue, dropping the oldest beyond its
  /// capacity (counted), and predicts the rest in order, the newest last.
  func testInlinePredictionKeepsOrderAndAccountsForEveryBurstSample() throws {
    var configuration = loopbackConfiguration()
    configuration.predictionQueueCapacity = 4
    let model = StalledModel(try Synthetic.model(classes: 3))
    let node = try NodeRuntime(configuration: configuration, model: model, learner: CentroidBackend(), loader: CentroidBackend())
    try startUntilTeardown(node, self)
    let client = try NodeClient(node)
    try client.handshake()
    let before = try client.status()
    model.arm()
    let first = Synthetic.wire(Synthetic.sample(class: 0, seed: 0), sensor: "burst", sequence: 1)
    try client.spikes.send(topic: node.topics.spikes(sensor: "burst"), payload: try first.serializedBytes())
    XCTAssertEqual(model.entered.wait(timeout: .now() + 10), .success, "the I/O thread classifies the first sample")
    for i in 2...21 {
      let sample = Synthetic.wire(Synthetic.sample(class: i % 3, seed: i), sensor: "burst", sequence: UInt64(i))
      try client.spikes.send(topic: node.topics.spikes(sensor: "burst"), payload: try sample.serializedBytes())
    }
    model.gate.signal()
    let status = try client.waitForStatus { $0.received == before.received + 21 && $0.predicted + $0.dropped == $0.received }
    XCTAssertEqual(status.received - before.received, 21)
    XCTAssertEqual(status.dropped, status.droppedByReason.first { $0.reason == "prediction_queue_full" }?.count ?? 0)
    XCTAssertEqual(status.received, status.predicted + status.dropped + status.rejectedSamples)
    let predictedBurst = Int(status.predicted - before.predicted)
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "burst")) ?? []).count == predictedBurst }, timeout: 10))
    let sequences = try client.predictions(sensor: "burst").map(\.sequence)
    XCTAssertEqual(sequences.first, 1)
    XCTAssertEqual(sequences.last, 21, "the newest sample is never dropped")
    XCTAssertEqual(sequences, sequences.sorted(), "predictions keep the arrival order")
    XCTAssertEqual(UInt64(21 - sequences.count), status.dropped - before.dropped)
  }
}
