/// One method's run on one split of old and new classes: pretraining, preparation and
/// learning, with accuracies, wall times, replay memory and operation counts.
public struct ContinualMethodResult: Sendable {
  public var settings: ContinualSettings
  public var oldClasses: [Int]
  public var newClasses: [Int]
  /// Pretraining wall time (0 when the model came from a cache) and whether it was cached.
  public var pretrainSeconds: Double
  public var pretrainCached: Bool
  /// Test accuracy of the pretrained model before learning (old classes; all samples).
  public var pretrainedOld: Double?
  public var pretrainedAll: Double?
  /// Preparation wall time and operations (replay methods; 0 otherwise).
  public var prepareSeconds: Double
  public var prepareOps: SynapticOps
  /// Exact encoded bytes of the replay memory and its sample count (0 without replay).
  public var replayBytes: Int
  public var replaySamples: Int
  /// The learning phase.
  public var learn: LearnOutcome
  /// Mean wall time of a single-sample forward pass of the final network at the learning T
  /// (full input, batch 1), seconds.
  public var inferenceSeconds: Double

  /// Old-class accuracy lost by learning: pretrained minus final (Avalanche's forgetting).
  public var forgetting: Double? {
    guard let before = pretrainedOld, let after = learn.final?.old else { return nil }
    return before - after
  }
}

/// One phase's state, handed to a checkpoint writer after the phase.
public struct PhaseSnapshot: Sendable {
  /// "pretrain", "prepare" or "learn".
  public var phase: String
  public var method: String
  public var network: Network
  /// Per-layer firing rates of the pretrained model (adaptive-threshold targets).
  public var layerRates: [Double]
  public var store: ReplayStore?
}
