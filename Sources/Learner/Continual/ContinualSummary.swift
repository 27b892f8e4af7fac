import Foundation

/// One method's numbers in a report: accuracies, costs and the per-epoch curves, averaged over
/// the runs (held-out classes) it was given.
public struct MethodSummary: Sendable, Codable, Equatable {
  public var method: String
  public var timesteps: Int
  public var depth: Int
  public var codec: String
  public var epochs: Int
  public var runs: Int
  /// Old-class test accuracy of the pretrained model, and after learning.
  public var pretrainedOld: Double?
  public var old: Double?
  public var new: Double?
  public var all: Double?
  /// pretrainedOld - old.
  public var forgetting: Double?
  /// Learning-phase wall time (extraction + training, evaluation excluded) and per epoch.
  public var learnSeconds: Double
  /// Process CPU seconds of the learning phase (all threads).
  public var learnCPUSeconds: Double
  public var secondsPerEpoch: Double
  public var prepareSeconds: Double
  public var pretrainSeconds: Double
  public var replayBytes: Double
  public var replaySamples: Int
  public var bytesPerSample: Double
  /// Estimated energy of the learning phase (J) and its operation counts.
  public var learnEnergyJoules: Double
  public var learnOps: SynapticOps
  /// Batch-1 inference latency (ms).
  public var inferenceMilliseconds: Double
  /// Per epoch (averaged over runs): old, new, all test accuracy.
  public var curveOld: [Double?]
  public var curveNew: [Double?]
  public var curveAll: [Double?]
  /// Per epoch: training seconds (mean over runs).
  public var curveSeconds: [Double]
  public var finalThresholds: [Float]
  /// Learning-phase knobs as text (for reports).
  public var knobs: [String: String]
  /// Peak resident memory of the process when the method finished (bytes), if readable.
  public var peakRSSBytes: Int?

  /// Averages `results` of one method (e.g. one per held-out class).
  public init(_ results: [ContinualMethodResult]) {
    precondition(!results.isEmpty)
    let s = results[0].settings
    func mean(_ xs: [Double?]) -> Double? {
      let v = xs.compactMap { $0 }
      return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
    }
    func meanD(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }
    method = s.method
    timesteps = s.learnTimesteps
    depth = s.depth
    codec = s.strategy == .replay ? s.codec : "-"
    epochs = s.learnEpochs
    runs = results.count
    pretrainedOld = mean(results.map(\.pretrainedOld))
    old = mean(results.map { $0.learn.final?.old })
    new = mean(results.map { $0.learn.final?.new })
    all = mean(results.map { $0.learn.final?.all })
    forgetting = mean(results.map(\.forgetting))
    learnSeconds = meanD(results.map(\.learn.learnSeconds))
    learnCPUSeconds = meanD(results.map(\.learn.learnCPUSeconds))
    secondsPerEpoch = meanD(results.map { $0.learn.trainSeconds / Double(max($0.learn.epochs.count, 1)) })
    prepareSeconds = meanD(results.map(\.prepareSeconds))
    pretrainSeconds = meanD(results.map(\.pretrainSeconds))
    replayBytes = meanD(results.map { Double($0.replayBytes) })
    replaySamples = results.map(\.replaySamples).max() ?? 0
    bytesPerSample = meanD(results.map { $0.replaySamples == 0 ? 0 : Double($0.replayBytes) / Double($0.replaySamples) })
    let ops = results.map(\.learn.ops)
    learnOps = SynapticOps(accumulates: meanD(ops.map(\.accumulates)), macs: meanD(ops.map(\.macs)))
    learnEnergyJoules = learnOps.joules
    inferenceMilliseconds = 1000 * meanD(results.map(\.inferenceSeconds))
    let n = results.map(\.learn.epochs.count).max() ?? 0
    curveOld = (0..<n).map { e in mean(results.map { e < $0.learn.epochs.count ? $0.learn.epochs[e].old : nil }) }
    curveNew = (0..<n).map { e in mean(results.map { e < $0.learn.epochs.count ? $0.learn.epochs[e].new : nil }) }
    curveAll = (0..<n).map { e in mean(results.map { e < $0.learn.epochs.count ? $0.learn.epochs[e].all : nil }) }
    curveSeconds = (0..<n).map { e in meanD(results.compactMap { e < $0.learn.epochs.count ? $0.learn.epochs[e].trainSeconds : nil }) }
    finalThresholds = results.last?.learn.final?.thresholds ?? []
    knobs = [
      "strategy": s.strategy.rawValue, "T_pretrain": "\(s.pretrainTimesteps)", "T_learn": "\(s.learnTimesteps)",
      "depth": "\(s.depth)", "codec": codec, "replay_per_class": "\(s.replaySamplesPerClass)",
      "learn_thresholds": s.learnThresholds.map { "\($0)" } ?? "pretrained", "learn_lr": "\(s.learnLearningRate)",
      "pretrain_lr": "\(s.pretrainLearningRate)", "pretrain_epochs": "\(s.pretrainEpochs)", "epochs": "\(s.learnEpochs)",
      "optimizer": s.optimizer.rawValue,
      "adaptive": s.adaptiveThreshold.enabled
        ? "rate \(s.adaptiveThreshold.rate) in [\(s.adaptiveThreshold.lower), \(s.adaptiveThreshold.upper)]" : "off",
      "final_thresholds": finalThresholds.map { String(format: "%.3f", $0) }.joined(separator: ","),
      "runs": "\(runs)",
    ]
    peakRSSBytes = PeakMemory.peakResidentBytes()
  }
}

