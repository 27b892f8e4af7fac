import Foundation
import Proto
import SwiftProtobuf

/// Renders a `[topic, payload]` message as one line for `r4ncl echo`: the payload is decoded
/// as the type its topic carries and printed as JSON; bulky fields (spike events, tensors,
/// shard payloads) are summarised unless `full` is set.
public enum MessageFormatter {
  /// The message type a topic carries, by its last segments; nil for unknown topics.
  public static func messageType(ofTopic topic: String) -> (any SwiftProtobuf.Message.Type)? {
    let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
    if parts.count >= 2 && parts[parts.count - 2] == "spikes" { return R4ncl_V1_SpikeSample.self }
    switch parts.last ?? "" {
    case "labels": return R4ncl_V1_LabelEvent.self
    case "pred": return R4ncl_V1_Prediction.self
    case "ckpt": return R4ncl_V1_Checkpoint.self
    case "replay": return R4ncl_V1_ReplayShard.self
    case "status": return R4ncl_V1_NodeStatus.self
    default: return nil
    }
  }

  /// One line: "<topic> <json>", or a note when the payload does not decode.
  public static func line(topic: String, payload: [UInt8], full: Bool = false) -> String {
    guard let type = messageType(ofTopic: topic) else {
      return "\(topic) <\(payload.count) bytes, unknown topic: \(hex(payload.prefix(32)))>"
    }
    guard var message = try? type.init(serializedBytes: payload) else {
      return "\(topic) <\(payload.count) bytes, not a valid \(type.protoMessageName)>"
    }
    var note = ""
    if !full { (message, note) = summarised(message) }
    let json = (try? message.jsonString()) ?? "{}"
    return note.isEmpty ? "\(topic) \(json)" : "\(topic) \(json) (\(note))"
  }

  private static func summarised(_ message: any SwiftProtobuf.Message) -> (any SwiftProtobuf.Message, String) {
    switch message {
    case var sample as R4ncl_V1_SpikeSample:
      let count = sample.times.count
      let duration = sample.times.last ?? 0
      sample.times = []
      sample.units = []
      return (sample, "\(count) events over \(String(format: "%.3f", duration)) s")
    case var event as R4ncl_V1_LabelEvent:
      if case .samples(var batch)? = event.event {
        let count = batch.samples.count
        batch.samples = []
        event.samples = batch
        return (event, "\(count) samples")
      }
      return (event, "")
    case var checkpoint as R4ncl_V1_Checkpoint:
      let shapes = checkpoint.tensors.map { "\($0.name)\($0.shape)" }.joined(separator: " ")
      checkpoint.tensors = []
      checkpoint.engineState = Data()
      return (checkpoint, "tensors \(shapes)")
    case var shard as R4ncl_V1_ReplayShard:
      let bytes = shard.payload.count
      shard.payload = Data()
      shard.readout = []
      return (shard, "chunk payload \(bytes) bytes")
    default:
      return (message, "")
    }
  }

  static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    bytes.map { String(format: "%02x", $0) }.joined()
  }
}
