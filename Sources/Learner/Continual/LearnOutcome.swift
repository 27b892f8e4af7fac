/// Test accuracy and cost of one learning-phase epoch.
public struct ContinualEpoch: Sendable, Codable, Equatable {
  /// 1-based epoch.
  public var epoch: Int
  /// Test accuracy on the old classes, the new classes and all samples (nil: no such samples).
  public var old: Double?
  public var new: Double?
  public var all: Double?
  /// Test accuracy per class (nil for classes without test samples).
  public var perClass: [Double?]
  /// Wall time of the epoch's optimizer steps (replay decoding included, evaluation excluded).
  public var trainSeconds: Double
  /// Mean training loss over the epoch's batches.
  public var meanLoss: Double
  /// Per-layer thresholds at the end of the epoch.
  public var thresholds: [Float]
}

/// What the learning phase produced.
public struct LearnOutcome: Sendable {
  /// The network after learning.
  public var network: Network
  /// One record per epoch.
  public var epochs: [ContinualEpoch]
  /// Wall time of running the new-class samples through the frozen part (replay methods).
  public var extractSeconds: Double
  /// Wall time of all optimizer steps.
  public var trainSeconds: Double
  /// Process CPU time (all threads) of extraction plus optimizer steps: less sensitive than
  /// wall time to other processes on a shared machine.
  public var learnCPUSeconds: Double
  /// Wall time of the per-epoch test evaluations (not part of the learning time).
  public var evalSeconds: Double
  /// Part of `trainSeconds` spent decoding the replay buffer (every epoch: it stays compressed).
  public var decodeSeconds: Double = 0
  /// Events entering the first trained layer per training sample (input spikes, or the
  /// replayed and new latents' spikes at depth d >= 1): what event-driven costs follow.
  public var inputEventsPerSample: Double = 0
  /// Operations of the learning phase (extraction + every training batch).
  public var ops: SynapticOps
  /// Number of optimizer steps taken.
  public var steps: Int
  /// The new-class latents the run learned from (replay methods: those of the samples, then
  /// the given ones), in learning order; empty for other methods.
  public var newLatents: [LatentSample] = []

  /// Learning-phase wall time: extraction plus training, evaluation excluded.
  public var learnSeconds: Double { extractSeconds + trainSeconds }
  /// Accuracies after the last epoch.
  public var final: ContinualEpoch? { epochs.last }
}
