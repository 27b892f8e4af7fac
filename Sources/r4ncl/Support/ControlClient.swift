import Foundation
import Node
import Proto

/// A REQ client of the node's control socket (one request, one reply, bounded by timeouts). A
/// request without a reply is sent once more, as ZeroMQ's "lazy pirate" client does: a request
/// can be lost on the way (a port scanner's bytes on the node's control port made libzmq merge
/// them with the next client's request, whose reply then went nowhere).
final class ControlClient {
  let socket: ZMQSocket
  let endpoint: String
  let timeout: Double
  /// Times a request is sent before giving up.
  static let attempts = 2

  /// Connects to `endpoint`; each attempt of a request waits `timeout` seconds for the reply.
  init(endpoint: String, timeout: Double = 5) throws {
    self.endpoint = endpoint
    self.timeout = timeout
    socket = try ZMQSocket(try ZMQContext(), type: .req)
    try socket.setRequestRetries()
    try socket.connect(endpoint)
    let milliseconds = Clock.milliseconds(max(timeout, 0.001))
    try socket.setReceiveTimeout(milliseconds)
    try socket.setSendTimeout(milliseconds)
  }

  private var nextID: UInt64 = 0

  /// Sends the request `configure` makes and returns the node's reply (whether or not `ok`).
  func request(_ configure: (inout R4ncl_V1_ControlRequest) -> Void) throws -> R4ncl_V1_ControlReply {
    nextID += 1
    var request = R4ncl_V1_ControlRequest()
    request.id = nextID
    configure(&request)
    let silent = CommandFailure(
      "no reply from the node's control socket \(endpoint) within \(Self.seconds(timeout)) s (asked \(Self.attempts) times)")
    let bytes: [UInt8] = try request.serializedBytes()
    for _ in 0..<Self.attempts {
      guard try socket.send([bytes]) else { continue }
      guard let frames = try socket.receive() else { continue }
      guard frames.count == 1, let reply = try? R4ncl_V1_ControlReply(serializedBytes: frames[0]) else {
        throw CommandFailure("\(endpoint) answered with something that is not a ControlReply (\(frames.map(\.count)) bytes)")
      }
      return reply
    }
    throw silent
  }

  func status() throws -> R4ncl_V1_NodeStatus {
    try request { $0.status = R4ncl_V1_GetStatus() }.status
  }

  static func seconds(_ value: Double) -> String { String(format: "%g", value) }
}
