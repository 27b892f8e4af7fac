import Foundation
import Node
import Proto

/// A REQ client of the node's control socket (status requests, bounded by timeouts).
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
    try socket.setReceiveTimeout(Int32(timeout * 1000))
    try socket.setSendTimeout(Int32(timeout * 1000))
  }

  func status() throws -> R4ncl_V1_NodeStatus {
    var request = R4ncl_V1_ControlRequest()
    request.status = R4ncl_V1_GetStatus()
    let silent = CommandFailure("no reply from the node's control socket \(endpoint) within \(Self.seconds(timeout)) s")
    guard try socket.send([try request.serializedBytes()]) else { throw silent }
    guard let frames = try socket.receive(), frames.count == 1 else { throw silent }
    return try R4ncl_V1_ControlReply(serializedBytes: frames[0]).status
  }

  static func seconds(_ value: Double) -> String { String(format: "%g", value) }
}
