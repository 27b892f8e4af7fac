import Foundation
import XCTest

@testable import Node

/// Bounded receive helpers: every wait in NodeTests has a timeout, so no test can hang.
enum ZMQTestSupport {
  /// Publishes `probe` on `pub` until `sub` receives something (the PUB/SUB slow-joiner
  /// handshake: the subscription needs time to reach the publisher). Returns the first
  /// message received, or fails after `timeout` seconds.
  static func handshake(
    pub: ZMQSocket, sub: ZMQSocket, probe: [[UInt8]], timeout: TimeInterval = 5,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> [[UInt8]]? {
    var poller = ZMQPoller()
    poller.add(sub)
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      try pub.send(probe)
      if try poller.poll(timeoutMilliseconds: 20)[0] { return try sub.receive(dontWait: true) }
    }
    XCTFail("no message through PUB/SUB within \(timeout) s", file: file, line: line)
    return nil
  }

  /// Receives messages until `sub` has been quiet for `quietMilliseconds` (drains probes).
  static func drain(_ socket: ZMQSocket, quietMilliseconds: Int = 50) throws -> [[[UInt8]]] {
    var poller = ZMQPoller()
    poller.add(socket)
    var messages: [[[UInt8]]] = []
    while try poller.poll(timeoutMilliseconds: quietMilliseconds)[0] {
      if let message = try socket.receive(dontWait: true) { messages.append(message) }
    }
    return messages
  }
}

extension String {
  var bytes: [UInt8] { Array(utf8) }
}
