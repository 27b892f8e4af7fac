import CZeroMQ
import Foundation
import XCTest

@testable import Node

final class ZMQSocketTests: XCTestCase {
  func testPairOverInprocCarriesMultipartFramesExactly() throws {
    let context = try ZMQContext()
    let a = try ZMQSocket(context, type: .pair)
    let b = try ZMQSocket(context, type: .pair)
    try a.bind("inproc://pair-test")
    try b.connect("inproc://pair-test")
    try b.setReceiveTimeout(2000)
    let frames: [[UInt8]] = ["topic/x".bytes, [], [0, 255, 1, 2, 3]]
    XCTAssertTrue(try a.send(frames))
    XCTAssertEqual(try b.receive(), frames)
  }

  func testWildcardTCPBindReportsTheRealPort() throws {
    let context = try ZMQContext()
    let rep = try ZMQSocket(context, type: .rep)
    try rep.bind("tcp://127.0.0.1:*")
    let endpoint = try rep.lastEndpoint
    XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:"), endpoint)
    let port = Int(endpoint.split(separator: ":").last ?? "")
    XCTAssertNotNil(port)
    XCTAssertGreaterThan(port ?? 0, 0)
  }

  func testRequestReplyOverTCP() throws {
    let context = try ZMQContext()
    let rep = try ZMQSocket(context, type: .rep)
    try rep.bind("tcp://127.0.0.1:*")
    let req = try ZMQSocket(context, type: .req)
    try req.connect(try rep.lastEndpoint)
    try rep.setReceiveTimeout(2000)
    try req.setReceiveTimeout(2000)
    try req.send(["ping".bytes])
    XCTAssertEqual(try rep.receive(), ["ping".bytes])
    try rep.send(["pong".bytes, [7]])
    XCTAssertEqual(try req.receive(), ["pong".bytes, [7]])
  }

