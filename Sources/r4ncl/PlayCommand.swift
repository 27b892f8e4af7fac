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
  var waitSubscriber: Seconds = 5

  @Option(name: .long, help: "Node output endpoint: measure predictions/s and publish-to-prediction latency (benchmark).")
  var measure: String?

  @Option(name: .long, help: "With --measure: seconds to wait for the last predictions.")
  var measureTimeout: Seconds = 10

  func validate() throws {
    guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be a number >= 0") }
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
    if try !publisher.waitForSubscriber(of: topic, timeout: waitSubscriber.value) {
      FileHandle.standardError.write(Data("play: no subscriber for \(topic) after \(waitSubscriber) s, publishing anyway\n".utf8))
    }
    let meter = try measure.map { try PredictionMeter(endpoint: $0, topics: topics, sensor: sensor, timeout: waitSubscriber.value) }
    let stop = Protected(false)
    let trap = SignalTrap { _ in stop.withLock { $0 = true } }
    defer { withExtendedLifetime(trap) {} }
    var next = Clock.monotonicSeconds()
    var dropped = 0
    for (index, sample) in samples.enumerated() where !stop.current {
      // Wait for the sample's slot; a meter keeps receiving meanwhile so it stamps every
      // prediction when it arrives, not at the next send.
      while case let wait = next - Clock.monotonicSeconds(), wait > 0 {
        if let meter { try meter.poll(milliseconds: max(1, Int(Clock.milliseconds(wait)))) } else { Clock.sleep(seconds: wait) }
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
      try meter.wait(for: samples.count, timeout: measureTimeout.value) { stop.current }
      print(meter.report(sent: samples.count))
    }
  }
}
