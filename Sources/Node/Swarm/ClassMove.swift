import Learner

extension SpikingClassifier {
  /// The same model with class `from` moved to the free readout row `to` (its readout column
  /// and its name), version + 1: how a node adopts the lower id a peer gave the same class name.
  func movingClass(_ from: Int, to: Int) throws -> SpikingClassifier {
    guard let name = classes.name(of: from), classes.name(of: to) == nil else {
      throw SwarmError.badShard(reason: "shard_class_conflict", detail: "cannot move class \(from) to \(to)")
    }
    var network = self.network
    var readout = try network.parameter("Wout")
    guard to < readout.cols, from < readout.cols else {
      throw SwarmError.badShard(reason: "shard_class_conflict", detail: "class \(to) is not a readout row (0..<\(readout.cols))")
    }
    for row in 0..<readout.rows {
      readout.values.swapAt(row * readout.cols + from, row * readout.cols + to)
    }
    try network.setParameter("Wout", readout)
    var moved = classes
    moved.remove(from)
    moved.set(to, name: name)
    return SpikingClassifier(network: network, classes: moved, version: version + 1, frozenDepth: frozenDepth)
  }
}

extension ReplayLearner {
  /// Relabels the stored latents of class `from` as class `to` (decoded, relabelled and encoded
  /// again: the label is part of every encoding's header).
  public func moveClass(_ from: Int, to: Int) throws {
    try memory.withLock { buffer in
      guard buffer.sampleCount(ofClass: from) > 0 else { return }
      let samples = try buffer.decodedSamples(ofClass: from).map { sample -> LatentSample in
        var relabelled = sample
        relabelled.label = to
        return relabelled
      }
      buffer.removeClass(from)
      buffer.removeClass(to)
      try buffer.add(contentsOf: samples)
    }
  }
}
