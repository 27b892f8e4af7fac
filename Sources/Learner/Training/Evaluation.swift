/// Classification results on a labeled set: predictions, top-1 accuracy, per-class accuracy and
/// the confusion matrix (rows = true class, columns = predicted class).
public struct Evaluation: Sendable, Equatable {
  /// Predicted class (argmax of the logits, lowest index on ties) per sample.
  public var predictions: [Int]
  /// True class per sample.
  public var labels: [Int]
  /// Mean cross-entropy over the samples.
  public var meanLoss: Float
  /// `confusion[true][predicted]` counts.
  public var confusion: [[Int]]

  public init(predictions: [Int], labels: [Int], meanLoss: Float, classCount: Int) {
    precondition(predictions.count == labels.count)
    self.predictions = predictions
    self.labels = labels
    self.meanLoss = meanLoss
    var c = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
    for (p, l) in zip(predictions, labels) { c[l][p] += 1 }
    confusion = c
  }

  /// Number of samples.
  public var count: Int { labels.count }

  /// Fraction of correct predictions (0 for an empty set).
  public var accuracy: Double {
    count == 0 ? 0 : Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(count)
  }

  /// Accuracy per class, nil for classes with no samples.
  public var perClassAccuracy: [Double?] {
    confusion.enumerated().map { k, row in
      let n = row.reduce(0, +)
      return n == 0 ? nil : Double(row[k]) / Double(n)
    }
  }

  /// Accuracy over the samples whose true class is in `classes` (e.g. old or new classes); nil if none.
  public func accuracy(onClasses classes: Set<Int>) -> Double? {
    let pairs = zip(predictions, labels).filter { classes.contains($0.1) }
    return pairs.isEmpty ? nil : Double(pairs.filter { $0 == $1 }.count) / Double(pairs.count)
  }
}

/// Index of the largest value (first on ties).
func argmaxIndex(_ values: ArraySlice<Float>) -> Int {
  var best = values.startIndex
  for i in values.indices where values[i] > values[best] { best = i }
  return best - values.startIndex
}