  func testReceiveTimesOutWithNilAndDontWaitReturnsAtOnce() throws {
    let context = try ZMQContext()
    let sub = try ZMQSocket(context, type: .sub)
    try sub.bind("inproc://quiet")
    try sub.subscribe("")
    XCTAssertNil(try sub.receive(dontWait: true))
    try sub.setReceiveTimeout(30)
    let start = Date()
    XCTAssertNil(try sub.receive())
    XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.02)
  }

  func testSubscriberGetsOnlyItsTopicPrefixOverTCP() throws {
    let context = try ZMQContext()
    let pub = try ZMQSocket(context, type: .pub)
    try pub.bind("tcp://127.0.0.1:*")
    let sub = try ZMQSocket(context, type: .sub)
    try sub.connect(try pub.lastEndpoint)
    try sub.subscribe("ns/spikes/")
    let probe = ["ns/spikes/probe".bytes, []]
    XCTAssertEqual(try ZMQTestSupport.handshake(pub: pub, sub: sub, probe: probe), probe)
    _ = try ZMQTestSupport.drain(sub)
    try pub.send(["ns/labels".bytes, [1]])
    try pub.send(["ns/spikes/mic0".bytes, [2]])
    try pub.send(["other/spikes/mic0".bytes, [3]])
    try pub.send(["ns/spikes/mic1".bytes, [4]])
    try sub.setReceiveTimeout(2000)
    XCTAssertEqual(try sub.receive(), ["ns/spikes/mic0".bytes, [2]])
    XCTAssertEqual(try sub.receive(), ["ns/spikes/mic1".bytes, [4]])
    XCTAssertNil(try sub.receive(dontWait: true))
  }

  func testBindingAPortInUseIsAClearError() throws {
    let context = try ZMQContext()
    let first = try ZMQSocket(context, type: .pub)
    try first.bind("tcp://127.0.0.1:*")
    let endpoint = try first.lastEndpoint
    let second = try ZMQSocket(context, type: .pub)
    XCTAssertThrowsError(try second.bind(endpoint)) { error in
      guard let error = error as? ZMQError else { return XCTFail("not a ZMQError: \(error)") }
      XCTAssertEqual(error.code, EADDRINUSE)
      XCTAssertTrue(error.description.contains(endpoint), error.description)
      XCTAssertTrue(error.description.lowercased().contains("in use"), error.description)
    }
  }

  /// libzmq reads "tcp://host:99999" as port 34463; the wrapper refuses it before libzmq does.
  func testATCPPortBeyond65535IsRefused() throws {
    let context = try ZMQContext()
    let socket = try ZMQSocket(context, type: .pub)
    for endpoint in ["tcp://127.0.0.1:99999", "tcp://127.0.0.1:-1", "tcp://127.0.0.1:"] {
      XCTAssertThrowsError(try socket.bind(endpoint)) { XCTAssertTrue("\($0)".contains("the port must be * or 0...65535"), "\($0)") }
      XCTAssertThrowsError(try socket.connect(endpoint)) { XCTAssertTrue("\($0)".contains("the port must be * or 0...65535"), "\($0)") }
    }
    try socket.bind("tcp://127.0.0.1:*")
    try socket.connect("tcp://[::1]:65535")
  }

  func testInvalidEndpointAndClosedSocketThrow() throws {
    let context = try ZMQContext()
    let socket = try ZMQSocket(context, type: .pub)
    XCTAssertThrowsError(try socket.bind("nonsense://x"))
    socket.close()
    XCTAssertThrowsError(try socket.send(["x".bytes])) { error in
      XCTAssertEqual((error as? ZMQError)?.code, ENOTSOCK)
    }
  }

  func testCurveKeyOfWrongLengthIsRejected() throws {
    let context = try ZMQContext()
    let socket = try ZMQSocket(context, type: .pub)
    XCTAssertThrowsError(try socket.setCurveServer(secretKey: "short")) { error in
      XCTAssertTrue("\(error)".contains("40 Z85"), "\(error)")
    }
  }

  func testUnbindFreesThePortForAnotherSocket() throws {
    let context = try ZMQContext()
    let first = try ZMQSocket(context, type: .rep)
    try first.bind("tcp://127.0.0.1:*")
    let endpoint = try first.lastEndpoint
    try first.unbind(endpoint)
    let second = try ZMQSocket(context, type: .rep)
    // The listener closes asynchronously in libzmq's I/O thread: retry briefly, bounded.
    var bound = false
    for _ in 0..<100 where !bound {
      do { try second.bind(endpoint); bound = true } catch { usleep(10_000) }
    }
    XCTAssertTrue(bound, "could not rebind \(endpoint) after unbind")
  }

  /// A signal on the thread blocked in `receive` (EINTR) does not end the receive: it still
  /// returns the message that follows. Before, it threw "Interrupted system call", which made
  /// `echo` or `monitor` end with an error on Ctrl-C when the signal beat the context shutdown.
  func testReceiveRidesOutSignalsOnItsThread() throws {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in }  // a handler without SA_RESTART: syscalls see EINTR
    sigemptyset(&action.sa_mask)
    var previous = sigaction()
    XCTAssertEqual(sigaction(SIGUSR1, &action, &previous), 0)
    defer { sigaction(SIGUSR1, &previous, nil) }

    let context = try ZMQContext()
    let receiver = try ZMQSocket(context, type: .pair)
    let sender = try ZMQSocket(context, type: .pair)
    try receiver.bind("inproc://eintr")
    try sender.connect("inproc://eintr")
    try receiver.setReceiveTimeout(10_000)
    let started = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var receiverThread = pthread_self()
    nonisolated(unsafe) var outcome: Result<[[UInt8]]?, Error> = .success(nil)
    let thread = Thread {
      receiverThread = pthread_self()
      started.signal()
      outcome = Result { try receiver.receive() }
      finished.signal()
    }
    thread.start()
    started.wait()
    for _ in 0..<100 {  // signal the blocked thread many times, then send
      pthread_kill(receiverThread, SIGUSR1)
      usleep(1000)
    }
    XCTAssertTrue(try sender.send(["after the signals".bytes]))
    XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
    XCTAssertEqual(try outcome.get(), ["after the signals".bytes])
  }
}
