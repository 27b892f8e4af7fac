import ArgumentParser
import Foundation
import Node

/// `r4ncl echo`: subscribes to topics and prints every message decoded, one line each.
struct EchoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "echo", abstract: "Print the decoded messages of a topic (prefix).")

  @Option(name: .long, help: "Endpoint(s) to connect to (the node's output PUB or a proxy); @endpoint binds, for publishers that connect.")
  var connect: [String] = ["tcp://127.0.0.1:5557"]

  @Option(name: .long, help: "Topic prefix to subscribe to (\"\" for all).")
  var topic = ""

  @Option(name: .long, help: "Exit after this many messages (0 = run until Ctrl-C).")
  var count = 0

  @Option(name: .long, help: "Exit after this many seconds without a message (0 = never).")
  var timeout: Seconds = 0

  @Flag(name: .long, help: "Print bulky fields (spike events, tensors, payloads) in full.")
  var full = false

  func run() throws {
    let subscriber = try ToolSubscriber(endpoints: connect, topic: topic)
    defer { withExtendedLifetime(subscriber) {} }
    let socket = subscriber.socket
    if timeout > 0 { try socket.setReceiveTimeout(Clock.milliseconds(timeout.value)) }
    var printed = 0
    while count == 0 || printed < count {
      let frames: [[UInt8]]?
      do { frames = try socket.receive() } catch let error as ZMQError where error.isTerminated { break }
      guard let frames else { throw ExitCode(2) }
      guard frames.count == 2 else {
        print("<\(frames.count)-frame message>")
        continue
      }
      print(MessageFormatter.line(topic: String(decoding: frames[0], as: UTF8.self), payload: frames[1], full: full))
      fflush(stdout)
      printed += 1
    }
  }
}
