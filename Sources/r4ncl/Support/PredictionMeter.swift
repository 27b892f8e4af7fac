import Foundation
import Node
import Proto

/// Collects the node's predictions for the played sensor and reports rate and latency
/// (publish on this clock -> prediction received on this clock).
final class PredictionMeter {
  let socket: ZMQSocket
  /// Only predictions for this sensor count.
  var sensor: String
  var latencies: [Double] = []
  /// The node's own share of each latency: sample received -> prediction published, ms.
  var nodeLatencies: [Double] = []
  var correct = 0
  var labeled = 0
  var first = 0.0
  var last = 0.0

  init(endpoint: String, topics: Topics, sensor: String, timeout: Double) throws {
    self.sensor = sensor
    socket = try ZMQSocket(try ZMQContext(), type: .sub)
    try socket.connect(endpoint)
    // Predictions first, then status: once a status arrives, the prediction subscription is live.
    try socket.subscribe(topics.predictions)
    try socket.subscribe(topics.status)
    try socket.setReceiveTimeout(Clock.milliseconds(timeout))
    guard try socket.receive() != nil else { throw CommandFailure("--measure: no status from \(endpoint)") }
  }

  /// Waits up to `milliseconds` for predictions and takes them.
  func poll(milliseconds: Int) throws {
    var poller = ZMQPoller()
    poller.add(socket)
    if try poller.poll(timeoutMilliseconds: milliseconds)[0] { try drain() }
  }

  /// Takes every prediction already received.
  func drain() throws {
    while let frames = try socket.receive(dontWait: true) { take(frames) }
  }

  /// Waits until `count` predictions arrived, `timeout` seconds pass without one (the node's
  /// status heartbeats do not count), or `stopped()` turns true (Ctrl-C).
  func wait(for count: Int, timeout: Double, stopped: () -> Bool = { false }) throws {
    try drain()
    var lastPrediction = Clock.monotonicSeconds()
    while latencies.count < count, !stopped(), Clock.monotonicSeconds() - lastPrediction < timeout {
      let before = latencies.count
      try poll(milliseconds: 100)
      if latencies.count > before { lastPrediction = Clock.monotonicSeconds() }
    }
  }

  private func take(_ frames: [[UInt8]]) {
    guard frames.count == 2, let p = try? R4ncl_V1_Prediction(serializedBytes: frames[1]), p.sensor == sensor,
      p.sampleSentTimeNs > 0
    else { return }
    let now = Clock.monotonicSeconds()
    if latencies.isEmpty { first = now }
    last = now
    latencies.append(Double(Clock.nowNanoseconds() - p.sampleSentTimeNs) / 1e6)
    nodeLatencies.append(Double(p.publishedTimeNs - p.receivedTimeNs) / 1e6)
    if case .trueLabel(let label)? = p.trueLabelValue {
      labeled += 1
      if label == p.classID { correct += 1 }
    }
  }

  /// Forgets what was measured (the next phase of a benchmark starts afresh).
  func reset() {
    latencies.removeAll()
    nodeLatencies.removeAll()
    correct = 0
    labeled = 0
  }

  /// Predictions received, their rate (first to last arrival) and latency percentiles in ms.
  var statistics: (count: Int, perSecond: Double, p50: Double, p99: Double, max: Double, nodeP50: Double, nodeP99: Double) {
    let sorted = latencies.sorted(), node = nodeLatencies.sorted()
    let rate = last > first ? Double(latencies.count - 1) / (last - first) : .nan
    return (latencies.count, rate, percentile(sorted, 50), percentile(sorted, 99), sorted.last ?? .nan,
            percentile(node, 50), percentile(node, 99))
  }

  func report(sent: Int) -> String {
    let s = statistics
    let accuracy = labeled > 0 ? String(format: "%.1f%%", 100 * Double(correct) / Double(labeled)) : "n/a"
    return String(format: "measure: %d/%d predictions, %.0f predictions/s, latency p50 %.3f ms, p99 %.3f ms, max %.3f ms, accuracy %@",
                  s.count, sent, s.perSecond, s.p50, s.p99, s.max, accuracy)
  }
}
