import Foundation

extension NodeRuntime {
  /// Least seconds between two log lines about rejected messages (after the first of a kind).
  static let rejectionLogPeriod = 10.0

  /// Counts a rejected `input` message (a spike-topic one also in `rejected_samples`) and logs
  /// it when it is the first of its reason; the rest go into the periodic summary.
  func reject(_ reason: RejectionReason, input: String, spike: Bool = false, detail: @autoclosure () -> String = "") {
    counters.withLock {
      $0.reject(reason)
      if spike { $0.rejectedSpikes += 1 }
    }
    if let line = rejectionLog.record(reason, input: input, now: Clock.monotonicSeconds(), detail: detail()) {
      logger.warning("\(line)")
    }
  }

  /// Logs the summary of rejections since the last line when one is due.
  func logRejectionSummaryIfDue() {
    if let line = rejectionLog.summary(now: Clock.monotonicSeconds()) { logger.warning("\(line)") }
  }

  /// Why an `outside_window` sample was refused, for its log line.
  var windowText: String {
    let window = model.current.binning.map { String(format: "%g", $0.maxTime) } ?? "?"
    return "none of a sample's events lies in the model's \(window) s window; times are seconds from the sample's start"
  }

  /// The topic frame of a message, printable and short, for log lines.
  static func topicText(_ frames: [[UInt8]]) -> String {
    guard let first = frames.first else { return "no frames" }
    return "topic \"\(WireText.line(first))\", \(frames.count) frame\(frames.count == 1 ? "" : "s")"
  }
}
