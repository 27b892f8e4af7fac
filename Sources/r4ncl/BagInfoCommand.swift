import ArgumentParser
import Foundation
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
    for topic in bag.topics {
      let messages = bag.messages.filter { $0.topic == topic }
      let bytes = messages.reduce(0) { $0 + $1.payload.count }
      let rate = bag.duration > 0 ? Double(messages.count) / bag.duration : 0
      let type = bag.types[topic].flatMap { $0.isEmpty ? nil : $0 } ?? "(unknown)"
      print("\(topic) | \(type) | \(messages.count) | \(bytes) | " + String(format: "%.1f", rate))
    }
  }
}
