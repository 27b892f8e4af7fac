import Foundation
import Learner
import Logging
import Proto

/// The running node: one I/O thread owns every socket (poll, decode, validate, route, publish)
/// and classifies spike samples with the current model (or hands them to a predictor thread,
/// `queue.prediction_thread`), and a learning thread learns announced classes in the
/// background; the new model is swapped in atomically.
///
/// Lifecycle: `init` (opens the spool) -> `start()` (binds sockets, throws at once on a bad
/// endpoint or a port in use) -> `requestShutdown()` (thread-safe, also from a signal handler)
/// -> `waitUntilStopped()` (drain done, final checkpoint written).
public final class NodeRuntime: @unchecked Sendable {
  public let configuration: NodeConfiguration
  public let topics: Topics
  let logger: Logger
  let loader: any ModelLoader
  let store: CheckpointStore?
  let spool: LabelSpool

  let model: Protected<any ClassifierModel>
  let counters = Protected(NodeCounters())
  let wake: WakePipe
  let predictionQueue: BoundedQueue<PendingSample>
  let outbox: BoundedQueue<OutgoingMessage>
  let predictor: Predictor
  let worker: LearningWorker

  // I/O thread state.
  var sockets: NodeSockets?
  var lifecycle = R4ncl_V1_LifecycleState.starting
  var statusSequence: UInt64 = 0
  var statusDirty = true
  var lastStatusTime = 0.0
  var lastSequence: [String: UInt64] = [:]
  var learningScheduled = false
  var learnNowPending: R4ncl_V1_LearnNow?
  /// Spool watermark of the last failed learning run: automatic runs wait for new label
  /// records (or a learn-now) instead of retrying the same failure in a loop.
  var learningFailedAtWatermark: UInt64?
  var lastError = ""
  var rejectionLog = RejectionLog(period: NodeRuntime.rejectionLogPeriod)
  var teacherLedgers = TeacherLedgers()
  var lastCheckpointPath = ""
  /// Swarm sharing state (sockets, shard assembly, publications), set by `start()`.
  var swarm: SwarmState?
  let startTime = Clock.monotonicSeconds()

  let shutdownRequested = Protected(false)
  private let stopped = DispatchSemaphore(value: 0)
  private let published = Protected(R4ncl_V1_NodeStatus())
  private let boundEndpoints = Protected([String: [String]]())

  /// A node serving `model`, learning with `learner`, loading checkpoints with `loader`.
  public init(
    configuration: NodeConfiguration, model: any ClassifierModel, learner: any IncrementalLearner,
    loader: any ModelLoader, logger: Logger = Logger(label: "r4ncl.node")
  ) throws {
    guard model.channelCount == configuration.limits.channelCount else {
      throw NodeError.incompatibleModel(
        "model has \(model.channelCount) input channels, parameters say \(configuration.limits.channelCount)")
    }
    self.configuration = configuration
    self.topics = Topics(namespace: configuration.namespace)
    self.logger = logger
    self.loader = loader
    self.store = configuration.checkpointDirectory.isEmpty
      ? nil : CheckpointStore(directory: configuration.checkpointDirectory, keep: configuration.checkpointKeep)
    self.spool = try LabelSpool(directory: configuration.spoolDirectory)
    self.model = Protected(model)
    self.wake = try WakePipe()
    self.predictionQueue = BoundedQueue(capacity: configuration.predictionQueueCapacity)
    self.outbox = BoundedQueue(capacity: configuration.predictionQueueCapacity * 4 + 64)
    self.predictor = Predictor(
      queue: predictionQueue, outbox: outbox, model: self.model, counters: counters, wake: wake,
      topic: topics.predictions)
    self.worker = LearningWorker(learner: learner, store: store, wake: wake, namespace: topics.namespace)
    if let rows = model.readoutRows, rows < configuration.limits.classCapacity {
      logger.debug("class ids are limited to the model's \(rows) readout rows (limits.class_capacity is \(configuration.limits.classCapacity))")
    }
    if spool.recoveredTornBytes > 0 {
      logger.warning("label spool: cut a torn tail of \(spool.recoveredTornBytes) bytes (crash during append)")
    }
  }

  /// Fault injection for crash-consistency tests: runs between a checkpoint's write and rename.
  public func setBeforeCheckpointRename(_ hook: (() -> Void)?) { worker.beforeCheckpointRename = hook }

  /// Binds/connects every socket and starts the threads. Throws `ZMQError` (e.g. port in use).
  public func start() throws {
    let sockets = try NodeSockets(configuration: configuration, topics: topics, wake: wake)
    self.sockets = sockets
    logger.info("node \(topics.namespace): \(sockets.endpoints.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.joined(separator: ","))" }.joined(separator: "; "))")
    // startSwarm logs the security mode (CURVE keys, or "security: none").
    try startSwarm(sockets)
    boundEndpoints.withLock { $0 = sockets.endpoints.merging(swarm?.sockets.endpoints ?? [:]) { a, _ in a } }
    if configuration.predictionThread { predictor.start() }
    worker.start()
    let thread = Thread { [self] in
      runIOLoop()
      stopped.signal()
    }
    thread.name = "r4ncl-io"
    thread.start()
  }

  /// The real endpoints after binding (wildcard ports resolved), by socket name:
  /// "spikes", "labels", "output", "control" (and "swarm", "swarm_control" when configured).
  public var endpoints: [String: [String]] { boundEndpoints.current }

  /// Asks the node to drain and stop (thread-safe; safe to call repeatedly).
  public func requestShutdown() {
    shutdownRequested.withLock { $0 = true }
    wake.signal()
  }

  /// Blocks until the node stopped (after `requestShutdown` or a control Shutdown).
  public func waitUntilStopped() { stopped.wait() }

  /// Waits up to `timeout` seconds; true when the node stopped.
  public func waitUntilStopped(timeout: Double) -> Bool {
    stopped.wait(timeout: .now() + timeout) == .success
  }

  /// The counters now (thread-safe).
  public var currentCounters: NodeCounters { counters.current }

  /// The last status the node published (thread-safe).
  public var lastPublishedStatus: R4ncl_V1_NodeStatus { published.current }

  func recordPublished(_ status: R4ncl_V1_NodeStatus) { published.withLock { $0 = status } }
}
