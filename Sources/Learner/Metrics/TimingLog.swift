/// Wall time of one training epoch inside a phase.
public struct EpochTiming: Sendable, Equatable, Codable {
  /// 1-based epoch number.
  public var epoch: Int
  public var seconds: Double

  public init(epoch: Int, seconds: Double) {
    self.epoch = epoch
    self.seconds = seconds
  }
}

/// Wall time of one phase (pretrain, prepare, learn, evaluate...) and of its epochs.
public struct PhaseTiming: Sendable, Equatable, Codable {
  public var phase: String
  /// Total seconds of the phase (including work between epochs, such as evaluation).
  public var seconds: Double
  public var epochs: [EpochTiming]

  public init(phase: String, seconds: Double, epochs: [EpochTiming] = []) {
    self.phase = phase
    self.seconds = seconds
    self.epochs = epochs
  }

  /// Sum of the epoch times (training only, when evaluation ran outside them).
  public var epochSeconds: Double { epochs.reduce(0) { $0 + $1.seconds } }
}

/// Collects phase and epoch timings in order, for one method's run.
public struct TimingLog: Sendable, Equatable, Codable {
  public private(set) var phases: [PhaseTiming] = []

  public init() {}

  /// Runs `body` as phase `name`; `body` gets an epoch recorder to call once per epoch.
  @discardableResult
  public mutating func phase<T>(_ name: String, _ body: (inout EpochRecorder) throws -> T) rethrows -> T {
    var recorder = EpochRecorder()
    let watch = Stopwatch()
    let result = try body(&recorder)
    phases.append(PhaseTiming(phase: name, seconds: watch.elapsedSeconds, epochs: recorder.epochs))
    return result
  }

  /// Adds a phase measured elsewhere.
  public mutating func append(_ timing: PhaseTiming) { phases.append(timing) }

  /// Total seconds of the phases named `name` (0 when none).
  public func seconds(of name: String) -> Double {
    phases.filter { $0.phase == name }.reduce(0) { $0 + $1.seconds }
  }
}

/// Times the epochs of a phase: `epoch { ... }` records one epoch.
public struct EpochRecorder: Sendable {
  public private(set) var epochs: [EpochTiming] = []

  /// Runs one epoch and records its seconds under the next epoch number.
  @discardableResult
  public mutating func epoch<T>(_ body: () throws -> T) rethrows -> T {
    let (r, s) = try Stopwatch.measure(body)
    epochs.append(EpochTiming(epoch: epochs.count + 1, seconds: s))
    return r
  }

  /// Records an epoch measured elsewhere.
  public mutating func record(seconds: Double) {
    epochs.append(EpochTiming(epoch: epochs.count + 1, seconds: seconds))
  }
}
