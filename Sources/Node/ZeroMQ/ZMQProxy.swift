import CZeroMQ

/// The built-in forwarder (`zmq_proxy_steerable`): moves messages both ways between a
/// front-end and a back-end socket (XSUB/XPUB for a pub/sub hub) until told to stop.
public enum ZMQProxy {
  /// Runs the proxy on the calling thread until `control` (a PAIR/SUB socket) receives
  /// "TERMINATE" or the context is shut down. `capture` gets a copy of every message.
  /// Returns normally when stopped; throws for any other failure.
  public static func run(
    frontend: ZMQSocket, backend: ZMQSocket, capture: ZMQSocket? = nil, control: ZMQSocket? = nil
  ) throws {
    let result = zmq_proxy_steerable(
      try frontend.open("zmq_proxy"), try backend.open("zmq_proxy"), capture?.handle,
      control?.handle)
    if result != 0 {
      let error = ZMQError.last("zmq_proxy_steerable")
      if error.isTerminated { return }
      throw error
    }
  }
}
