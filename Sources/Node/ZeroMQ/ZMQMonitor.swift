import CZeroMQ

/// Socket events of interest to security (failed handshakes: wrong mechanism, bad key) and to
/// requests waiting for a reply (a dropped connection).
public struct ZMQMonitorEvents: OptionSet, Sendable {
  public let rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }
  /// The handshake failed without a ZMTP error (e.g. the peer hung up).
  public static let handshakeFailedNoDetail = ZMQMonitorEvents(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)
  /// The handshake failed on a protocol error (e.g. NULL mechanism against a CURVE server).
  public static let handshakeFailedProtocol = ZMQMonitorEvents(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
  /// The ZAP handler refused the peer.
  public static let handshakeFailedAuth = ZMQMonitorEvents(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
  /// An established connection closed (the peer hung up, or sent a message over the socket's
  /// maximum message size, which ZeroMQ refuses by closing the connection).
  public static let disconnected = ZMQMonitorEvents(rawValue: ZMQ_EVENT_DISCONNECTED)
  /// Every failed handshake.
  public static let handshakeFailed: ZMQMonitorEvents = [.handshakeFailedNoDetail, .handshakeFailedProtocol, .handshakeFailedAuth]
}

extension ZMQSocket {
  /// Publishes `events` of this socket on the PAIR endpoint `inproc` (`zmq_socket_monitor`);
  /// read them with a PAIR socket connected there and `ZMQSocket.monitorEvent(from:)`.
  public func monitor(_ inproc: String, events: ZMQMonitorEvents) throws {
    if zmq_socket_monitor(try open("zmq_socket_monitor"), inproc, events.rawValue) != 0 {
      throw ZMQError.last("zmq_socket_monitor(\(inproc))")
    }
  }

  /// The event number of a monitor message (frame 1: 16-bit event, 32-bit value; frame 2:
  /// the endpoint), or nil when the frames are not one.
  public static func monitorEvent(from frames: [[UInt8]]) -> (event: ZMQMonitorEvents, endpoint: String)? {
    guard frames.count == 2, frames[0].count >= 6 else { return nil }
    let event = Int32(frames[0][0]) | Int32(frames[0][1]) << 8
    return (ZMQMonitorEvents(rawValue: event), String(decoding: frames[1], as: UTF8.self))
  }
}
