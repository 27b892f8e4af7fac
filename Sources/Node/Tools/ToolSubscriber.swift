/// The subscribing side of `r4ncl record` and `r4ncl bag record`, the twin of `ToolPublisher`:
/// a SUB socket attached to `endpoints` ("@bind", ">connect"; plain = connect) and subscribed to
/// `topic`, whose context SIGINT/SIGTERM shuts down, so a blocked poll or receive ends with
/// `ZMQError.isTerminated` and the tool writes what it has. Keep it alive while receiving (the
/// signal trap lives with it).
public final class ToolSubscriber {
  public let context: ZMQContext
  public let socket: ZMQSocket
  private let trap: SignalTrap

  public init(endpoints: [String], topic: String, receiveHighWaterMark: Int32? = nil) throws {
    let context = try ZMQContext()
    self.context = context
    socket = try ZMQSocket(context, type: .sub)
    if let receiveHighWaterMark { try socket.setReceiveHighWaterMark(receiveHighWaterMark) }
    for text in endpoints { try EndpointSpec(parsing: text, defaultMode: .connect).attach(socket) }
    try socket.subscribe(topic)
    trap = SignalTrap { _ in context.shutdown() }
  }
}
