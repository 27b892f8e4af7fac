import CZeroMQ

/// Waits until one of several sockets has a message to read (`zmq_poll`), so one thread can
/// serve every socket of the node without blocking on any of them.
public struct ZMQPoller {
  private var sockets: [ZMQSocket] = []

  public init() {}

  /// Adds `socket`; its index in `poll`'s result is the number of sockets added before it.
  @discardableResult
  public mutating func add(_ socket: ZMQSocket) -> Int {
    sockets.append(socket)
    return sockets.count - 1
  }

  /// Number of sockets polled.
  public var count: Int { sockets.count }

  /// Waits up to `timeoutMilliseconds` (-1 forever, 0 just checks) and returns, per socket
  /// in `add` order, whether it has a message ready to receive.
  /// A signal interrupting the wait returns all false.
  public func poll(timeoutMilliseconds: Int) throws -> [Bool] {
    var items = try sockets.map { socket -> zmq_pollitem_t in
      zmq_pollitem_t(socket: try socket.open("zmq_poll"), fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
    }
    let result = zmq_poll(&items, Int32(items.count), timeoutMilliseconds)
    if result < 0 {
      if zmq_errno() == EINTR { return [Bool](repeating: false, count: items.count) }
      throw ZMQError.last("zmq_poll")
    }
    return items.map { ($0.revents & Int16(ZMQ_POLLIN)) != 0 }
  }
}
