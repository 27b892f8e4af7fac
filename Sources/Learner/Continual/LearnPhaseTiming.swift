import Foundation

/// Repeated timings of one method's learning phase (`r4ncl learn --repeat N`): the phase is
/// deterministic, so every repeat redoes the same work and the spread is the machine's noise.
public struct LearnPhaseTiming: Sendable {
  public var method: String
  /// Learning-phase wall seconds (extraction + training) of each repeat.
  public var wallSeconds: [Double]
  /// Process CPU seconds of each repeat.
  public var cpuSeconds: [Double]
  /// Seconds of each repeat spent decoding the replay buffer.
  public var decodeSeconds: [Double] = []
  /// Optimizer steps per repeat and events entering the first trained layer per sample.
  public var steps = 0
  public var inputEventsPerSample = 0.0
  /// Whether every repeat ended with the same network (bit for bit) as the first.
  public var identical: Bool

  public var medianWall: Double { Self.median(wallSeconds) }
  public var medianCPU: Double { Self.median(cpuSeconds) }
  public var medianDecode: Double { Self.median(decodeSeconds) }

  static func median(_ xs: [Double]) -> Double {
    guard !xs.isEmpty else { return 0 }
    let s = xs.sorted(), m = s.count / 2
    return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
  }
}

extension ContinualRun {
  /// Times the learning phase of each method `repeats` times. Pretraining (cached) and the
  /// replay buffer are made once per method; each round then runs every method once, in turn,
  /// so slow and fast phases of a shared machine fall on all methods alike.
  public func timeLearning(
    _ settings: [ContinualSettings], oldClasses: [Int], newClasses: [Int], repeats: Int,
    progress: ((Int, String, Double) -> Void)? = nil
  ) throws -> [LearnPhaseTiming] {
    guard repeats >= 1 else { throw ContinualError.invalidSetting(field: "repeats", reason: "must be >= 1, got \(repeats)") }
    var starts: [(Network, [Double], ReplayStore?)] = []
    for s in settings {
      try s.validate()
      let (model, _) = try pretrained(s, oldClasses: oldClasses)
      let prepared = s.strategy == .replay ? try PreparePhase(settings: s, replayClasses: oldClasses).run(pretrained: model, data: data) : nil
      starts.append((prepared?.network ?? model.network, model.layerRates, prepared?.store))
    }
    var timings = settings.map { LearnPhaseTiming(method: $0.method, wallSeconds: [], cpuSeconds: [], identical: true) }
    var firstNetworks: [Network?] = Array(repeating: nil, count: settings.count)
    for round in 1...repeats {
      for (i, s) in settings.enumerated() {
        let (network, rates, store) = starts[i]
        let outcome = try LearnPhase(settings: s, oldClasses: oldClasses, newClasses: newClasses).run(
          start: network, targetRates: rates, store: store, data: data)
        timings[i].wallSeconds.append(outcome.learnSeconds)
        timings[i].cpuSeconds.append(outcome.learnCPUSeconds)
        timings[i].decodeSeconds.append(outcome.decodeSeconds)
        timings[i].steps = outcome.steps
        timings[i].inputEventsPerSample = outcome.inputEventsPerSample
        if let first = firstNetworks[i] {
          if first != outcome.network { timings[i].identical = false }
        } else {
          firstNetworks[i] = outcome.network
        }
        progress?(round, s.method, outcome.learnSeconds)
      }
    }
    return timings
  }
}
