import ArgumentParser
import Foundation
import Node

/// `r4ncl hz`: prints message rates and bandwidth per topic, once per window.
struct HzCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "hz", abstract: "Message rates per topic.")

  @Option(name: .long, help: "Endpoint(s) to connect to; @endpoint binds, for publishers that connect.")
  var connect: [String] = ["tcp://127.0.0.1:5557"]

  @Option(name: .long, help: "Topic prefix (\"\" for all).")
  var topic = ""

  @Option(name: .long, help: "Reporting window, seconds.")
  var window: Seconds = 1

  @Option(name: .long, help: "Stop after this many seconds (0 = until Ctrl-C).")
  var duration: Seconds = 0

  func validate() throws {
    guard window > 0 else { throw ValidationError("--window must be positive") }
  }

  func run() throws {
    let subscriber = try ToolSubscriber(endpoints: connect, topic: topic)
    defer { withExtendedLifetime(subscriber) {} }
    let socket = subscriber.socket
    var poller = ZMQPoller()
    poller.add(socket)
    let start = Clock.monotonicSeconds()
    var windowStart = start
    var counts: [String: (messages: Int, bytes: Int)] = [:]
    while duration == 0 || Clock.monotonicSeconds() - start < duration.value {
      let left = windowStart + window.value - Clock.monotonicSeconds()
      do {
        if try poller.poll(timeoutMilliseconds: Int(Clock.milliseconds(left)))[0] {
          while let frames = try socket.receive(dontWait: true) {
            let name = frames.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
            let bytes = frames.reduce(0) { $0 + $1.count }
            counts[name, default: (0, 0)].messages += 1
            counts[name, default: (0, 0)].bytes += bytes
          }
        }
      } catch let error as ZMQError where error.isTerminated { break }
      let now = Clock.monotonicSeconds()
      if now - windowStart >= window.value {
        let elapsed = now - windowStart
        if counts.isEmpty { print("no messages") }
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
          print(String(format: "%@  %.1f msg/s  %.1f kB/s", name, Double(count.messages) / elapsed, Double(count.bytes) / elapsed / 1000))
        }
        fflush(stdout)
        counts.removeAll()
        windowStart = now
      }
    }
  }
}
