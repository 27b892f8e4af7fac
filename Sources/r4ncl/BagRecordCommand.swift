import ArgumentParser
import Foundation
import Node
import Storage

/// `r4ncl bag record`: subscribes to a topic prefix and keeps every message (topic, arrival
/// time, bytes as received, valid or not) until a count, a duration, a size limit or Ctrl-C,
/// then writes the bag atomically.
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
  var duration: Double = 0

  @Option(name: .long, help: "Stop when the payloads reach this many MiB (memory bound).")
  var maxMib: Double = 1024

  func validate() throws {
    guard count >= 0, duration >= 0 else { throw ValidationError("--count and --duration must be >= 0") }
    guard maxMib > 0 else { throw ValidationError("--max-mib must be > 0") }
  }

  func run() throws {
    let context = try ZMQContext()
    let socket = try ZMQSocket(context, type: .sub)
    try socket.setReceiveHighWaterMark(100_000)
    for endpoint in connect { try EndpointSpec(parsing: endpoint, defaultMode: .connect).attach(socket) }
    try socket.subscribe(topic)
    let trap = SignalTrap { _ in context.shutdown() }
    defer { withExtendedLifetime(trap) {} }
    var poller = ZMQPoller()
    poller.add(socket)
    var bag = Bag()
    var bytes = 0
    var skipped = 0
    var progress = ProgressLine()
    let start = Clock.monotonicSeconds()
    var lastReport = start
    var stop = ""
    func report() {
      let text = String(format: "bag record: %d messages, %d topics, %.1f MiB, %.0f s", bag.messages.count, bag.topics.count,
        Double(bytes) / 1_048_576, Clock.monotonicSeconds() - start)
      if progress.isTerminal { progress.update(text) } else { progress.log(text) }
    }
    loop: while true {
      let now = Clock.monotonicSeconds()
      if duration > 0 && now - start >= duration { break }
      if now - lastReport >= (progress.isTerminal ? 1 : 10) {
        report()
        lastReport = now
      }
      do {
        guard try poller.poll(timeoutMilliseconds: 100)[0] else { continue }
        while let frames = try socket.receive(dontWait: true) {
          guard frames.count == 2 else {  // not [topic, payload]: not a message of this bus
            skipped += 1
            continue
          }
          let topic = String(decoding: frames[0], as: UTF8.self)
          bag.messages.append(BagMessage(topic: topic, timeNs: Clock.nowNanoseconds(), payload: frames[1]))
          if bag.types[topic] == nil { bag.types[topic] = MessageFormatter.messageType(ofTopic: topic)?.protoMessageName ?? "" }
          bytes += frames[1].count
          if count > 0 && bag.messages.count >= count { break loop }
          if Double(bytes) >= maxMib * 1_048_576 {
            stop = " (stopped at the --max-mib limit)"
            break loop
          }
        }
      } catch let error as ZMQError where error.isTerminated { break }
    }
    guard !bag.messages.isEmpty else {
      throw CommandFailure(
        "nothing arrived on \(connect.joined(separator: ", ")) (topics \(topic.isEmpty ? "all" : topic + "*")); \(output) not written")
    }
    try BagFile.write(bag, to: URL(fileURLWithPath: output))
    progress.log(String(format: "bag record: wrote %d messages on %d topics (%.1f MiB, %.1f s) to %@%@%@", bag.messages.count,
      bag.topics.count, Double(bytes) / 1_048_576, bag.duration, output, stop,
      skipped > 0 ? "; \(skipped) messages not of the form [topic, payload] skipped" : ""))
  }
}