/// The whole comparison: one summary per method plus the Replay4NCL-vs-SpikingLR ratios.
public struct ContinualSummary: Sendable, Codable, Equatable {
  public var scenario: String
  public var newClasses: [Int]
  public var methods: [MethodSummary]
  /// spikinglr / replay4ncl learning wall time (target >= 2.5, paper 4.88).
  public var learnTimeRatio: Double?
  /// The same ratio in process CPU time.
  public var learnCPUTimeRatio: Double?
  /// replay4ncl / spikinglr replay bytes (target <= 0.8).
  public var replayBytesRatio: Double?
  /// replay4ncl / spikinglr learning energy estimate (target <= 0.5).
  public var energyRatio: Double?

  public init(scenario: String, newClasses: [Int], methods: [MethodSummary], reference: String = "spikinglr", ours: String = "replay4ncl") {
    self.scenario = scenario
    self.newClasses = newClasses
    self.methods = methods
    if let r = methods.first(where: { $0.method == reference }), let o = methods.first(where: { $0.method == ours }) {
      learnTimeRatio = o.learnSeconds > 0 ? r.learnSeconds / o.learnSeconds : nil
      learnCPUTimeRatio = o.learnCPUSeconds > 0 ? r.learnCPUSeconds / o.learnCPUSeconds : nil
      replayBytesRatio = r.replayBytes > 0 ? o.replayBytes / r.replayBytes : nil
      energyRatio = r.learnEnergyJoules > 0 ? o.learnEnergyJoules / r.learnEnergyJoules : nil
    }
  }

  /// A fixed-width text table, one row per method, then the ratios.
  public func table() -> String {
    let header = ["method", "T", "d", "codec", "ep", "pre-old", "old", "new", "all", "forget", "learn s", "cpu s", "s/epoch", "replay B", "B/sample", "energy J", "infer ms"]
    var rows = [header]
    for m in methods {
      rows.append([
        m.method, "\(m.timesteps)", "\(m.depth)", m.codec, "\(m.epochs)", pct(m.pretrainedOld), pct(m.old), pct(m.new), pct(m.all),
        m.forgetting.map { String(format: "%.1f", 100 * $0) } ?? "-", String(format: "%.2f", m.learnSeconds),
        String(format: "%.2f", m.learnCPUSeconds), String(format: "%.3f", m.secondsPerEpoch), String(format: "%.0f", m.replayBytes), String(format: "%.1f", m.bytesPerSample),
        String(format: "%.4g", m.learnEnergyJoules), String(format: "%.3f", m.inferenceMilliseconds),
      ])
    }
    let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    var out = rows.map { r in r.indices.map { r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
      .joined(separator: "\n")
    out += "\n" + ratioLines().joined(separator: "\n")
    return out
  }

  func ratioLines() -> [String] {
    var lines: [String] = []
    if let r = learnTimeRatio { lines.append(String(format: "learning-phase wall time spikinglr/replay4ncl: %.2fx (target >= 2.5x)", r)) }
    if let r = learnCPUTimeRatio { lines.append(String(format: "learning-phase CPU time spikinglr/replay4ncl: %.2fx", r)) }
    if let r = replayBytesRatio { lines.append(String(format: "replay bytes replay4ncl/spikinglr: %.1f%% (target <= 80%%)", 100 * r)) }
    if let r = energyRatio { lines.append(String(format: "learning energy replay4ncl/spikinglr: %.1f%% (target <= 50%%)", 100 * r)) }
    return lines
  }
}
