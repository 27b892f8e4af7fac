import CZeroMQ

/// Waits until one of several sockets (or plain file descriptors, e.g. a wake-up pipe) has
/// something to read (`zmq_poll`), so one thread can serve every socket of the node without
/// blocking on any of them.
public struct ZMQPoller {
  private enum Item {
    case socket(ZMQSocket)
    case descriptor(Int32)
  }
  private var items: [Item] = []

  public init() {}

  /// Adds `socket`; its index in `poll`'s result is the number of items added before it.
  @discardableResult
  public mutating func add(_ socket: ZMQSocket) -> Int {
    items.append(.socket(socket))
    return items.count - 1
  }

  /// Adds a file descriptor watched for readability.
  @discardableResult
  public mutating func add(fileDescriptor: Int32) -> Int {
    items.append(.descriptor(fileDescriptor))
    return items.count - 1
  }

  /// Number of items polled.
  public var count: Int { items.count }

  /// Waits up to `timeoutMilliseconds` (-1 forever, 0 just checks) and returns, per item
  /// in `add` order, whether it is readable. A signal interrupting the wait returns all false.
  public func poll(timeoutMilliseconds: Int) throws -> [Bool] {
    var pollItems = try items.map { item -> zmq_pollitem_t in
      switch item {
      case .socket(let socket):
        return zmq_pollitem_t(socket: try socket.open("zmq_poll"), fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
      case .descriptor(let fd):
        return zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0)
      }
    }
    let result = zmq_poll(&pollItems, Int32(pollItems.count), timeoutMilliseconds)
    if result < 0 {
      if zmq_errno() == EINTR { return [Bool](repeating: false, count: pollItems.count) }
      throw ZMQError.last("zmq_poll")
    }
    return pollItems.map { ($0.revents & Int16(ZMQ_POLLIN)) != 0 }
  }
}
