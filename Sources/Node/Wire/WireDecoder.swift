import Proto
import SwiftProtobuf

/// Decodes a payload frame as the message type its topic carries, telling "not protobuf at
/// all" from "a valid message of another type". Protobuf is not self-describing, so a message
/// counts as the expected type only if it decodes with no unknown fields; otherwise it is a
/// wrong type when some other r4ncl.v1 message decodes it cleanly.
public enum WireDecoder {
  /// The top-level messages of the protocol, tried when the expected type fails.
  static let otherTypes: [any SwiftProtobuf.Message.Type] = [
    R4ncl_V1_SpikeSample.self, R4ncl_V1_LabelEvent.self, R4ncl_V1_Prediction.self,
    R4ncl_V1_Checkpoint.self, R4ncl_V1_ReplayShard.self, R4ncl_V1_NodeStatus.self,
    R4ncl_V1_ControlRequest.self, R4ncl_V1_ControlReply.self,
  ]

  /// Decodes `payload` as `M`, or says why it cannot: `.oversized` beyond `maxBytes`,
  /// `.wrongMessageType` or `.notProtobuf`.
  public static func decode<M: SwiftProtobuf.Message>(
    _ type: M.Type, from payload: [UInt8], maxBytes: Int
  ) -> Result<M, RejectionReason> {
    guard payload.count <= maxBytes else { return .failure(.oversized) }
    if let message = strictDecode(type, payload) { return .success(message) }
    for other in otherTypes where other != type {
      if strictDecode(other, payload) != nil { return .failure(.wrongMessageType) }
    }
    return .failure(.notProtobuf)
  }

  private static func strictDecode<M: SwiftProtobuf.Message>(_ type: M.Type, _ payload: [UInt8]) -> M? {
    guard let message = try? M(serializedBytes: payload), message.unknownFields.data.isEmpty else {
      return nil
    }
    return message
  }
}
