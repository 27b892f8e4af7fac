import Foundation
import Proto

/// A node's status as a few readable lines, for `r4ncl control status` (the whole message is
/// one `--json` away): lifecycle and model, message counts, learning, labels and teachers. Names
/// and reasons came from the wire: they are clipped and stripped of control characters.
public enum NodeStatusSummary {
  public static func lines(_ s: R4ncl_V1_NodeStatus) -> [String] {
    var lines = [
      "node \(clean(s.node)): \(state(s.state)), model v\(s.modelVersion) with \(s.classes.count) classes"
        + String(format: ", up %.1f s", s.uptimeS) + (s.secure ? ", CURVE" : ""),
      "spikes: received \(s.received), predicted \(s.predicted), dropped \(s.dropped), rejected \(s.rejectedSamples)"
        + (s.sequenceGaps > 0 ? ", sequence gaps \(s.sequenceGaps)" : "")
        + ", queue \(s.queues.predictionQueue)/\(s.queues.predictionCapacity)",
    ]
    if !s.rejectedByReason.isEmpty || !s.droppedByReason.isEmpty {
      let reasons = (s.rejectedByReason.map { "rejected \(clean($0.reason)) \($0.count)" }
        + s.droppedByReason.map { "dropped \(clean($0.reason)) \($0.count)" })
      lines.append("by reason: " + reasons.joined(separator: ", "))
    }
    let l = s.learning
    if l.active {
      lines.append("learning: " + run(l) + (l.lossValue != nil ? String(format: ", loss %.3f", l.loss) : ""))
    } else {
      lines.append("learning: idle, \(l.completedRuns) run\(l.completedRuns == 1 ? "" : "s") done" + (l.completedRuns > 0 ? String(format: ", the last in %.2f s", l.lastDurationS) : ""))
    }
    let spooled = s.spooledPerClass.filter { $0.count > 0 }.map { "\($0.classID): \($0.count)" }
    let pending = s.pendingClasses.map { "\($0.id) \"\(clean($0.name))\"" }
    lines.append("labels: \(s.labelEvents) events, \(s.labelsAcknowledged) samples persisted"
      + (s.labelsDuplicate > 0 ? " (\(s.labelsDuplicate) received again, kept once)" : "")
      + (spooled.isEmpty ? "" : ", spooled \(spooled.joined(separator: ", "))")
      + (pending.isEmpty ? "" : ", announced and not learned: \(pending.joined(separator: ", "))"))
    for t in s.teachers {
      lines.append("teacher \(clean(t.teacher)): \(t.events) events (last #\(t.lastSequence)), \(t.samplesAcknowledged) samples persisted, "
        + "\(t.refusedEvents) refused" + (t.lastProblem.isEmpty ? "" : " (last: \(clean(t.lastProblem, limit: 300)))"))
    }
    if !s.lastCheckpointPath.isEmpty { lines.append("checkpoint: \(clean(s.lastCheckpointPath, limit: 300))") }
    if !s.lastError.isEmpty { lines.append("last error: \(clean(s.lastError, limit: 300))") }
    return lines
  }

  private static func clean(_ text: String, limit: Int = 120) -> String { WireText.line(text, limit: limit) }

  /// The running learning job: "classes [19], learn epoch 6/60 (10%)".
  public static func run(_ l: R4ncl_V1_LearningProgress) -> String {
    String(format: "classes %@, %@ epoch %d/%d (%.0f%%)", "\(l.classIds)", clean(l.phase), l.epoch, l.epochs, 100 * l.fraction)
  }

  /// "serving", "learning", ... from the enum case.
  static func state(_ state: R4ncl_V1_LifecycleState) -> String {
    switch state {
    case .starting: return "starting"
    case .serving: return "serving"
    case .learning: return "learning"
    case .draining: return "draining"
    case .stopped: return "stopped"
    case .failed: return "FAILED"
    case .unspecified, .UNRECOGNIZED: return "state unknown"
    }
  }
}
