import ArgumentParser
import Foundation
import Node

/// `r4ncl proxy`: an XSUB/XPUB forwarder (`zmq_proxy`), the hub publishers and subscribers of
/// a multi-process stack connect to.
struct ProxyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "proxy", abstract: "Forward pub/sub traffic between an XSUB and an XPUB endpoint.")

  @Option(name: .long, help: "Where publishers connect (XSUB), @bind or >connect.")
  var frontend = "@tcp://127.0.0.1:6000"

  @Option(name: .long, help: "Where subscribers connect (XPUB), @bind or >connect.")
  var backend = "@tcp://127.0.0.1:6001"

  @Option(name: .long, help: "High-water mark of both sides, messages.")
  var hwm: Int32 = 10_000

  func run() throws {
    let context = try ZMQContext()
    let xsub = try ZMQSocket(context, type: .xsub)
    let xpub = try ZMQSocket(context, type: .xpub)
    try xsub.setReceiveHighWaterMark(hwm)
    try xpub.setSendHighWaterMark(hwm)
    try EndpointSpec(parsing: frontend, defaultMode: .bind).attach(xsub)
    try EndpointSpec(parsing: backend, defaultMode: .bind).attach(xpub)
    print("proxy: publishers -> \(frontend), subscribers -> \(backend)")
    fflush(stdout)
    let trap = SignalTrap { _ in context.shutdown() }
    try ZMQProxy.run(frontend: xsub, backend: xpub)
    withExtendedLifetime(trap) {}
    print("proxy: stopped")
  }
}
