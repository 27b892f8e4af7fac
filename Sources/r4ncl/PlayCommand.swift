import ArgumentParser
import Foundation
import Learner
import Node
import Proto
import Storage

/// `r4ncl play`: publishes the samples of an SHD-format file as `SpikeSample`s, at a fixed
/// rate or in real time (each sample after the previous one's duration), for simulation.
struct PlayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "play", abstract: "Publish the samples of an SHD-format file as spike samples.")

  @Argument(help: "SHD-format HDF5 file.")
  var file: String

  @Option(name: .long, help: "Endpoint(s): the node's spike SUB or a proxy front end (>connect default, @bind).")
  var connect: [String] = ["tcp://127.0.0.1:5555"]

  @Option(name: .long, help: "Topic namespace (default: $R4NCL_NAMESPACE or r4ncl).")
  var namespace: String?

  @Option(name: .long, help: "Sensor name (topic <ns>/spikes/<sensor>).")
  var sensor = "player"

  @Option(name: .long, help: "Samples per second (0 = as fast as possible).")
  var rate: Double = 10

  @Flag(name: .long, help: "Real time: wait each sample's duration before the next (overrides --rate).")
  var realtime = false

  @Option(name: .long, help: "Only samples of these classes, comma-separated (default: all).")
  var classes: String?

  @Option(name: .long, help: "Skip this many samples first.")
  var start = 0

  @Option(name: .long, help: "Publish at most this many samples (0 = all).")
  var count = 0

  @Flag(name: .long, inversion: .prefixedNo, help: "Include the true label (for monitors; the node never learns from it).")
  var truth = true

  @Option(name: .long, help: "Seconds to wait for a subscriber before publishing anyway.")
  var waitSubscriber: Double = 5

  @Option(name: .long, help: "Node output endpoint: measure predictions/s and publish-to-prediction latency (benchmark).")
  var measure: String?

  @Option(name: .long, help: "With --measure: seconds to wait for the last predictions.")
  var measureTimeout: Double = 10

  func validate() throws {
    guard rate >= 0 else { throw ValidationError("--rate must be >= 0") }
    guard start >= 0, count >= 0 else { throw ValidationError("--start and --count must be >= 0") }
  }

  func run() throws {
    var dataset = try SHDFile.read(URL(fileURLWithPath: file))
    if let classes {
      let wanted = Set(classes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
      dataset = dataset.filtered(classes: wanted)
    }
    var samples = Array(dataset.samples.dropFirst(start))
    if count > 0 { samples = Array(samples.prefix(count)) }
    let topics = Topics(namespace: namespace ?? ProcessInfo.processInfo.environment["R4NCL_NAMESPACE"] ?? "r4ncl")
    let topic = topics.spikes(sensor: sensor)
    let publisher = try ToolPublisher(endpoints: connect)
    if try !publisher.waitForSubscriber(of: topic, timeout: waitSubscriber) {
      FileHandle.standardError.write(Data("play: no subscriber for \(topic) after \(waitSubscriber) s, publishing anyway\n".utf8))
    }
    let meter = try measure.map { try PredictionMeter(endpoint: $0, topics: topics, sensor: sensor, timeout: waitSubscriber) }
    let stop = Protected(false)
    let trap = SignalTrap { _ in stop.withLock { $0 = true } }
    defer { withExtendedLifetime(trap) {} }
    var next = Clock.monotonicSeconds()
    var dropped = 0
    for (index, sample) in samples.enumerated() where !stop.current {
      // Wait for the sample's slot; a meter keeps receiving meanwhile so it stamps every
      // prediction when it arrives, not at the next send.
      while case let wait = next - Clock.monotonicSeconds(), wait > 0 {
        if let meter { try meter.poll(milliseconds: max(1, Int(wait * 1000))) } else { usleep(UInt32(wait * 1_000_000)) }
      }
      var message = R4ncl_V1_SpikeSample(sample, sensor: sensor, sequence: UInt64(index + 1), channelCount: dataset.channelCount)
      if !truth { message.labelValue = nil }
      message.captureTimeNs = Clock.nowNanoseconds()
      message.sentTimeNs = message.captureTimeNs
      if try !publisher.send(topic: topic, payload: try message.serializedBytes()) { dropped += 1 }
      try meter?.drain()
      if realtime {
        next += Double(sample.times.last ?? 0)
      } else if rate > 0 {
        next += 1 / rate
      }
    }
    print("play: published \(samples.count - dropped) samples on \(topic) (\(dropped) dropped at the high-water mark)")
    if let meter {
      try meter.wait(for: samples.count, timeout: measureTimeout)
      print(meter.report(sent: samples.count))
    }
  }
}

/// Collects the node's predictions for the played sensor and reports rate and latency
/// (publish on this clock -> prediction received on this clock).
final class PredictionMeter {
  let socket: ZMQSocket
  let sensor: String
  var latencies: [Double] = []
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
    try socket.setReceiveTimeout(Int32(timeout * 1000))
    guard try socket.receive() != nil else { throw ValidationError("--measure: no status from \(endpoint)") }
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

  /// Waits until `count` predictions arrived or `timeout` seconds pass without one.
  func wait(for count: Int, timeout: Double) throws {
    try socket.setReceiveTimeout(Int32(timeout * 1000))
    try drain()
    while latencies.count < count, let frames = try socket.receive() { take(frames) }
  }

  private func take(_ frames: [[UInt8]]) {
    guard frames.count == 2, let p = try? R4ncl_V1_Prediction(serializedBytes: frames[1]), p.sensor == sensor else { return }
    let now = Clock.monotonicSeconds()
    if latencies.isEmpty { first = now }
    last = now
    latencies.append(Double(Clock.nowNanoseconds() - p.sampleSentTimeNs) / 1e6)
    if case .trueLabel(let label)? = p.trueLabelValue {
      labeled += 1
      if label == p.classID { correct += 1 }
    }
  }

  func report(sent: Int) -> String {
    let sorted = latencies.sorted()
    func percentile(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
    let rate = last > first ? Double(latencies.count - 1) / (last - first) : .nan
    let accuracy = labeled > 0 ? String(format: "%.1f%%", 100 * Double(correct) / Double(labeled)) : "n/a"
    return String(format: "measure: %d/%d predictions, %.0f predictions/s, latency p50 %.3f ms, p99 %.3f ms, max %.3f ms, accuracy %@",
                  latencies.count, sent, rate, percentile(0.5), percentile(0.99), sorted.last ?? .nan, accuracy)
  }
}
