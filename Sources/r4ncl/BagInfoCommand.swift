import ArgumentParser
import Foundation
import Node
import Storage

/// `r4ncl bag info`: what a bag holds: duration, and per topic the message type, count, bytes
/// and rate.
struct BagInfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "info", abstract: "Summarise a bag file.")

  @Argument(help: "Bag file (from r4ncl bag record).")
  var file: String

  func run() throws {
    let bag = try BagFile.read(URL(fileURLWithPath: file))
    let start = bag.messages.first.map { Date(timeIntervalSince1970: Double($0.timeNs) / 1e9) }
    print("bag: \(file)")
    print(String(format: "duration: %.3f s", bag.duration) + (start.map { "  start: \(ISO8601DateFormatter().string(from: $0))" } ?? ""))
    print("messages: \(bag.messages.count)")
    print("topic | type | messages | bytes | Hz")
    var perTopic: [String: (messages: Int, bytes: Int)] = [:]
    for message in bag.messages {
      perTopic[message.topic, default: (0, 0)].messages += 1
      perTopic[message.topic, default: (0, 0)].bytes += message.payload.count
    }
    for topic in bag.topics {
      let (messages, bytes) = perTopic[topic]!
      let rate = bag.duration > 0 ? Double(messages) / bag.duration : 0
      let type = bag.types[topic].flatMap { $0.isEmpty ? nil : WireText.line($0, limit: 200) } ?? "(unknown)"
      print("\(WireText.line(topic, limit: 200)) | \(type) | \(messages) | \(bytes) | " + String(format: "%.1f", rate))
    }
  }
}
