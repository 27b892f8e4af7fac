/// Everything one continual-learning run reports, per method: accuracy curves, phase times,
/// latency, replay memory, energy and peak RSS; plus optional sweeps (accuracy or cost against
/// T or depth). Renders as a terminal table, report.json, report.md and SVG plots.
public struct ContinualReport: Sendable, Equatable, Codable {
  public var title: String
  /// Scenario name, e.g. "19+1 (new class 7)".
  public var scenario: String
  /// Method the cost ratios are relative to (e.g. "spikinglr"); nil: the first method.
  public var baseline: String?
  public var methods: [MethodReport]
  public var sweeps: [SweepReport]
  /// Free-form lines for the markdown report (data set, machine, chosen knobs).
  public var notes: [String]

  public init(title: String, scenario: String, baseline: String? = nil, methods: [MethodReport] = [], sweeps: [SweepReport] = [], notes: [String] = []) {
    self.title = title
    self.scenario = scenario
    self.baseline = baseline
    self.methods = methods
    self.sweeps = sweeps
    self.notes = notes
  }

  /// The baseline method's result, if present.
  public var baselineReport: MethodReport? {
    guard let name = baseline ?? methods.first?.method else { return nil }
    return methods.first { $0.method == name }
  }

  /// `metric(method) / metric(baseline)`, nil when either is missing or the baseline is 0.
  public func ratio(_ metric: CostMetric, of method: MethodReport) -> Double? {
    guard let base = baselineReport, let b = metric.value(base), b != 0, let v = metric.value(method) else { return nil }
    return v / b
  }
}

/// One method's results in one scenario run.
public struct MethodReport: Sendable, Equatable, Codable {
  /// Method name ("naive", "joint", "spikinglr", "replay4ncl", ...).
  public var method: String
  /// The knobs it ran with (T, depth, codec, thresholds...), as text.
  public var settings: [String: String]
  /// Accuracy after pretraining, before the learning phase (nil if not measured).
  public var pretrained: AccuracySplit?
  /// Accuracy after every learning epoch.
  public var epochs: [EpochReport]
  public var phases: [PhaseTiming]
  /// Mean inference latency per sample, seconds.
  public var latencySecondsPerSample: Double?
  /// Exact encoded replay-buffer bytes (nil for methods without replay).
  public var replayBytes: Int?
  public var replaySamples: Int?
  public var energy: EnergyReport?
  public var peakRSSBytes: Int?
  public var accuracyMatrix: AccuracyMatrix?

  public init(
    method: String, settings: [String: String] = [:], pretrained: AccuracySplit? = nil, epochs: [EpochReport] = [],
    phases: [PhaseTiming] = [], latencySecondsPerSample: Double? = nil, replayBytes: Int? = nil,
    replaySamples: Int? = nil, energy: EnergyReport? = nil, peakRSSBytes: Int? = nil, accuracyMatrix: AccuracyMatrix? = nil
  ) {
    self.method = method
    self.settings = settings
    self.pretrained = pretrained
    self.epochs = epochs
    self.phases = phases
    self.latencySecondsPerSample = latencySecondsPerSample
    self.replayBytes = replayBytes
    self.replaySamples = replaySamples
    self.energy = energy
    self.peakRSSBytes = peakRSSBytes
    self.accuracyMatrix = accuracyMatrix
  }

  /// Accuracy after the last epoch (or after pretraining when there were no epochs).
  public var final: AccuracySplit? { epochs.last?.accuracy ?? pretrained }

  /// Replay bytes per stored sample.
  public var replayBytesPerSample: Double? {
    guard let b = replayBytes, let n = replaySamples, n > 0 else { return nil }
    return Double(b) / Double(n)
  }

  /// Seconds of the phases named `phase`, nil when there is none.
  public func seconds(ofPhase phase: String) -> Double? {
    let p = phases.filter { $0.phase == phase }
    return p.isEmpty ? nil : p.reduce(0) { $0 + $1.seconds }
  }
}

/// Accuracy after one epoch, and the epoch's training seconds.
public struct EpochReport: Sendable, Equatable, Codable {
  public var epoch: Int
  public var accuracy: AccuracySplit
  public var seconds: Double?

  public init(epoch: Int, accuracy: AccuracySplit, seconds: Double? = nil) {
    self.epoch = epoch
    self.accuracy = accuracy
    self.seconds = seconds
  }
}

/// A cost compared against the baseline in the table and the bar chart.
public enum CostMetric: String, Sendable, CaseIterable, Codable {
  case learnTime = "learn time"
  case latency
  case replayMemory = "replay memory"
  case energy

  /// The metric's value for `m`, nil when not measured.
  public func value(_ m: MethodReport) -> Double? {
    switch self {
    case .learnTime: return m.seconds(ofPhase: "learn")
    case .latency: return m.latencySecondsPerSample
    case .replayMemory: return m.replayBytes.map(Double.init)
    case .energy: return m.energy?.estimatedJoules
    }
  }
}

/// A parameter sweep (the paper's Figures 8 and 11): values of named series at each x.
public struct SweepReport: Sendable, Equatable, Codable {
  /// Short name used in file names, e.g. "timesteps" or "depth".
  public var name: String
  /// Axis label, e.g. "timesteps T".
  public var xLabel: String
  public var x: [Double]
  public var series: [SweepSeries]

  public init(name: String, xLabel: String, x: [Double], series: [SweepSeries]) {
    self.name = name
    self.xLabel = xLabel
    self.x = x
    self.series = series
  }
}

/// One measured quantity over a sweep; series with the same unit share a chart.
public struct SweepSeries: Sendable, Equatable, Codable {
  public var name: String
  /// Unit shown on the y axis, e.g. "%", "s", "bytes".
  public var unit: String
  /// One value per x (nil where not measured).
  public var values: [Double?]

  public init(name: String, unit: String, values: [Double?]) {
    self.name = name
    self.unit = unit
    self.values = values
  }
}
