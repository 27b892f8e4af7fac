import Foundation

extension NodeConfiguration {
  /// A configuration whose four node sockets bind random loopback TCP ports (resolved at start),
  /// with checkpoints and spool under `directory` when given: for tools and tests that run a node
  /// in-process next to their own peers.
  public static func loopback(namespace: String, directory: String? = nil) -> NodeConfiguration {
    var configuration = NodeConfiguration()
    configuration.namespace = namespace
    let any = [EndpointSpec(.bind, "tcp://127.0.0.1:*")]
    configuration.spikeEndpoints = any
    configuration.labelEndpoints = any
    configuration.outputEndpoints = any
    configuration.controlEndpoints = any
    if let directory {
      configuration.checkpointDirectory = directory + "/ckpt"
      configuration.spoolDirectory = directory + "/spool"
    }
    return configuration
  }
}
