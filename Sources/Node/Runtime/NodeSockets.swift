import Foundation

/// The node's sockets, created and attached by `start()` and then owned by the I/O thread.
final class NodeSockets {
  let context: ZMQContext
  let spikes: ZMQSocket
  let labels: ZMQSocket
  let output: ZMQSocket
  let control: ZMQSocket
  var poller = ZMQPoller()
  /// Endpoints as attached (wildcard binds resolved).
  var endpoints: [String: [String]] = [:]

  init(configuration: NodeConfiguration, topics: Topics, wake: WakePipe) throws {
    context = try ZMQContext()
    spikes = try ZMQSocket(context, type: .sub)
    labels = try ZMQSocket(context, type: .sub)
    output = try ZMQSocket(context, type: .pub)
    control = try ZMQSocket(context, type: .rep)
    let maxBytes = Int64(configuration.limits.maxPayloadBytes) + 4096
    for socket in [spikes, labels] {
      try socket.setReceiveHighWaterMark(configuration.inputHighWaterMark)
      // Frames beyond the limit never reach us: libzmq drops the connection (counted as a gap).
      try socket.setMaxMessageSize(maxBytes)
    }
    try control.setMaxMessageSize(maxBytes)
    try output.setSendHighWaterMark(configuration.outputHighWaterMark)
    try spikes.subscribe(topics.spikesPrefix)
    try labels.subscribe(topics.labels)
    try attach(spikes, "spikes", configuration.spikeEndpoints)
    try attach(labels, "labels", configuration.labelEndpoints)
    try attach(output, "output", configuration.outputEndpoints)
    try attach(control, "control", configuration.controlEndpoints)
    poller.add(spikes)
    poller.add(labels)
    poller.add(control)
    poller.add(fileDescriptor: wake.readDescriptor)
  }

  private func attach(_ socket: ZMQSocket, _ name: String, _ specs: [EndpointSpec]) throws {
    for spec in specs {
      try spec.attach(socket)
      endpoints[name, default: []].append(spec.mode == .bind ? try socket.lastEndpoint : spec.endpoint)
    }
  }

  func close() {
    for socket in [spikes, labels, output, control] { socket.close() }
  }
}
