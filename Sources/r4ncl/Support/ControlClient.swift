import Foundation
import Node
import Proto

/// A REQ client of the node's control socket (status requests, bounded by timeouts).
final class ControlClient {
  let socket: ZMQSocket

  init(endpoint: String) throws {
    socket = try ZMQSocket(try ZMQContext(), type: .req)
    try socket.connect(endpoint)
    try socket.setReceiveTimeout(5000)
    try socket.setSendTimeout(5000)
  }

  func status() throws -> R4ncl_V1_NodeStatus {
    var request = R4ncl_V1_ControlRequest()
    request.status = R4ncl_V1_GetStatus()
    _ = try socket.send([try request.serializedBytes()])
    guard let frames = try socket.receive(), frames.count == 1 else { throw CommandFailure("no control reply within 5 s") }
    return try R4ncl_V1_ControlReply(serializedBytes: frames[0]).status
  }
}
