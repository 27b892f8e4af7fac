import CZeroMQ

/// Typed socket options. Getters and setters throw `ZMQError` naming the option.
extension ZMQSocket {
  /// Messages queued for sending per peer before the socket drops (PUB) or blocks (REQ).
  public func setSendHighWaterMark(_ value: Int32) throws {
    try setOption(ZMQ_SNDHWM, value, name: "ZMQ_SNDHWM")
  }

  /// Messages queued on receive before libzmq stops reading from the network (SUB drops).
  public func setReceiveHighWaterMark(_ value: Int32) throws {
    try setOption(ZMQ_RCVHWM, value, name: "ZMQ_RCVHWM")
  }

  /// How long `close` waits to deliver queued messages, milliseconds (-1 forever, 0 never).
  public func setLinger(_ milliseconds: Int32) throws {
    try setOption(ZMQ_LINGER, milliseconds, name: "ZMQ_LINGER")
  }

  /// Blocking `receive` returns nil after this many milliseconds (-1 waits forever).
  public func setReceiveTimeout(_ milliseconds: Int32) throws {
    try setOption(ZMQ_RCVTIMEO, milliseconds, name: "ZMQ_RCVTIMEO")
  }

  /// Blocking `send` returns false after this many milliseconds (-1 waits forever).
  public func setSendTimeout(_ milliseconds: Int32) throws {
    try setOption(ZMQ_SNDTIMEO, milliseconds, name: "ZMQ_SNDTIMEO")
  }

  /// Peers that send a frame larger than this many bytes are disconnected (-1 no limit).
  public func setMaxMessageSize(_ bytes: Int64) throws {
    var value = bytes
    if zmq_setsockopt(try open("zmq_setsockopt"), ZMQ_MAXMSGSIZE, &value, MemoryLayout<Int64>.size) != 0 {
      throw ZMQError.last("zmq_setsockopt(ZMQ_MAXMSGSIZE)")
    }
  }

  /// Queue messages only to completed connections (no queueing to peers still connecting).
  public func setImmediate(_ on: Bool) throws {
    try setOption(ZMQ_IMMEDIATE, on ? 1 : 0, name: "ZMQ_IMMEDIATE")
  }

  /// A REQ socket may send a request again before the reply to the last one arrived (a lost
  /// request is retried on the same socket), and takes only the reply to the latest request.
  public func setRequestRetries() throws {
    try setOption(ZMQ_REQ_RELAXED, 1, name: "ZMQ_REQ_RELAXED")
    try setOption(ZMQ_REQ_CORRELATE, 1, name: "ZMQ_REQ_CORRELATE")
  }

  /// An XPUB socket passes every subscription message up, not only new ones.
  public func setXPubVerbose(_ on: Bool) throws {
    try setOption(ZMQ_XPUB_VERBOSE, on ? 1 : 0, name: "ZMQ_XPUB_VERBOSE")
  }

  // MARK: - CURVE security

  /// Makes the socket a CURVE server with `secretKey` (40 Z85 characters).
  public func setCurveServer(secretKey: String) throws {
    try setOption(ZMQ_CURVE_SERVER, 1, name: "ZMQ_CURVE_SERVER")
    try setZ85(ZMQ_CURVE_SECRETKEY, secretKey, name: "ZMQ_CURVE_SECRETKEY")
  }

  /// Makes the socket a CURVE client of the server whose public key is `serverKey`.
  public func setCurveClient(publicKey: String, secretKey: String, serverKey: String) throws {
    try setZ85(ZMQ_CURVE_PUBLICKEY, publicKey, name: "ZMQ_CURVE_PUBLICKEY")
    try setZ85(ZMQ_CURVE_SECRETKEY, secretKey, name: "ZMQ_CURVE_SECRETKEY")
    try setZ85(ZMQ_CURVE_SERVERKEY, serverKey, name: "ZMQ_CURVE_SERVERKEY")
  }

  /// The ZAP domain requests of this socket are authenticated under.
  public func setZAPDomain(_ domain: String) throws {
    try setBytes(ZMQ_ZAP_DOMAIN, Array(domain.utf8), name: "ZMQ_ZAP_DOMAIN")
  }

  // MARK: - Raw access

  /// Sets an integer option.
  public func setOption(_ option: Int32, _ value: Int32, name: String) throws {
    var value = value
    if zmq_setsockopt(try open("zmq_setsockopt"), option, &value, MemoryLayout<Int32>.size) != 0 {
      throw ZMQError.last("zmq_setsockopt(\(name))")
    }
  }

  /// Reads an integer option.
  public func intOption(_ option: Int32, name: String) throws -> Int32 {
    var value: Int32 = 0
    var size = MemoryLayout<Int32>.size
    if zmq_getsockopt(try open("zmq_getsockopt"), option, &value, &size) != 0 {
      throw ZMQError.last("zmq_getsockopt(\(name))")
    }
    return value
  }

  /// Sets a binary option.
  func setBytes(_ option: Int32, _ bytes: [UInt8], name: String) throws {
    let socket = try open("zmq_setsockopt")
    let result = bytes.withUnsafeBytes { zmq_setsockopt(socket, option, $0.baseAddress, $0.count) }
    if result != 0 { throw ZMQError.last("zmq_setsockopt(\(name))") }
  }

  func setZ85(_ option: Int32, _ key: String, name: String) throws {
    guard key.utf8.count == 40 else {
      throw ZMQError.invalidOption("\(name) must be 40 Z85 characters, got \(key.utf8.count)")
    }
    try setBytes(option, Array(key.utf8) + [0], name: name)
  }

  /// Reads a NUL-terminated string option.
  func stringOption(_ option: Int32, name: String) throws -> String {
    var buffer = [CChar](repeating: 0, count: 1024)
    var size = buffer.count
    if zmq_getsockopt(try open("zmq_getsockopt"), option, &buffer, &size) != 0 {
      throw ZMQError.last("zmq_getsockopt(\(name))")
    }
    return String(cString: buffer)
  }
}
