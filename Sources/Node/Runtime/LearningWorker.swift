import Foundation
import Learner
import Proto

/// A learning run scheduled by the I/O thread.
struct ScheduledJob {
  var job: LearningJob
  /// The model to learn from (served unchanged meanwhile).
  var model: any ClassifierModel
  /// Classes whose spooled samples the job consumes.
  var classes: Set<Int>
  /// Spool records below this index are in the job.
  var watermark: UInt64
}

/// What a learning run produced, handed back to the I/O thread.
enum LearningOutcome {
  /// A new model, its checkpoint already on disk at `path` (nil without a checkpoint directory).
  case finished(ScheduledJob, model: any ClassifierModel, checkpoint: R4ncl_V1_Checkpoint, path: String?, seconds: Double)
  /// The run failed or was cancelled.
  case failed(ScheduledJob, error: Error)
}

/// Live learning progress, read by the status builder.
struct LearningState {
  var active = false
  var classIDs: [Int] = []
  var update = LearningUpdate(phase: "", epoch: 0, epochs: 0, fraction: 0)
  var startedTimeNs: Int64 = 0
  var lastDuration: Double = 0
  var completedRuns = 0
}

/// The learning thread: runs the learner on a copy of the model, writes the checkpoint, and
/// posts the outcome; the I/O thread swaps the model in. Never touches a socket.
final class LearningWorker: @unchecked Sendable {
  let learner: any IncrementalLearner
  let store: CheckpointStore?
  let jobs = BoundedQueue<ScheduledJob>(capacity: 4)
  let outcomes = BoundedQueue<LearningOutcome>(capacity: 16)
  let state = Protected(LearningState())
  let wake: WakePipe
  let namespace: String
  /// Set to stop a running job at its next progress report.
  let cancelled = Protected(false)
  /// Fault injection for crash tests: called between checkpoint write and rename.
  var beforeCheckpointRename: (() -> Void)?
  private let done = DispatchSemaphore(value: 0)

  init(learner: any IncrementalLearner, store: CheckpointStore?, wake: WakePipe, namespace: String) {
    self.learner = learner
    self.store = store
    self.wake = wake
    self.namespace = namespace
  }

  func start() {
    let thread = Thread { [self] in
      // Learning yields the CPU to the I/O and predictor threads (nice +10 for this thread
      // only: on Linux the nice value is per thread, and who = 0 means the calling thread).
      // Relative to the thread's current value, so a node started with `nice` still favours I/O.
      let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
      _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + 10))
      while let job = jobs.pop() { _ = outcomes.push(run(job)); wake.signal() }
      done.signal()
    }
    thread.name = "r4ncl-learner"
    thread.start()
  }

  /// Cancels a running job and waits for the thread to end.
  func stop() {
    cancelled.withLock { $0 = true }
    jobs.close()
    done.wait()
  }

  private func run(_ scheduled: ScheduledJob) -> LearningOutcome {
    let start = Clock.monotonicSeconds()
    state.withLock {
      $0.active = true
      $0.classIDs = scheduled.classes.sorted()
      $0.update = LearningUpdate(phase: "start", epoch: 0, epochs: 0, fraction: 0)
      $0.startedTimeNs = Clock.nowNanoseconds()
    }
    wake.signal()
    defer {
      state.withLock {
        $0.active = false
        $0.lastDuration = Clock.monotonicSeconds() - start
        $0.completedRuns += 1
      }
    }
    do {
      let model = try learner.learn(scheduled.job, from: scheduled.model) { update in
        state.withLock { $0.update = update }
        wake.signal()
        return !cancelled.current
      }
      var checkpoint = model.checkpoint()
      checkpoint.node = namespace
      let path = try store?.save(model, node: namespace, beforeRename: beforeCheckpointRename)
      return .finished(scheduled, model: model, checkpoint: checkpoint, path: path, seconds: Clock.monotonicSeconds() - start)
    } catch {
      return .failed(scheduled, error: error)
    }
  }
}
