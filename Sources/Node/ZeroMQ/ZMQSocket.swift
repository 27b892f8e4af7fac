import CZeroMQ

/// One ZeroMQ socket. Not thread-safe (libzmq's rule): create it, use it and close it on one
/// thread, or hand it over completely. Messages are multipart: an array of frames.
///
/// New sockets get `linger = 0`, so closing never blocks on undelivered messages; a sender
/// that must flush before exit (e.g. `r4ncl play`) sets a positive linger.
public final class ZMQSocket: @unchecked Sendable {
  /// The context the socket belongs to (kept alive as long as the socket).
  public let context: ZMQContext
  /// The socket's pattern.
  public let type: ZMQSocketType
  private(set) var handle: UnsafeMutableRawPointer?

  /// Creates a socket of `type` in `context`.
  public init(_ context: ZMQContext, type: ZMQSocketType) throws {
    guard let handle = zmq_socket(context.handle, type.rawValue) else {
      throw ZMQError.last("zmq_socket")
    }
    self.context = context
    self.type = type
    self.handle = handle
    try setOption(ZMQ_LINGER, Int32(0), name: "ZMQ_LINGER")
  }

  deinit { close() }

  /// Closes the socket; further calls on it throw ENOTSOCK. Idempotent.
  public func close() {
    if let handle { zmq_close(handle) }
    handle = nil
  }

  func open(_ function: String) throws -> UnsafeMutableRawPointer {
    guard let handle else { throw ZMQError.call(function, code: ENOTSOCK) }
    return handle
  }

  // MARK: - Endpoints

  /// Binds to `endpoint` (e.g. "tcp://127.0.0.1:*", "ipc:///tmp/x", "inproc://x").
  public func bind(_ endpoint: String) throws {
    try Self.checkPort(endpoint)
    if zmq_bind(try open("zmq_bind"), endpoint) != 0 { throw ZMQError.last("zmq_bind(\(endpoint))") }
  }

  /// Connects to `endpoint`; libzmq connects in the background and reconnects on loss.
  public func connect(_ endpoint: String) throws {
    try Self.checkPort(endpoint)
    if zmq_connect(try open("zmq_connect"), endpoint) != 0 {
      throw ZMQError.last("zmq_connect(\(endpoint))")
    }
  }

  /// A TCP endpoint's port must be "*" or 0...65535: libzmq takes "tcp://host:99999" and binds
  /// or connects to port 34463 (99999 mod 65536) without a word.
  static func checkPort(_ endpoint: String) throws {
    guard endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":") else { return }
    let port = endpoint[endpoint.index(after: colon)...]
    guard port != "*" else { return }
    guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber), let value = Int(port), value <= 65535 else {
      throw ZMQError.invalidEndpoint(endpoint, reason: "the port must be * or 0...65535, got '\(port)'")
    }
  }

  /// Stops listening on a bound `endpoint` (use `lastEndpoint` for wildcard binds).
  public func unbind(_ endpoint: String) throws {
    if zmq_unbind(try open("zmq_unbind"), endpoint) != 0 {
      throw ZMQError.last("zmq_unbind(\(endpoint))")
    }
  }

  /// Disconnects from a connected `endpoint`.
  public func disconnect(_ endpoint: String) throws {
    if zmq_disconnect(try open("zmq_disconnect"), endpoint) != 0 {
      throw ZMQError.last("zmq_disconnect(\(endpoint))")
    }
  }

  /// The endpoint of the last bind, with the real port of a "tcp://host:*" bind.
  public var lastEndpoint: String {
    get throws { try stringOption(ZMQ_LAST_ENDPOINT, name: "ZMQ_LAST_ENDPOINT") }
  }

  // MARK: - Subscriptions

  /// Subscribes a SUB socket to every message whose first frame starts with `prefix`
  /// ("" subscribes to everything).
  public func subscribe(_ prefix: String) throws {
    try setBytes(ZMQ_SUBSCRIBE, Array(prefix.utf8), name: "ZMQ_SUBSCRIBE")
  }

  /// Removes a subscription made with `subscribe`.
  public func unsubscribe(_ prefix: String) throws {
    try setBytes(ZMQ_UNSUBSCRIBE, Array(prefix.utf8), name: "ZMQ_UNSUBSCRIBE")
  }

  // MARK: - Messages

  /// Sends `frames` as one multipart message (delivered all or nothing).
  /// With `dontWait`, returns false instead of blocking when the socket cannot send now
  /// (e.g. a REQ socket's peer queue is full); a PUB socket never blocks, it drops.
  /// Also returns false when a send timeout expires.
  @discardableResult
  public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws -> Bool {
    let socket = try open("zmq_send")
    precondition(!frames.isEmpty, "a ZeroMQ message needs at least one frame")
    for (index, frame) in frames.enumerated() {
      var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
      if index < frames.count - 1 { flags |= ZMQ_SNDMORE }
      var result: Int32
      repeat {
        result = frame.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, flags) }
      } while result < 0 && zmq_errno() == EINTR  // see `receive`
      if result < 0 {
        // libzmq queues a multipart message atomically: EAGAIN can only happen on the first frame.
        if zmq_errno() == EAGAIN { return false }
        throw ZMQError.last("zmq_send")
      }
    }
    return true
  }

  /// Sends a `[topic, payload]` message.
  @discardableResult
  public func send(topic: String, payload: [UInt8], dontWait: Bool = false) throws -> Bool {
    try send([Array(topic.utf8), payload], dontWait: dontWait)
  }

  /// Receives one multipart message. Returns nil when nothing arrived: immediately with
  /// `dontWait`, else after the receive timeout (`receiveTimeout`, default: wait forever).
  /// A signal landing on the blocked thread (EINTR) does not end the wait: the tools' signal
  /// traps stop a receive by shutting the context down (ETERM), which can arrive a moment later.
  public func receive(dontWait: Bool = false) throws -> [[UInt8]]? {
    let socket = try open("zmq_msg_recv")
    var frames: [[UInt8]] = []
    var message = zmq_msg_t()
    var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
    while true {
      zmq_msg_init(&message)
      defer { zmq_msg_close(&message) }
      let size = zmq_msg_recv(&message, socket, flags)
      if size < 0 {
        if zmq_errno() == EINTR { continue }
        if zmq_errno() == EAGAIN && frames.isEmpty { return nil }
        throw ZMQError.last("zmq_msg_recv")
      }
      let data = zmq_msg_data(&message)
      frames.append(
        size == 0 || data == nil
          ? [] : Array(UnsafeRawBufferPointer(start: data, count: Int(size))))
      if zmq_msg_more(&message) == 0 { return frames }
      // The remaining frames of a multipart message are already here (atomic delivery).
      flags = 0
    }
  }
}
