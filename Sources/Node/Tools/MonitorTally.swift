import Foundation
import Proto

/// What `r4ncl monitor` counts: predictions carrying the player's true label, split into old
/// and new classes, over a sliding window and per model version, plus the node's last status.
/// Builds the live line and the final summary table of the live-learning demo.
public struct MonitorTally: Sendable {
  /// Classes taught live (everything else is "old").
  public let newClasses: Set<Int>
  /// Predictions in the sliding window.
  public let window: Int
  /// Predictions received (with or without a true label).
  public private(set) var predictions = 0
  /// Last node status seen.
  public private(set) var status: R4ncl_V1_NodeStatus?
  private var recent: [(isNew: Bool, correct: Bool)] = []
  /// Per model version: [old total, old correct, new total, new correct].
  private var perVersion: [UInt64: [Int]] = [:]
  /// (version, published time) of every prediction, to count those served while learning.
  private var served: [(version: UInt64, time: Int64)] = []
  /// Start time of each learning run the status reported (ns), and its duration once done.
  private var learningStarts: [Int64] = []
  private var learningSeconds: Double?

  public init(newClasses: Set<Int>, window: Int) {
    self.newClasses = newClasses
    self.window = max(1, window)
  }

  /// Counts one prediction.
  public mutating func add(_ p: R4ncl_V1_Prediction) {
    predictions += 1
    served.append((p.modelVersion, p.publishedTimeNs))
    guard case .trueLabel(let label)? = p.trueLabelValue else { return }
    let isNew = newClasses.contains(Int(label))
    let correct = label == p.classID
    recent.append((isNew, correct))
    if recent.count > window { recent.removeFirst(recent.count - window) }
    var counts = perVersion[p.modelVersion, default: [0, 0, 0, 0]]
    counts[isNew ? 2 : 0] += 1
    if correct { counts[isNew ? 3 : 1] += 1 }
    perVersion[p.modelVersion] = counts
  }

  /// Records a status heartbeat.
  public mutating func add(_ s: R4ncl_V1_NodeStatus) {
    status = s
    let started = s.learning.startedTimeNs
    if started > 0, !learningStarts.contains(started) { learningStarts.append(started) }
    if s.learning.completedRuns > 0 { learningSeconds = s.learning.lastDurationS }
  }

  static func percent(_ correct: Int, _ total: Int) -> String {
    total == 0 ? "  n/a" : String(format: "%5.1f%%", 100 * Double(correct) / Double(total))
  }

  /// The live line: window accuracies, model version, learning progress, counters.
  public var liveLine: String {
    let old = recent.filter { !$0.isNew }
    let new = recent.filter { $0.isNew }
    var line = "pred \(predictions)  last \(recent.count): old \(Self.percent(old.filter(\.correct).count, old.count))"
      + "  new \(Self.percent(new.filter(\.correct).count, new.count))"
    if let s = status {
      line += "  model v\(s.modelVersion)  \(s.classes.count) classes"
      if s.learning.active {
        line += String(format: "  learning %@ %d/%d (%.0f%%)", s.learning.phase, s.learning.epoch, s.learning.epochs,
          100 * s.learning.fraction)
        if s.learning.lossValue != nil { line += String(format: " loss %.3f", s.learning.loss) }
      } else if s.learning.completedRuns > 0 {
        line += String(format: "  learned in %.1f s", s.learning.lastDurationS)
      } else if s.spooledPerClass.contains(where: { $0.count > 0 }) {
        line += "  spooled \(s.spooledPerClass.map { "\($0.classID):\($0.count)" }.joined(separator: ","))"
      }
      line += "  dropped \(s.dropped) rejected \(s.rejected)"
    }
    return line
  }

  /// The summary table: accuracy on old and new classes per model version (first = before
  /// learning, last = after), learning time, predictions served while learning, node counters.
  public func summary(replayBytes: String? = nil) -> String {
    var lines = ["model version | predictions | old-class accuracy | new-class accuracy"]
    let versions = perVersion.keys.sorted()
    for (i, v) in versions.enumerated() {
      let c = perVersion[v]!
      let tag = versions.count > 1 ? (i == 0 ? " (before)" : (i == versions.count - 1 ? " (after)" : "")) : ""
      lines.append(
        String(format: "%-13@ | %11d | %@ (%d/%d) | %@ (%d/%d)", "v\(v)\(tag)" as NSString, c[0] + c[2],
          Self.percent(c[1], c[0]) as NSString, c[1], c[0], Self.percent(c[3], c[2]) as NSString, c[3], c[2]))
    }
    if versions.isEmpty { lines.append("(no labelled predictions)") }
    if let seconds = learningSeconds { lines.append(String(format: "learning time: %.2f s", seconds)) } else {
      lines.append("learning time: no learning run completed")
    }
    if let start = learningStarts.first, let first = versions.first {
      let duringLearning = served.filter { $0.version == first && $0.time >= start }.count
      lines.append("predictions served during learning: \(duringLearning)")
    }
    if let replayBytes { lines.append("replay memory: \(replayBytes)") }
    if let s = status {
      lines.append("node: received \(s.received), predicted \(s.predicted), dropped \(s.dropped), rejected \(s.rejected)")
    }
    lines.append("monitor: \(predictions) predictions received")
    return lines.joined(separator: "\n")
  }
}
