/// Every message's fate, for status and for the accounting invariant
/// `received == predicted + dropped + rejected(spike topics) + in flight`.
public struct NodeCounters: Sendable, Equatable {
  /// Spike-topic messages received (valid or not).
  public var received: UInt64 = 0
  /// Predictions published.
  public var predicted: UInt64 = 0
  /// Drops per reason ("prediction_queue_full", "outbox_full", "shutdown").
  public var dropped: [String: UInt64] = [:]
  /// Rejections per reason (`RejectionReason.rawValue`), on every input topic.
  public var rejected: [String: UInt64] = [:]
  /// Rejections of spike-topic messages only (for the accounting invariant).
  public var rejectedSpikes: UInt64 = 0
  /// Label events received (valid or not).
  public var labelEvents: UInt64 = 0
  /// Labeled samples fsync'd to the spool.
  public var labelsAcknowledged: UInt64 = 0
  /// Labeled samples received again in an event the spool already holds (acknowledged, not
  /// spooled twice).
  public var labelsDuplicate: UInt64 = 0
  /// Samples missing according to per-sensor sequence numbers.
  public var sequenceGaps: UInt64 = 0

  public init() {}

  /// Total drops.
  public var droppedTotal: UInt64 { dropped.values.reduce(0, +) }
  /// Total rejections.
  public var rejectedTotal: UInt64 { rejected.values.reduce(0, +) }

  mutating func drop(_ reason: String, _ count: UInt64 = 1) { dropped[reason, default: 0] += count }
  mutating func reject(_ reason: RejectionReason) { rejected[reason.rawValue, default: 0] += 1 }
}
