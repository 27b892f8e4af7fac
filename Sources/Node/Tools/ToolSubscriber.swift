/// The subscribing side of the tools (`echo`, `hz`, `monitor`, `record`, `bag record`), the twin
/// of `ToolPublisher`: a SUB socket attached to `endpoints` ("@bind", ">connect"; plain = connect)
/// and subscribed to `topics`, whose context SIGINT/SIGTERM shuts down, so a blocked poll or
/// receive ends with `ZMQError.isTerminated` and the tool finishes what it has. Keep it alive
/// while receiving (the signal trap lives with it).
public final class ToolSubscriber {
  public let context: ZMQContext
  public let socket: ZMQSocket
  private let trap: SignalTrap

  public init(endpoints: [String], topics: [String], receiveHighWaterMark: Int32? = nil) throws {
    let context = try ZMQContext()
    self.context = context
    socket = try ZMQSocket(context, type: .sub)
    if let receiveHighWaterMark { try socket.setReceiveHighWaterMark(receiveHighWaterMark) }
    for text in endpoints { try EndpointSpec(parsing: text, defaultMode: .connect).attach(socket) }
    for topic in topics { try socket.subscribe(topic) }
    trap = SignalTrap { _ in context.shutdown() }
  }

  public convenience init(endpoints: [String], topic: String, receiveHighWaterMark: Int32? = nil) throws {
    try self.init(endpoints: endpoints, topics: [topic], receiveHighWaterMark: receiveHighWaterMark)
  }
}
