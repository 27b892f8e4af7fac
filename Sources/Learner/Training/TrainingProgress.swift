/// What the trainer reports while it runs; the CLI prints one line per event.
public enum TrainingProgress: Sendable {
  /// One optimizer step finished.
  case batch(BatchReport)
  /// One pass over the training set finished.
  case epoch(EpochSummary)
}

extension TrainingProgress {
  /// The same event numbered as epoch `epoch` (for loops that train one epoch per call).
  public func renumbered(epoch: Int) -> TrainingProgress {
    switch self {
    case .batch(var report):
      report.epoch = epoch
      return .batch(report)
    case .epoch(var summary):
      summary.epoch = epoch
      return .epoch(summary)
    }
  }
}

/// One optimizer step.
public struct BatchReport: Sendable {
  /// 1-based epoch.
  public var epoch: Int
  /// 1-based batch within the epoch.
  public var batch: Int
  public var batchCount: Int
  public var batchSize: Int
  /// Mean loss of this batch.
  public var loss: Float
}

/// One epoch of training.
public struct EpochSummary: Sendable {
  /// 1-based epoch.
  public var epoch: Int
  /// Mean loss over the epoch's samples.
  public var meanLoss: Float
  /// Accuracy of the logits seen during training (weights changing within the epoch).
  public var trainAccuracy: Double
  public var samples: Int
  /// Wall time of the epoch in seconds.
  public var seconds: Double
  /// Training throughput (forward + backward + optimizer step).
  public var samplesPerSecond: Double { seconds > 0 ? Double(samples) / seconds : 0 }
}
