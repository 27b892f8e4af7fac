/// Top-1 accuracy on the old classes, the new classes and all samples of one evaluation
/// (the three curves a continual-learning run logs after every epoch). A part with no
/// samples has accuracy nil.
public struct AccuracySplit: Sendable, Equatable, Codable {
  public var old: Double?
  public var new: Double?
  public var all: Double?
  /// Samples counted in each part.
  public var oldCount: Int
  public var newCount: Int
  public var allCount: Int

  public init(old: Double?, new: Double?, all: Double?, oldCount: Int, newCount: Int, allCount: Int) {
    self.old = old
    self.new = new
    self.all = all
    self.oldCount = oldCount
    self.newCount = newCount
    self.allCount = allCount
  }

  /// Accuracy of `predictions` against `labels`: `old` over samples whose label is in
  /// `oldClasses`, `new` over those in `newClasses`, `all` over every sample.
  public init(predictions: [Int], labels: [Int], oldClasses: Set<Int>, newClasses: Set<Int>) throws {
    guard predictions.count == labels.count else {
      throw MetricsError.lengthMismatch(what: "predictions and labels", first: predictions.count, second: labels.count)
    }
    let overlap = oldClasses.intersection(newClasses)
    guard overlap.isEmpty else { throw MetricsError.overlappingClasses(overlap.sorted()) }
    var hits = (old: 0, new: 0, all: 0)
    var counts = (old: 0, new: 0)
    for (p, y) in zip(predictions, labels) {
      let ok = p == y ? 1 : 0
      hits.all += ok
      if oldClasses.contains(y) { counts.old += 1; hits.old += ok }
      if newClasses.contains(y) { counts.new += 1; hits.new += ok }
    }
    func ratio(_ h: Int, _ n: Int) -> Double? { n == 0 ? nil : Double(h) / Double(n) }
    self.init(
      old: ratio(hits.old, counts.old), new: ratio(hits.new, counts.new), all: ratio(hits.all, labels.count),
      oldCount: counts.old, newCount: counts.new, allCount: labels.count)
  }
}

/// Why a metric could not be computed.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
  /// Two arrays that must pair up have different lengths.
  case lengthMismatch(what: String, first: Int, second: Int)
  /// A class is listed as both old and new.
  case overlappingClasses([Int])
  /// An accuracy-matrix index is outside the number of experiences.
  case experienceOutOfRange(index: Int, count: Int)
  /// An accuracy is outside [0, 1] or not finite.
  case invalidAccuracy(Double)

  public var description: String {
    switch self {
    case .lengthMismatch(let w, let a, let b): return "metrics: \(w) differ in length (\(a) vs \(b))"
    case .overlappingClasses(let c): return "metrics: classes \(c) are both old and new"
    case .experienceOutOfRange(let i, let n): return "accuracy matrix: experience \(i) outside 0..<\(n)"
    case .invalidAccuracy(let a): return "accuracy matrix: accuracy \(a) is not in [0, 1]"
    }
  }
}
