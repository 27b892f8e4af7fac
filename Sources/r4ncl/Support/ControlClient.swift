import Foundation
import Node
import Proto

/// A REQ client of the node's control socket (one request, one reply, bounded by timeouts).
final class ControlClient {
  let socket: ZMQSocket
  let endpoint: String
  let timeout: Double

  /// Connects to `endpoint`; each request fails after `timeout` seconds without a reply.
  init(endpoint: String, timeout: Double = 5) throws {
    self.endpoint = endpoint
    self.timeout = timeout
    socket = try ZMQSocket(try ZMQContext(), type: .req)
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
    let silent = CommandFailure("no reply from the node's control socket \(endpoint) within \(Self.seconds(timeout)) s")
    guard try socket.send([try request.serializedBytes()]) else { throw silent }
    guard let frames = try socket.receive(), frames.count == 1 else { throw silent }
    guard let reply = try? R4ncl_V1_ControlReply(serializedBytes: frames[0]) else {
      throw CommandFailure("\(endpoint) answered with something that is not a ControlReply (\(frames[0].count) bytes)")
    }
    return reply
  }

  func status() throws -> R4ncl_V1_NodeStatus {
    try request { $0.status = R4ncl_V1_GetStatus() }.status
  }

  static func seconds(_ value: Double) -> String { String(format: "%g", value) }
}
