import Foundation

/// What the log says about rejected messages without flooding it: the first rejection of each
/// (input, reason) is logged at once; later ones are counted and summarised in one line at most
/// every `period` seconds. Status counts every rejection regardless (`rejected_by_reason`).
/// Owned by the I/O thread.
struct RejectionLog {
  /// Least seconds between a logged line and a summary.
  let period: Double
  private var seen: Set<String> = []
  /// Rejections not logged yet, by "input reason", in order of first occurrence.
  private var pending: [(key: String, count: UInt64)] = []
  private var lastLine = -Double.infinity

  init(period: Double) { self.period = period }

  /// Records a rejection of an `input` message (e.g. "label event"); returns the line to log
  /// now when it is the first of its reason on that input, naming `detail` (what was rejected).
  mutating func record(_ reason: RejectionReason, input: String, now: Double, detail: @autoclosure () -> String) -> String? {
    record(named: reason.rawValue, input: input, now: now, detail: detail())
  }

  /// `record` for a reason named by its counter (the swarm's `shard_*` reasons are not
  /// `RejectionReason`s); `reason` must come from the code, never from the wire.
  mutating func record(named reason: String, input: String, now: Double, detail: @autoclosure () -> String) -> String? {
    let key = "\(input) \(reason)"
    guard seen.insert(key).inserted else {
      if let index = pending.firstIndex(where: { $0.key == key }) {
        pending[index].count += 1
      } else {
        pending.append((key, 1))
      }
      return nil
    }
    lastLine = now
    let what = detail()
    return "rejected a \(input): \(reason)\(what.isEmpty ? "" : " (\(what))");"
      + " more rejections are summarised at most every \(Int(period)) s"
  }

  /// The rejections counted since the last line, once `period` has passed since it; nil when
  /// none are pending or it is too early.
  mutating func summary(now: Double) -> String? {
    guard !pending.isEmpty, now - lastLine >= period else { return nil }
    let text = pending.map { "\($0.key) x\($0.count)" }.joined(separator: ", ")
    pending = []
    defer { lastLine = now }
    return "rejected in the last \(String(format: "%.0f", now - lastLine)) s: \(text)"
  }
}
