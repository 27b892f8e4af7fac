/// The node's topic names under one namespace: `<ns>/spikes/<sensor>`, `<ns>/labels`,
/// `<ns>/pred`, `<ns>/ckpt`, `<ns>/replay`, `<ns>/status`. Topics are slash-hierarchical so a
/// prefix subscription ("<ns>/spikes/") matches a whole subtree.
public struct Topics: Sendable, Equatable {
  /// The namespace without leading or trailing slashes ("" for none).
  public let namespace: String

  /// Normalises `namespace` ("/drone1/" and "drone1" name the same namespace).
  public init(namespace: String) {
    var ns = Substring(namespace)
    while ns.hasPrefix("/") { ns = ns.dropFirst() }
    while ns.hasSuffix("/") { ns = ns.dropLast() }
    self.namespace = String(ns)
  }

  private func topic(_ name: String) -> String {
    namespace.isEmpty ? name : "\(namespace)/\(name)"
  }

  /// Prefix of every spike topic; the node subscribes to it.
  public var spikesPrefix: String { topic("spikes/") }
  /// The spike topic of one sensor.
  public func spikes(sensor: String) -> String { spikesPrefix + sensor }
  /// Label events from teachers.
  public var labels: String { topic("labels") }
  /// Predictions.
  public var predictions: String { topic("pred") }
  /// Checkpoints announced after every model swap.
  public var checkpoints: String { topic("ckpt") }
  /// Replay shards for swarm peers.
  public var replay: String { topic("replay") }
  /// Status heartbeat.
  public var status: String { topic("status") }

  /// The sensor named by a spike topic, or nil when `topic` is not one of this namespace.
  public func sensor(ofSpikeTopic topic: String) -> String? {
    guard topic.hasPrefix(spikesPrefix) else { return nil }
    let sensor = topic.dropFirst(spikesPrefix.count)
    return sensor.isEmpty ? nil : String(sensor)
  }
}
