import ArgumentParser
import Foundation
import Node
import Storage

/// `r4ncl bag play`: publishes a bag's messages on their topics with their recorded spacing
/// (scaled by `--rate`), e.g. recorded sensor streams into a node, or a node's recorded
/// predictions and status to monitors.
struct BagPlayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "play", abstract: "Publish a bag's messages with their recorded timing.")

  @Argument(help: "Bag file (from r4ncl bag record).")
  var file: String

  @Option(name: .long, help: "Endpoint(s): a proxy front end (default), a node's spike SUB, or @bind for subscribers to connect.")
  var connect: [String] = ["tcp://127.0.0.1:6000"]

  @Option(name: .long, help: "Only topics with this prefix (\"\" = all).")
  var topic = ""

  @Option(name: .long, help: "Speed factor on the recorded timing (2 = twice as fast; 0 = as fast as possible).")
  var rate: Double = 1

  @Option(name: .long, help: "Seconds to wait for a subscriber of one of the bag's topics before publishing anyway.")
  var waitSubscriber: Seconds = 5

  @Option(name: .long, help: "Recorded gaps without messages longer than this many seconds are skipped (rosbag has --skip-empty too, off there; 0 = never skip).")
  var skipEmpty: Seconds = 3600

  func validate() throws {
    guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be a number >= 0") }
  }

  func run() throws {
    let bag = try BagFile.read(URL(fileURLWithPath: file))
    let messages = bag.messages.filter { $0.topic.hasPrefix(topic) }
    guard let first = messages.first else {
      throw CommandFailure("\(file) has no message on topics \(topic)* (its topics: \(bag.topics.joined(separator: ", ")))")
    }
    let publisher = try ToolPublisher(endpoints: connect)
    let topics = Array(Set(messages.map(\.topic))).sorted()
    if try !publisher.waitForSubscriber(ofAny: topics, timeout: waitSubscriber.value) {
      warn("no subscriber for \(topics.joined(separator: ", ")) within \(waitSubscriber) s, publishing anyway")
    }
    let stopped = Protected(false)
    let trap = SignalTrap { _ in stopped.withLock { $0 = true } }
    defer { withExtendedLifetime(trap) {} }
    var progress = ProgressLine()
    let start = Clock.monotonicSeconds()
    var sent = 0
    var dropped = 0
    // Offsets in Double: times come from the file, any Int64 difference must not trap.
    func offset(_ message: BagMessage) -> Double { (Double(message.timeNs) - Double(first.timeNs)) / 1e9 }
    let span = offset(messages.last ?? first)
    // Recorded time skipped so far: a gap of hours (or a timestamp of year 2262) is not waited out.
    var skipped = 0.0, skips = 0
    var previous = 0.0
    for message in messages {
      if stopped.current { break }
      let gap = offset(message) - previous
      previous = offset(message)
      if rate > 0 && skipEmpty.value > 0 && gap > skipEmpty.value {
        skipped += gap
        skips += 1
      }
      if rate > 0 {
        let due = start + (offset(message) - skipped) / rate
        while !stopped.current, case let wait = due - Clock.monotonicSeconds(), wait > 0 {
          Clock.sleep(seconds: min(wait, 0.1))  // in slices, so Ctrl-C ends a long gap
        }
      }
      if stopped.current { break }
      if try publisher.send(topic: message.topic, payload: message.payload) { sent += 1 } else { dropped += 1 }
      progress.periodic(String(format: "bag play: %d/%d messages, %.1f of %.1f s recorded", sent + dropped, messages.count,
        offset(message), span))
    }
    progress.log("bag play: published \(sent) of \(messages.count) messages on \(topics.count) topics"
      + " (\(dropped) dropped at the high-water mark)"
      + (skips > 0 ? String(format: ", skipped %d empty gap%@ of %.0f s in all (--skip-empty %g)", skips, skips == 1 ? "" : "s", skipped, skipEmpty.value) : "")
      + (stopped.current ? ", stopped by a signal" : ""))
  }
}
