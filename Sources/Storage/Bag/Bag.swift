/// One recorded bus message: its topic, when it arrived (Unix epoch nanoseconds) and its bytes.
public struct BagMessage: Equatable, Sendable {
  public var topic: String
  public var timeNs: Int64
  public var payload: [UInt8]

  public init(topic: String, timeNs: Int64, payload: [UInt8]) {
    self.topic = topic
    self.timeNs = timeNs
    self.payload = payload
  }
}

/// A recording of bus messages in arrival order (a "bag", after rosbag), with the message type
/// each topic carries (a protobuf full name such as `r4ncl.v1.Prediction`, or "" if unknown).
public struct Bag: Equatable, Sendable {
  public var messages: [BagMessage]
  public var types: [String: String]

  public init(messages: [BagMessage] = [], types: [String: String] = [:]) {
    self.messages = messages
    self.types = types
  }

  /// Topics in order of first appearance.
  public var topics: [String] {
    var seen = Set<String>()
    return messages.map(\.topic).filter { seen.insert($0).inserted }
  }

  /// Seconds from the first message to the last (0 for fewer than two).
  public var duration: Double {
    guard let first = messages.first, let last = messages.last else { return 0 }
    return (Double(last.timeNs) - Double(first.timeNs)) / 1e9  // in Double: times come from files
  }
}
