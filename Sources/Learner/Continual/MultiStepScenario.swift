import Foundation

/// Multi-step class-incremental learning: pretrain on `initialClasses`, then learn the others
/// one at a time; replay methods grow the buffer with the class just learned (its latents come
/// from the same frozen part). Produces the accuracy matrix over experiences (experience 0 =
/// the initial classes, experience i = the i-th added class).
public struct MultiStepScenario: Sendable {
  public var initialClasses: [Int]
  public var newClassOrder: [Int]

  public init(initialClasses: [Int], newClassOrder: [Int]) {
    self.initialClasses = initialClasses.sorted()
    self.newClassOrder = newClassOrder
  }

  /// Experiences as class sets.
  public var experiences: [[Int]] { [initialClasses] + newClassOrder.map { [$0] } }

  public func run(_ settings: ContinualSettings, on run: ContinualRun) throws -> MultiStepResult {
    guard !initialClasses.isEmpty, !newClassOrder.isEmpty else { throw ContinualError.invalidScenario("multi-step needs initial and new classes") }
    guard Set(initialClasses).isDisjoint(with: newClassOrder), Set(newClassOrder).count == newClassOrder.count else {
      throw ContinualError.invalidScenario("multi-step classes must not repeat: initial \(initialClasses), new \(newClassOrder)")
    }
    let (model, cached) = try run.pretrained(settings, oldClasses: initialClasses)
    var network = try model.network.retimed(settings.learnTimesteps)
    var store: ReplayStore?
    var prepareSeconds = 0.0, prepareOps = SynapticOps()
    if settings.strategy == .replay {
      let p = try PreparePhase(settings: settings, replayClasses: initialClasses).run(pretrained: model, data: run.data)
      network = p.network
      store = p.store
      prepareSeconds = p.seconds
      prepareOps = p.ops
    }
    var matrix: [[Double?]] = [try experienceAccuracies(network, settings: settings, run: run)]
    var seen = initialClasses
    var results: [ContinualMethodResult] = []
    for c in newClassOrder {
      run.log?("[\(settings.method)] multi-step: learning class \(c) after \(seen.count) classes")
      let before = matrix.last!
      let outcome = try LearnPhase(settings: settings, oldClasses: seen, newClasses: [c]).run(
        start: network, targetRates: model.layerRates, store: store, data: run.data)
      network = outcome.network
      seen.append(c)
      // Replay memory this step learned with (before the just-learned class joins it).
      let usedBytes = store?.totalBytes ?? 0, usedSamples = store?.sampleCount ?? 0
      if store != nil {
        let t0 = Date()
        prepareOps += try PreparePhase.store(classes: [c], of: network, data: run.data, settings: settings, into: &store!)
        prepareSeconds += Date().timeIntervalSince(t0)
      }
      matrix.append(try experienceAccuracies(network, settings: settings, run: run))
      let oldBefore = weighted(before, upTo: matrix.count - 2, run: run)
      results.append(ContinualMethodResult(
        settings: settings, oldClasses: Array(seen.dropLast()), newClasses: [c], pretrainSeconds: cached ? 0 : model.seconds,
        pretrainCached: cached, pretrainedOld: oldBefore, pretrainedAll: nil, prepareSeconds: prepareSeconds, prepareOps: prepareOps,
        replayBytes: usedBytes, replaySamples: usedSamples, learn: outcome, inferenceSeconds: 0))
    }
    return MultiStepResult(method: settings.method, experiences: experiences, accuracyMatrix: matrix, steps: results)
  }

  /// Test accuracy on each experience's classes.
  func experienceAccuracies(_ network: Network, settings: ContinualSettings, run: ContinualRun) throws -> [Double?] {
    let e = try run.evaluate(network, timesteps: settings.learnTimesteps, maxTime: settings.maxTime, threads: settings.threads)
    return experiences.map { e.accuracy(onClasses: Set($0)) }
  }

  /// Sample-weighted accuracy over experiences 0...upTo of one matrix row.
  func weighted(_ row: [Double?], upTo: Int, run: ContinualRun) -> Double? {
    var hits = 0.0, n = 0.0
    for j in 0...upTo {
      guard let a = row[j] else { continue }
      let count = Double(run.data.test.samples.filter { $0.label.map(Set(experiences[j]).contains) ?? false }.count)
      hits += a * count
      n += count
    }
    return n == 0 ? nil : hits / n
  }
}

/// A multi-step run of one method: the accuracy matrix (row i = after step i, row 0 = after
/// pretraining; column j = experience j) and each step's result.
public struct MultiStepResult: Sendable {
  public var method: String
  public var experiences: [[Int]]
  public var accuracyMatrix: [[Double?]]
  public var steps: [ContinualMethodResult]

  /// Avalanche forgetting of experience j: best accuracy before the last step minus the final one.
  public func forgetting(on j: Int) -> Double? {
    let last = accuracyMatrix.count - 1
    let first = j  // experience j is first learned at row j
    guard j < last, let end = accuracyMatrix[last][j] else { return nil }
    let earlier = accuracyMatrix[first..<last].compactMap { $0[j] }
    return earlier.max().map { $0 - end }
  }

  /// Mean forgetting over all experiences but the last.
  public var averageForgetting: Double? {
    let f = (0..<(experiences.count - 1)).compactMap { forgetting(on: $0) }
    return f.isEmpty ? nil : f.reduce(0, +) / Double(f.count)
  }

  /// Final accuracy on all test samples.
  public var finalAll: Double? { steps.last?.learn.final?.all }

  /// The method's summary: final accuracies, summed learning time and energy over the steps.
  public var summary: MethodSummary {
    var s = MethodSummary([steps.last!])
    s.learnSeconds = steps.reduce(0) { $0 + $1.learn.learnSeconds }
    s.learnOps = steps.reduce(SynapticOps()) { $0 + $1.learn.ops }
    s.learnEnergyJoules = s.learnOps.joules
    s.forgetting = averageForgetting
    s.pretrainedOld = accuracyMatrix.first?.first ?? nil
    return s
  }

  /// The accuracy matrix in the Report module's form (row i = after training experience i).
  public func reportMatrix() throws -> AccuracyMatrix {
    var m = AccuracyMatrix(experienceCount: experiences.count)
    for (i, row) in accuracyMatrix.enumerated() {
      for (j, a) in row.enumerated() { if let a = a { try m.record(afterTraining: i, on: j, accuracy: a) } }
    }
    return m
  }

  /// The accuracy matrix as text.
  public func table() -> String {
    var out = "\(method): accuracy matrix (row = after step, column = experience; e0 = classes \(experiences[0]))\n"
    out += "step  " + experiences.indices.map { "e\($0)".padding(toLength: 6, withPad: " ", startingAt: 0) }.joined() + "\n"
    for (i, row) in accuracyMatrix.enumerated() {
      out += "\(i)".padding(toLength: 6, withPad: " ", startingAt: 0)
      out += row.map { ($0.map { String(format: "%.1f", 100 * $0) } ?? "-").padding(toLength: 6, withPad: " ", startingAt: 0) }.joined() + "\n"
    }
    out += "average forgetting: \(pct(averageForgetting)), final all-class accuracy: \(pct(finalAll))"
    return out
  }
}
