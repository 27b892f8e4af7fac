import Learner

/// The part of a spiking model's continual memory a swarm node shares: the replay store (the
/// encoded latents per class that replay shards carry), the latent width at its depth, and the
/// latents the last learning run learned its new classes from. nil when the model cannot
/// learn from latents (no memory, or a method without replay): such a node refuses shards.
struct SwarmReplayMemory {
  /// The replay memory (codec, depth d, T, encoded latents per class).
  var store: ReplayStore
  /// Units per step of a latent at depth d.
  var width: Int
  /// Every latent of the classes the last run introduced (nil before a run).
  var lastLearned: ReplayStore?

  /// All latents of class `id` from the run that learned it (more than the store keeps), or nil.
  func learnedLatents(ofClass id: Int) -> [[UInt8]]? {
    guard let learned = lastLearned, learned.sampleCount(ofClass: id) > 0 else { return nil }
    return learned.encoded(ofClass: id)
  }
}

extension SpikingClassifier {
  /// The replay memory a swarm shares (nil: this model does not learn with latent replay).
  var swarmReplay: SwarmReplayMemory? {
    guard let memory, memory.settings.strategy == .replay, let store = memory.store else { return nil }
    return SwarmReplayMemory(store: store, width: network.latentWidth(depth: store.depth), lastLearned: memory.lastLearned)
  }
}
