import Learner

extension SpikingClassifier {
  /// The same model with class `from` moved to the free readout row `to` (its readout column,
  /// its name and, when the model learns, its replay latents: `ContinualSession.moveClass`),
  /// version + 1: how a node adopts the lower id a peer gave the same class name.
  func movingClass(_ from: Int, to: Int) throws -> SpikingClassifier {
    guard let name = classes.name(of: from), classes.name(of: to) == nil else {
      throw SwarmError.badShard(reason: "shard_class_conflict", detail: "cannot move class \(from) to \(to)")
    }
    let rows = network.config.classCount
    guard to < rows, from < rows else {
      throw SwarmError.badShard(reason: "shard_class_conflict", detail: "class \(max(from, to)) is not a readout row (0..<\(rows))")
    }
    var moved = classes
    moved.remove(from)
    moved.set(to, name: name)
    if var session {
      try session.moveClass(from, to: to)
      return SpikingClassifier(
        network: session.network, classes: moved, version: version + 1, frozenDepth: frozenDepth, memory: ContinualMemory(session))
    }
    var network = self.network
    var readout = try network.parameter("Wout")
    for row in 0..<readout.rows {
      readout.values.swapAt(row * readout.cols + from, row * readout.cols + to)
    }
    try network.setParameter("Wout", readout)
    return SpikingClassifier(network: network, classes: moved, version: version + 1, frozenDepth: frozenDepth)
  }
}
