import Foundation

/// A fixed-capacity FIFO between two threads. `push` never blocks: when full it drops the
/// oldest element and returns it, so the producer (the I/O thread) can count the drop and
/// fresh sensor data wins over stale. `pop` blocks until an element arrives or the queue closes.
public final class BoundedQueue<Element>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [Element?]
  private var head = 0
  private var size = 0
  private var closed = false
  /// The high-water mark: at most this many elements are queued.
  public let capacity: Int

  public init(capacity: Int) {
    precondition(capacity > 0, "queue capacity must be positive")
    self.capacity = capacity
    self.items = [Element?](repeating: nil, count: capacity)
  }

  /// Appends `element`; returns the dropped oldest element when the queue was full.
  /// After `close`, returns `element` itself (nothing is queued).
  public func push(_ element: Element) -> Element? {
    condition.lock()
    defer { condition.unlock() }
    if closed { return element }
    var dropped: Element?
    if size == capacity {
      dropped = items[head]
      items[head] = nil
      head = (head + 1) % capacity
      size -= 1
    }
    items[(head + size) % capacity] = element
    size += 1
    condition.signal()
    return dropped
  }

  /// Removes the oldest element, waiting for one; nil once the queue is closed and empty.
  public func pop() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while size == 0 && !closed { condition.wait() }
    return takeLocked()
  }

  /// Removes the oldest element if there is one, without waiting.
  public func tryPop() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    return takeLocked()
  }

  private func takeLocked() -> Element? {
    guard size > 0 else { return nil }
    let element = items[head]
    items[head] = nil
    head = (head + 1) % capacity
    size -= 1
    return element
  }

  /// Number of queued elements.
  public var count: Int {
    condition.lock()
    defer { condition.unlock() }
    return size
  }

  /// Stops accepting elements and wakes waiting consumers; queued elements can still be popped.
  public func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }
}
