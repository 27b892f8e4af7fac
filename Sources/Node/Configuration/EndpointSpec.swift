/// Where a socket attaches, in CZMQ's notation: "@tcp://*:5555" binds, ">tcp://host:5555"
/// connects; without a prefix the socket's default applies. Several endpoints may be given.
public struct EndpointSpec: Sendable, Equatable, CustomStringConvertible {
  /// Bind (listen) or connect.
  public enum Mode: Sendable, Equatable { case bind, connect }

  public var mode: Mode
  /// The ZeroMQ endpoint ("tcp://127.0.0.1:5555", "ipc:///tmp/x", "inproc://x").
  public var endpoint: String

  public init(_ mode: Mode, _ endpoint: String) {
    self.mode = mode
    self.endpoint = endpoint
  }

  /// Parses "@endpoint", ">endpoint" or "endpoint" (then `defaultMode`).
  public init(parsing text: String, defaultMode: Mode) {
    if text.hasPrefix("@") {
      self.init(.bind, String(text.dropFirst()))
    } else if text.hasPrefix(">") {
      self.init(.connect, String(text.dropFirst()))
    } else {
      self.init(defaultMode, text)
    }
  }

  public var description: String { (mode == .bind ? "@" : ">") + endpoint }

  /// Attaches `socket`.
  public func attach(_ socket: ZMQSocket) throws {
    switch mode {
    case .bind: try socket.bind(endpoint)
    case .connect: try socket.connect(endpoint)
    }
  }
}
