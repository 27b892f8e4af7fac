import Learner
import Proto

/// A trained model the node predicts with. A published model is immutable and safe to call
/// from several threads: the learner builds a new one instead of changing it, and the runtime
/// swaps the reference atomically.
public protocol ClassifierModel: AnyObject, Sendable {
  /// Model version: increases by one with every learned update.
  var version: UInt64 { get }
  /// The classes the model knows.
  var classes: ClassMap { get }
  /// Input channels the model expects.
  var channelCount: Int { get }
  /// Hash of the frozen base (layers below the injection depth, configuration, timesteps).
  var baseFingerprint: String { get }
  /// One score per readout row (index = class id), for a validated sample.
  func scores(_ sample: SpikeSample) -> [Float]
  /// The model as a self-describing checkpoint.
  func checkpoint() -> R4ncl_V1_Checkpoint
  /// Class ids the model can learn: one per readout row; nil when it grows without bound.
  var readoutRows: Int? { get }
  /// How the model bins spike times into its time window; nil when it sees a sample whole.
  var binning: SpikeBinning? { get }
}

extension ClassifierModel {
  public var readoutRows: Int? { nil }
  public var binning: SpikeBinning? { nil }
}

/// Progress of a learning run, reported by the learner to the node's status.
public struct LearningUpdate: Sendable, Equatable {
  /// Phase name (e.g. "prepare", "learn").
  public var phase: String
  /// Completed epochs of the phase.
  public var epoch: Int
  /// Total epochs of the phase.
  public var epochs: Int
  /// Overall completion in [0, 1].
  public var fraction: Float
  /// Mean training loss of the last finished epoch; nil until an epoch finished.
  public var loss: Float?

  public init(phase: String, epoch: Int, epochs: Int, fraction: Float, loss: Float? = nil) {
    self.phase = phase
    self.epoch = epoch
    self.epochs = epochs
    self.fraction = fraction
    self.loss = loss
  }
}

/// What to learn: labeled samples (their `label` is the class id) of `classes`, some of which
/// the model may not know yet (`newClasses`).
public struct LearningJob: Sendable {
  /// Classes introduced by this job (id -> name), not in the current model.
  public var newClasses: ClassMap
  /// Labeled samples, `label` set to the class id.
  public var samples: [SpikeSample]
  /// Labeled latents at the learner's injection depth (e.g. from a swarm peer's replay shard):
  /// learned like the latents of `samples`, without raw data. Only replay learners use them.
  public var latents: [LatentSample]

  public init(newClasses: ClassMap, samples: [SpikeSample], latents: [LatentSample] = []) {
    self.newClasses = newClasses
    self.samples = samples
    self.latents = latents
  }
}

/// Thrown by a learner when its `progress` callback asked it to stop.
public struct LearningCancelled: Error, Sendable {
  public init() {}
}

/// Learns new classes into a copy of a model (the Replay4NCL learning phase in the real
/// engine). Runs on the node's learning thread; never touches the model being served.
public protocol IncrementalLearner: Sendable {
  /// Returns a new model, version `model.version + 1`, that also knows `job.newClasses`.
  /// Calls `progress` now and then; when it returns false the learner throws `LearningCancelled`.
  func learn(_ job: LearningJob, from model: any ClassifierModel, progress: (LearningUpdate) -> Bool) throws
    -> any ClassifierModel
}

/// Rebuilds a model from a checkpoint of its kind.
public protocol ModelLoader: Sendable {
  /// The model the checkpoint describes; throws `NodeError.incompatibleModel` for other kinds.
  func load(_ checkpoint: R4ncl_V1_Checkpoint) throws -> any ClassifierModel
}
