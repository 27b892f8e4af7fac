/// Avalanche's accuracy matrix: `accuracy(afterTraining: i, on: j)` is the accuracy on
/// experience j measured right after training experience i (nil until measured). Forgetting
/// and backward transfer (BWT) follow Avalanche's definitions.
public struct AccuracyMatrix: Sendable, Equatable, Codable {
  /// Number of experiences (training steps, e.g. pretrain + one per new class).
  public let experienceCount: Int
  /// Row-major `[i][j]`.
  public private(set) var values: [[Double?]]

  public init(experienceCount: Int) {
    self.experienceCount = experienceCount
    values = Array(repeating: Array(repeating: nil, count: experienceCount), count: experienceCount)
  }

  /// Records the accuracy on experience j after training experience i.
  public mutating func record(afterTraining i: Int, on j: Int, accuracy: Double) throws {
    try check(i); try check(j)
    guard accuracy.isFinite, (0...1).contains(accuracy) else { throw MetricsError.invalidAccuracy(accuracy) }
    values[i][j] = accuracy
  }

  public func accuracy(afterTraining i: Int, on j: Int) -> Double? {
    guard (0..<experienceCount).contains(i), (0..<experienceCount).contains(j) else { return nil }
    return values[i][j]
  }

  /// The last row that has any measurement (the most recent training step).
  public var lastTrained: Int? { values.lastIndex { row in row.contains { $0 != nil } } }

  /// Forgetting on experience j: accuracy right after first learning it, `R[j][j]`, minus the
  /// accuracy at the end, `R[last][j]`. nil for the last experience itself or missing entries.
  public func forgetting(on j: Int) -> Double? {
    guard let last = lastTrained, j < last, let first = accuracy(afterTraining: j, on: j),
      let end = accuracy(afterTraining: last, on: j)
    else { return nil }
    return first - end
  }

  /// Backward transfer on experience j: `R[last][j] - R[j][j]`, minus the forgetting.
  public func backwardTransfer(on j: Int) -> Double? { forgetting(on: j).map { -$0 } }

  /// Mean forgetting over the experiences before the last (nil when none is measurable).
  public var averageForgetting: Double? {
    let f = (0..<experienceCount).compactMap(forgetting(on:))
    return f.isEmpty ? nil : f.reduce(0, +) / Double(f.count)
  }

  /// Mean BWT, `-averageForgetting` (Lopez-Paz & Ranzato 2017).
  public var averageBackwardTransfer: Double? { averageForgetting.map { -$0 } }

  /// Mean accuracy over experiences 0...i after training i (Avalanche's stream accuracy).
  public func averageAccuracy(afterTraining i: Int) -> Double? {
    guard (0..<experienceCount).contains(i) else { return nil }
    let a = (0...i).compactMap { values[i][$0] }
    return a.isEmpty ? nil : a.reduce(0, +) / Double(a.count)
  }

  private func check(_ k: Int) throws {
    guard (0..<experienceCount).contains(k) else { throw MetricsError.experienceOutOfRange(index: k, count: experienceCount) }
  }
}
