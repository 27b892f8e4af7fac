import Learner

/// A learner whose replay memory a swarm node can share: the encoded latents of the classes
/// it learned, which go out in replay shards. The node learns from peers' shards only with
/// such a learner (the latents are injected at its depth, so no raw samples are needed).
public protocol SwarmReplayMemory: AnyObject {
  /// The replay memory now (encoded latents per class, depth, shape, codec, fingerprint).
  var buffer: ReplayBuffer { get }
  /// Relabels the stored latents of class `from` as class `to` (class-id agreement).
  func moveClass(_ from: Int, to: Int) throws
}

extension ReplayLearner: SwarmReplayMemory {}
