import Foundation
import XCTest

@testable import Node

final class ZMQPollerTests: XCTestCase {
  func testPollerReportsOnlyTheReadableSocket() throws {
    let context = try ZMQContext()
    let a1 = try ZMQSocket(context, type: .pair)
    let a2 = try ZMQSocket(context, type: .pair)
    let b1 = try ZMQSocket(context, type: .pair)
    let b2 = try ZMQSocket(context, type: .pair)
    try a1.bind("inproc://poll-a")
    try a2.connect("inproc://poll-a")
    try b1.bind("inproc://poll-b")
    try b2.connect("inproc://poll-b")
    var poller = ZMQPoller()
    XCTAssertEqual(poller.add(a2), 0)
    XCTAssertEqual(poller.add(b2), 1)
    XCTAssertEqual(try poller.poll(timeoutMilliseconds: 0), [false, false])
    try b1.send(["hi".bytes])
    XCTAssertEqual(try poller.poll(timeoutMilliseconds: 2000), [false, true])
    XCTAssertEqual(try b2.receive(dontWait: true), ["hi".bytes])
    XCTAssertEqual(try poller.poll(timeoutMilliseconds: 0), [false, false])
  }

  func testProxyForwardsPubSubAndStopsOnTerminate() throws {
    let context = try ZMQContext()
    let frontend = try ZMQSocket(context, type: .xsub)
    let backend = try ZMQSocket(context, type: .xpub)
    try frontend.bind("tcp://127.0.0.1:*")
    try backend.bind("tcp://127.0.0.1:*")
    let control = try ZMQSocket(context, type: .pair)
    let steer = try ZMQSocket(context, type: .pair)
    try control.bind("inproc://proxy-control")
    try steer.connect("inproc://proxy-control")

    let finished = expectation(description: "proxy returned")
    let thread = Thread {
      do { try ZMQProxy.run(frontend: frontend, backend: backend, control: control) } catch {
        XCTFail("proxy failed: \(error)")
      }
      finished.fulfill()
    }
    thread.start()

    let pub = try ZMQSocket(context, type: .pub)
    try pub.connect(try frontend.lastEndpoint)
    let sub = try ZMQSocket(context, type: .sub)
    try sub.connect(try backend.lastEndpoint)
    try sub.subscribe("t/")
    XCTAssertNotNil(try ZMQTestSupport.handshake(pub: pub, sub: sub, probe: ["t/probe".bytes]))
    _ = try ZMQTestSupport.drain(sub)
    try pub.send(["t/data".bytes, [42]])
    try sub.setReceiveTimeout(2000)
    XCTAssertEqual(try sub.receive(), ["t/data".bytes, [42]])

    try steer.send(["TERMINATE".bytes])
    wait(for: [finished], timeout: 5)
  }
}
