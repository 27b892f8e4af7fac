import Foundation

/// The publishing side of `r4ncl play` and `r4ncl label`: an XPUB socket (a PUB that also sees
/// subscriptions), so the tool can wait until a subscriber of its topic is connected before
/// sending: the slow-joiner handshake without guessing a delay.
public final class ToolPublisher {
  public let context: ZMQContext
  public let socket: ZMQSocket

  /// Attaches to `endpoints` ("@bind", ">connect"; plain = connect) with a send high-water mark
  /// of `hwm` and `linger` ms to flush at exit.
  public init(endpoints: [String], hwm: Int32 = 10_000, linger: Int32 = 2000) throws {
    context = try ZMQContext()
    socket = try ZMQSocket(context, type: .xpub)
    try socket.setSendHighWaterMark(hwm)
    try socket.setLinger(linger)
    for text in endpoints { try EndpointSpec(parsing: text, defaultMode: .connect).attach(socket) }
  }

  /// Waits up to `timeout` seconds for a subscription that matches `topic`; true when one came.
  public func waitForSubscriber(of topic: String, timeout: Double) throws -> Bool {
    try waitForSubscriber(ofAny: [topic], timeout: timeout)
  }

  /// Waits up to `timeout` seconds for a subscription that matches one of `topics`.
  public func waitForSubscriber(ofAny topics: [String], timeout: Double) throws -> Bool {
    var poller = ZMQPoller()
    poller.add(socket)
    let deadline = Clock.monotonicSeconds() + Double(Clock.milliseconds(timeout)) / 1000  // NaN waits 0 s
    while true {
      let left = deadline - Clock.monotonicSeconds()
      if left <= 0 { return false }
      guard try poller.poll(timeoutMilliseconds: Int(Clock.milliseconds(left)))[0] else { continue }
      while let frames = try socket.receive(dontWait: true) {
        // A subscription message is one frame: 0x01 followed by the subscribed prefix.
        guard let frame = frames.first, frame.first == 1 else { continue }
        let prefix = frame.dropFirst()
        if topics.contains(where: { Array($0.utf8).starts(with: prefix) }) { return true }
      }
    }
  }

  /// Publishes `[topic, payload]`; false when the high-water mark was reached (message dropped).
  @discardableResult
  public func send(topic: String, payload: [UInt8]) throws -> Bool {
    // Subscription messages pile up in the XPUB's receive queue; discard them as we go.
    while try socket.receive(dontWait: true) != nil {}
    return try socket.send(topic: topic, payload: payload, dontWait: true)
  }
}
