import Foundation

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
  /// Spikes each hidden layer fired on this batch (nil: the layer did not run, as with latents).
  public var spikeCounts: [Double?] = []
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
  /// Mean firing rate (spikes per neuron per step) of each hidden layer over the epoch's training
  /// batches; nil for a layer that did not run (frozen below a replay injection layer).
  public var spikeRates: [Double?] = []

  /// Hidden layers (0-based) that ran and fired no spike in the whole epoch. A silent layer
  /// passes nothing upward: the readout sees no input, the loss sits at ln(classes), and with
  /// narrow surrogates (SpikingLR's scale 100) such a run has stayed silent to the end.
  public var silentLayers: [Int] { spikeRates.indices.filter { spikeRates[$0] == 0 } }

  /// A one-line warning when the network fell silent this epoch, else nil.
  public var silenceWarning: String? {
    guard let first = silentLayers.first else { return nil }
    return "epoch \(epoch): hidden layer \(first + 1) of \(spikeRates.count) fired no spike, so nothing reaches the readout "
      + "(loss \(String(format: "%.4f", meanLoss))) and training is unlikely to recover: try another seed or a wider surrogate gradient"
  }

  /// The rates as text, e.g. "0.0554/0.0305/0.0036" ("-" for a layer that did not run).
  public var spikeRatesText: String {
    spikeRates.map { $0.map { String(format: "%.4f", $0) } ?? "-" }.joined(separator: "/")
  }
}
