import ArgumentParser
import Foundation
import Node
import Storage

/// `r4ncl bag record`: subscribes to a topic prefix and keeps every message (topic, arrival
/// time, bytes as received, valid or not) until a count, a duration, a size limit or Ctrl-C,
/// then writes the bag atomically. Topics longer than 4 KiB or holding a NUL byte, and topics
/// beyond 10,000 distinct ones, are skipped and counted.
struct BagRecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record", abstract: "Record the messages of every topic (or a prefix) into a bag file.")

  @Argument(help: "Output bag (HDF5, written atomically at the end).")
  var output: String

  @Option(name: .long, help: "Endpoint(s) to connect to: a node's output PUB, a proxy back end, a player bound with @.")
  var connect: [String] = ["tcp://127.0.0.1:5557"]

  @Option(name: .long, help: "Topic prefix (\"\" = every topic).")
  var topic = ""

  @Option(name: .long, help: "Stop after this many messages (0 = no limit).")
  var count = 0

  @Option(name: .long, help: "Stop after this many seconds (0 = until Ctrl-C).")
  var duration: Seconds = 0

  @Option(name: .long, help: "Stop when the recording holds this many MiB (payloads, topics, per-message overhead).")
  var maxMib: Double = 1024

  /// Longest topic kept (longer ones are skipped and counted).
  static let maxTopicBytes = 4096
  /// Most distinct topics kept (messages on further topics are skipped and counted).
  static let maxTopics = 10_000

  func validate() throws {
    guard count >= 0, duration >= 0 else { throw ValidationError("--count and --duration must be >= 0") }
    guard maxMib > 0, maxMib.isFinite else { throw ValidationError("--max-mib must be a positive number") }
    try OutputPath.checkFile(output, option: "<output>")
  }

  func run() throws {
    let subscriber = try ToolSubscriber(endpoints: connect, topic: topic, receiveHighWaterMark: 100_000)
    defer { withExtendedLifetime(subscriber) {} }
    let socket = subscriber.socket
    var poller = ZMQPoller()
    poller.add(socket)
    var bag = Bag()
    var bytes = 0  // what the recording holds in memory: payloads, topics and a per-message overhead
    var skipped: [String: Int] = [:]
    var progress = ProgressLine()
    let start = Clock.monotonicSeconds()
    // Arrival times on the monotonic clock from a wall-clock start: a clock step (NTP) during the
    // recording must not put a jump into the replay.
    let wallStart = Clock.nowNanoseconds()
    var stop = ""
    loop: while true {
      let now = Clock.monotonicSeconds()
      if duration > 0 && now - start >= duration.value { break }
      progress.periodic(String(  // also while nothing arrives
        format: "bag record: %d messages, %d topics, %.1f MiB, %.0f s", bag.messages.count, bag.types.count,
        Double(bytes) / 1_048_576, now - start))
      do {
        guard try poller.poll(timeoutMilliseconds: 100)[0] else { continue }
        while let frames = try socket.receive(dontWait: true) {
          let now = Clock.monotonicSeconds()
          guard frames.count == 2 else {  // not [topic, payload]: not a message of this bus
            skipped["not [topic, payload]", default: 0] += 1
            continue
          }
          // Topics are stored as HDF5 strings (no NUL) and kept per message: bounded.
          guard frames[0].count <= Self.maxTopicBytes, !frames[0].contains(0) else {
            skipped["topic longer than \(Self.maxTopicBytes) bytes or with a NUL byte", default: 0] += 1
            continue
          }
          let topic = String(decoding: frames[0], as: UTF8.self)
          if bag.types[topic] == nil {
            guard bag.types.count < Self.maxTopics else {
              skipped["beyond \(Self.maxTopics) distinct topics", default: 0] += 1
              continue
            }
            bag.types[topic] = MessageFormatter.messageType(ofTopic: topic)?.protoMessageName ?? ""
          }
          bag.messages.append(BagMessage(topic: topic, timeNs: wallStart + Int64((now - start) * 1e9), payload: frames[1]))
          bytes += frames[1].count + frames[0].count + 48
          if count > 0 && bag.messages.count >= count { break loop }
          if Double(bytes) >= maxMib * 1_048_576 {
            stop = " (stopped at the --max-mib limit)"
            break loop
          }
          if duration > 0 && now - start >= duration.value { break loop }  // a busy bus must not outlast --duration
        }
      } catch let error as ZMQError where error.isTerminated { break }
    }
    guard !bag.messages.isEmpty else {
      throw CommandFailure(
        "nothing arrived on \(connect.joined(separator: ", ")) (topics \(topic.isEmpty ? "all" : topic + "*")); \(output) not written")
    }
    try BagFile.write(bag, to: URL(fileURLWithPath: output))
    let notes = skipped.sorted { $0.key < $1.key }.map { "\($0.value) skipped: \($0.key)" }
    progress.log(String(format: "bag record: wrote %d messages on %d topics (%.1f MiB, %.1f s) to %@%@%@", bag.messages.count,
      bag.types.count, Double(bytes) / 1_048_576, bag.duration, output, stop, notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")))
  }
}
