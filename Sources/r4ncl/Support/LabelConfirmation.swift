import Foundation
import Node
import Proto

/// How `r4ncl label --confirm` learns what the node did with its label events: pub/sub
/// acknowledges nothing, so it reads the node's per-teacher ledger (`NodeStatus.teachers`) over
/// the REQ/REP control socket, before sending (the baseline) and after, until every event it
/// sent is accounted for.
struct LabelConfirmation {
  let client: ControlClient
  let teacher: String
  let timeout: Double
  /// The teacher's ledger and the node's state before sending.
  let before: R4ncl_V1_TeacherLedger
  let baseline: R4ncl_V1_NodeStatus

  /// Reads the baseline; fails at once (before anything is sent) when no node answers.
  init(endpoint: String, teacher: String, timeout: Double) throws {
    client = try ControlClient(endpoint: endpoint, timeout: min(timeout, 5))
    self.teacher = teacher
    self.timeout = timeout
    baseline = try client.status()
    before = Self.ledger(of: teacher, in: baseline)
  }

  static func ledger(of teacher: String, in status: R4ncl_V1_NodeStatus) -> R4ncl_V1_TeacherLedger {
    status.teachers.first { $0.teacher == teacher } ?? R4ncl_V1_TeacherLedger()
  }

  /// The growth of a ledger count since the baseline (the count itself if the node forgot the
  /// teacher in between: its ledgers are bounded).
  private static func since(_ now: UInt64, _ then: UInt64) -> UInt64 { now >= then ? now - then : now }

  /// Waits until the node has handled `events` more events of this teacher; throws when it
  /// refused any or persisted fewer than `samples` samples, or when the events do not all arrive.
  func confirm(events: UInt64, samples: UInt64) throws -> String {
    let deadline = Clock.monotonicSeconds() + timeout
    var ledger: R4ncl_V1_TeacherLedger
    while true {
      ledger = Self.ledger(of: teacher, in: try client.status())
      if Self.since(ledger.events, before.events) >= events { break }
      guard Clock.monotonicSeconds() < deadline else {
        throw CommandFailure(
          "the node handled \(Self.since(ledger.events, before.events)) of the \(events) label events sent within "
            + "\(ControlClient.seconds(timeout)) s (lost on the way, or the node's label endpoint is another node's)")
      }
      usleep(20_000)
    }
    let refused = Self.since(ledger.refusedEvents, before.refusedEvents)
    let persisted = Self.since(ledger.samplesAcknowledged, before.samplesAcknowledged)
    if refused > 0 || persisted < samples {
      throw CommandFailure(
        "the node refused \(refused) of \(events) label events and persisted \(persisted) of \(samples) samples"
          + (refused > 0 ? "; last refusal: \(ledger.lastProblem)" : ""))
    }
    return "the node persisted all \(persisted) samples (teacher \(teacher))"
  }

  /// Waits until the node serves a model newer than the baseline that knows `classID`; throws
  /// when a learning run fails or the time is up.
  func waitUntilLearned(classID: Int32) throws -> String {
    let deadline = Clock.monotonicSeconds() + timeout
    var progress = ProgressLine()
    defer { if progress.isTerminal { progress.update("") } }
    while true {
      let status = try client.status()
      progress.periodic(  // a long learning run shows progress
        status.learning.active
          ? "label: the node is learning \(NodeStatusSummary.run(status.learning))"
          : "label: waiting for the node to learn class \(classID)",
        terminalEvery: 0.5)
      let learning = status.learning.active && status.learning.classIds.contains(classID)
      let entry = status.classes.first(where: { $0.id == classID })
      if status.modelVersion > baseline.modelVersion, !learning, let entry {
        return "the node learned class \(classID) \"\(entry.name)\": model v\(status.modelVersion)"
          + String(format: " (learning took %.2f s)", status.learning.lastDurationS)
      }
      if status.lastError != baseline.lastError, status.lastError.hasPrefix("learning classes") {
        throw CommandFailure("the node's \(status.lastError)")
      }
      guard Clock.monotonicSeconds() < deadline else {
        let state = status.learning.active
          ? "learning \(NodeStatusSummary.run(status.learning))"
          : "no learning run (send --learn-now, or the node's learning.min_samples is 0)"
        throw CommandFailure("the node did not learn class \(classID) within \(ControlClient.seconds(timeout)) s: \(state)")
      }
      usleep(50_000)
    }
  }
}
