import Learner

/// A learner whose replay memory a swarm node can share: the encoded latents of the classes
/// it learned, which go out in replay shards. The node learns from peers' shards only with
/// such a learner (the latents are injected at its depth, so no raw samples are needed).
public protocol SwarmReplayMemory: AnyObject {
  /// The replay memory now (encoded latents per class, depth, shape, codec, fingerprint).
  var buffer: ReplayBuffer { get }
  /// Relabels the stored latents of class `from` as class `to` (class-id agreement).
  func moveClass(_ from: Int, to: Int) throws
  /// All latents of class `id` from the run that just learned it (more than the buffer keeps),
  /// or nil; a shard carries these so a peer learns from what this node learned from.
  func learnedLatents(ofClass id: Int) -> [LatentSample]?
}

extension ReplayLearner: SwarmReplayMemory {
  /// Every latent of `id` from the last run that introduced it (nil if the last run did not).
  public func learnedLatents(ofClass id: Int) -> [LatentSample]? { lastNewLatents.current[id] }
}
