import ArgumentParser
import Foundation
import Learner
import Node
import Proto
import Storage

/// `r4ncl record`: subscribes to spike topics and writes the samples to an SHD-format file.
struct RecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record", abstract: "Record spike samples from topics into an SHD-format file.")

  @Argument(help: "Output SHD-format HDF5 file (written atomically at the end).")
  var output: String

  @Option(name: .long, help: "Endpoint(s) to connect to: a publisher such as r4ncl play, or a proxy back end.")
  var connect: [String] = ["tcp://127.0.0.1:6001"]

  @Option(name: .long, help: "Topic prefix (default: <ns>/spikes/).")
  var topic: String?

  @Option(name: .long, help: "Topic namespace (default: $R4NCL_NAMESPACE or r4ncl).")
  var namespace: String?

  @Option(name: .long, help: "Stop after this many samples (0 = until Ctrl-C or --duration).")
  var count = 0

  @Option(name: .long, help: "Stop after this many seconds (0 = no limit).")
  var duration: Seconds = 0

  @Option(name: .long, help: "Input channels.")
  var channels = 700

  @Option(name: .long, help: "Label for samples that carry none.")
  var unlabeled = 0

  func validate() throws {
    guard (1...65_536).contains(channels) else { throw ValidationError("--channels must be in 1...65536 (SHD units are 16-bit), got \(channels)") }
    guard SHDFile.labelRange.contains(unlabeled) else { throw ValidationError("--unlabeled must be in 0...65535 (SHD labels are 16-bit)") }
    try OutputPath.checkFile(output, option: "<output>")
  }

  func run() throws {
    let topics = Topics(namespace: namespace ?? ProcessInfo.processInfo.environment["R4NCL_NAMESPACE"] ?? "r4ncl")
    let subscriber = try ToolSubscriber(endpoints: connect, topic: topic ?? topics.spikesPrefix)
    defer { withExtendedLifetime(subscriber) {} }
    let socket = subscriber.socket
    var poller = ZMQPoller()
    poller.add(socket)
    let validator = SpikeSampleValidator(limits: ValidationLimits(channelCount: channels))
    var samples: [SpikeSample] = []
    var skipped = 0
    let start = Clock.monotonicSeconds()
    loop: while count == 0 || samples.count < count {
      if duration > 0 && Clock.monotonicSeconds() - start >= duration.value { break }
      do {
        guard try poller.poll(timeoutMilliseconds: 100)[0] else { continue }
        while let frames = try socket.receive(dontWait: true) {
          guard frames.count == 2, let message = try? R4ncl_V1_SpikeSample(serializedBytes: frames[1]),
            validator.problem(in: message) == nil
          else {
            skipped += 1
            continue
          }
          var sample = SpikeSample(message)
          if sample.label == nil { sample.label = unlabeled }
          samples.append(sample)
          if count > 0 && samples.count >= count { break loop }
        }
      } catch let error as ZMQError where error.isTerminated { break }
    }
    guard !samples.isEmpty else {  // an empty file would pass for a recording, or replace one
      let within = duration > 0 ? "within \(duration) s" : "before the stop"
      let what = skipped > 0 ? "no valid spike sample (\(skipped) invalid messages skipped)" : "nothing"
      throw CommandFailure(
        "\(what) arrived on \(connect.joined(separator: ", ")) \(within) (topics \(topic ?? topics.spikesPrefix)*); "
          + "spike samples are published by a proxy's back end (r4ncl proxy, tcp://127.0.0.1:6001 by default) that players "
          + "send to, or by a player bound with r4ncl play --connect @ENDPOINT; \(output) not written")
    }
    let classCount = (samples.compactMap(\.label).max() ?? 0) + 1
    let dataset = SpikeDataset(samples: samples, channelCount: channels, classNames: (0..<classCount).map { "class\($0)" })
    try SHDFile.write(dataset, to: URL(fileURLWithPath: output))
    print("record: wrote \(samples.count) samples to \(output) (\(skipped) invalid messages skipped)")
  }
}
