import Foundation
import Logging

/// The ZeroMQ authentication handler (ZAP, RFC 27) of a secure node: a REP socket on
/// `inproc://zeromq.zap.01`, on its own thread, that libzmq asks about every CURVE handshake
/// of the context's server sockets. It accepts exactly the public keys of the allowlist and
/// counts every refusal; it also watches the server sockets' monitors so a peer without keys
/// (NULL mechanism against a CURVE socket), which ZAP never hears of, is counted too.
final class ZAPHandler: @unchecked Sendable {
  /// The endpoint libzmq sends ZAP requests to.
  static let endpoint = "inproc://zeromq.zap.01"

  /// Counts since start, read by the status builder.
  struct Counts: Sendable, Equatable {
    /// Handshakes the allowlist accepted.
    var accepted: UInt64 = 0
    /// Handshakes refused: unknown key (ZAP) or failed handshake (e.g. no keys at all).
    var refused: UInt64 = 0
    /// Refusals by reason ("unknown_key", "handshake_failed").
    var byReason: [String: UInt64] = [:]
  }

  let counts = Protected(Counts())
  private let allowed: [String: String]
  private let socket: ZMQSocket
  private var monitors: [ZMQSocket] = []
  private let logger: Logger
  private let stopRequested = Protected(false)
  private let done = DispatchSemaphore(value: 0)
  private var started = false

  /// Binds the handler in `context`; `allowed` maps names (key file names) to Z85 public keys.
  init(context: ZMQContext, allowed: [String: String], logger: Logger) throws {
    self.allowed = allowed
    self.logger = logger
    socket = try ZMQSocket(context, type: .rep)
    try socket.bind(Self.endpoint)
  }

  /// Counts failed handshakes of `server` (call before `start`).
  func watch(_ server: ZMQSocket, name: String) throws {
    let endpoint = "inproc://r4ncl-monitor-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    try server.monitor(endpoint, events: [.handshakeFailedProtocol, .handshakeFailedNoDetail])
    let pair = try ZMQSocket(server.context, type: .pair)
    try pair.connect(endpoint)
    monitors.append(pair)
  }

  func start() {
    started = true
    let thread = Thread { [self] in
      run()
      done.signal()
    }
    thread.name = "r4ncl-zap"
    thread.start()
  }

  /// Stops the thread and closes its sockets (before the context terminates).
  func stop() {
    stopRequested.withLock { $0 = true }
    if started { done.wait() } else { close() }
  }

  private func close() {
    socket.close()
    for monitor in monitors { monitor.close() }
  }

  private func run() {
    var poller = ZMQPoller()
    poller.add(socket)
    for monitor in monitors { poller.add(monitor) }
    while !stopRequested.current {
      do {
        let ready = try poller.poll(timeoutMilliseconds: 100)
        if ready[0], let frames = try socket.receive(dontWait: true) { try socket.send(answer(frames)) }
        for (index, monitor) in monitors.enumerated() where ready[index + 1] {
          while let frames = try monitor.receive(dontWait: true) {
            guard let event = ZMQSocket.monitorEvent(from: frames) else { continue }
            count(refusal: "handshake_failed")
            logger.warning("security: refused a peer on \(event.endpoint): handshake failed (no or wrong CURVE keys)")
          }
        }
      } catch let error as ZMQError where error.isTerminated {
        break
      } catch {
        logger.error("ZAP handler: \(error)")
      }
    }
    close()
  }

  /// The ZAP reply to one request: version, request id, status code and text, user id, metadata.
  private func answer(_ frames: [[UInt8]]) -> [[UInt8]] {
    func reply(_ code: String, _ text: String, user: String = "") -> [[UInt8]] {
      [Array("1.0".utf8), frames.count > 1 ? frames[1] : [], Array(code.utf8), Array(text.utf8), Array(user.utf8), []]
    }
    guard frames.count >= 6, frames[0] == Array("1.0".utf8) else {
      count(refusal: "bad_zap_request")
      return reply("500", "malformed ZAP request")
    }
    let mechanism = String(decoding: frames[5], as: UTF8.self)
    let address = String(decoding: frames[3], as: UTF8.self)
    guard mechanism == "CURVE", frames.count >= 7, let key = ZMQCurve.z85(frames[6]) else {
      count(refusal: "wrong_mechanism")
      logger.warning("security: refused \(address): mechanism \(mechanism), CURVE required")
      return reply("400", "CURVE required")
    }
    if let name = allowed.first(where: { $0.value == key })?.key {
      counts.withLock { $0.accepted += 1 }
      return reply("200", "OK", user: name)
    }
    count(refusal: "unknown_key")
    logger.warning("security: refused \(address): public key \(key) is not in the allowed keys")
    return reply("400", "key not allowed")
  }

  private func count(refusal reason: String) {
    counts.withLock {
      $0.refused += 1
      $0.byReason[reason, default: 0] += 1
    }
  }
}
