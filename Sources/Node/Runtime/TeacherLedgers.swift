import Proto

/// Per-teacher accounts of label events (what was taken, what was refused and why), published in
/// `NodeStatus.teachers` so `r4ncl label --confirm` can tell that the node took its samples:
/// pub/sub itself acknowledges nothing. Bounded: the least recently heard teacher is forgotten
/// first. Owned by the I/O thread.
struct TeacherLedgers {
  let capacity: Int
  private var entries: [String: (ledger: R4ncl_V1_TeacherLedger, heard: UInt64)] = [:]
  private var tick: UInt64 = 0

  init(capacity: Int = 32) { self.capacity = max(1, capacity) }

  /// Records one event of `teacher` with `sequence`: `acknowledged` samples persisted, or refused
  /// with `problem` (a rejection reason and what the event was).
  mutating func record(teacher: String, sequence: UInt64, acknowledged: Int = 0, problem: String? = nil) {
    tick += 1
    var ledger = entries[teacher]?.ledger ?? {
      var fresh = R4ncl_V1_TeacherLedger()
      fresh.teacher = teacher
      return fresh
    }()
    ledger.events += 1
    ledger.lastSequence = max(ledger.lastSequence, sequence)
    ledger.samplesAcknowledged += UInt64(acknowledged)
    if let problem {
      ledger.refusedEvents += 1
      ledger.lastProblem = problem
    }
    entries[teacher] = (ledger, tick)
    if entries.count > capacity, let oldest = entries.min(by: { $0.value.heard < $1.value.heard })?.key {
      entries[oldest] = nil
    }
  }

  /// The ledgers, sorted by teacher.
  var ledgers: [R4ncl_V1_TeacherLedger] { entries.values.map(\.ledger).sorted { $0.teacher < $1.teacher } }
}
