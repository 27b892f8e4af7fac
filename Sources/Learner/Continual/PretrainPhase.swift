import Foundation

/// A pretrained model and what the later phases need from it: the firing rate each hidden
/// layer had on old-class training data (the adaptive threshold's target), and its cost.
public struct PretrainedModel: Sendable {
  public var network: Network
  /// Classes it was trained on, ascending.
  public var oldClasses: [Int]
  /// Mean firing rate per hidden layer on old-class training samples at T_pre.
  public var layerRates: [Double]
  /// Wall time of pretraining (0 when loaded from a cache).
  public var seconds: Double
  /// Training-set accuracy of the last epoch (nil when loaded from a cache).
  public var lastTrainAccuracy: Double?

  public init(network: Network, oldClasses: [Int], layerRates: [Double], seconds: Double, lastTrainAccuracy: Double? = nil) {
    self.network = network
    self.oldClasses = oldClasses
    self.layerRates = layerRates
    self.seconds = seconds
    self.lastTrainAccuracy = lastTrainAccuracy
  }
}

/// Where pretrained models are kept between methods and runs (in memory, or on disk as
/// checkpoints by the command-line tool).
public protocol PretrainCache: AnyObject {
  func load(key: String) throws -> PretrainedModel?
  func save(_ model: PretrainedModel, key: String) throws
}

/// A process-local pretrained-model cache.
public final class MemoryPretrainCache: PretrainCache {
  private var models: [String: PretrainedModel] = [:]
  public init() {}
  public func load(key: String) throws -> PretrainedModel? { models[key] }
  public func save(_ model: PretrainedModel, key: String) throws { models[key] = model }
}

/// Phase 1: train a fresh network on the old classes at T_pre (all readout columns exist from
/// the start; the new classes' columns are never targets).
public struct PretrainPhase: Sendable {
  public var settings: ContinualSettings
  public var oldClasses: [Int]

  public init(settings: ContinualSettings, oldClasses: [Int]) {
    self.settings = settings
    self.oldClasses = oldClasses.sorted()
  }

  public func run(data: ContinualData, progress: ((TrainingProgress) -> Void)? = nil) throws -> PretrainedModel {
    try settings.validate()
    let started = Date()
    let network = try Network(config: settings.networkConfig(inputs: data.channelCount, classes: data.classCount))
    let binning = settings.binning(timesteps: settings.pretrainTimesteps)
    let train = try data.trainBinned(binning).withLabels(in: Set(oldClasses))
    guard !train.isEmpty else { throw ContinualError.invalidScenario("no training samples of the old classes \(oldClasses)") }
    let trainer = Trainer(
      network: network,
      optimizer: OptimizerSettings(
        kind: settings.optimizer, learningRate: settings.pretrainLearningRate, weightDecay: settings.pretrainRecipe?.weightDecay ?? 0),
      threads: settings.threads, batchSize: settings.batchSize, shuffleSeed: settings.seed &+ 1)
    var summaries: [EpochSummary] = []
    if let policy = settings.pretrainRecipe?.augmentation, !policy.isIdentity {
      // The recipe's augmentation: every epoch re-bins the old-class samples with fresh jitter.
      var old = data.train
      old.samples = old.samples.filter { $0.label.map(Set(oldClasses).contains) ?? false }
      for epoch in stride(from: 1, through: settings.pretrainEpochs, by: 1) {
        let trained = try trainer.trainAugmentedEpoch(
          old, binning: binning, policy: policy, seed: settings.seed, epoch: epoch, progress: progress)
        summaries += trained.summary.map { [$0] } ?? []
      }
    } else {
      summaries = try trainer.train(binned: train, epochs: settings.pretrainEpochs, progress: progress)
    }
    let rates = try layerRates(trainer.network, samples: train, runner: trainer.runner)
    return PretrainedModel(
      network: trainer.network, oldClasses: oldClasses, layerRates: rates,
      seconds: Date().timeIntervalSince(started), lastTrainAccuracy: summaries.last?.trainAccuracy)
  }

  /// Mean firing rate per hidden layer over (up to 512 of) `samples`.
  func layerRates(_ network: Network, samples: [BinnedSample], runner: NetworkRunner) throws -> [Double] {
    let use = Array(samples.prefix(512))
    var spikes = [Double](repeating: 0, count: network.hiddenLayerCount)
    var start = 0
    while start < use.count {
      let end = min(start + 256, use.count)
      _ = try runner.logits(network, .binned(Array(use[start..<end])))
      for (l, c) in runner.lastSpikeCounts(network).enumerated() { spikes[l] += c ?? 0 }
      start = end
    }
    return spikes.enumerated().map { network.firingRate(spikes: $1, layer: $0, samples: use.count) }
  }
}

extension Network {
  /// The same weights and thresholds run at `timesteps` steps (continual phases may replay at
  /// a different T than pretraining).
  public func retimed(_ timesteps: Int) throws -> Network {
    if config.timesteps == timesteps { return self }
    var c = config
    c.timesteps = timesteps
    var n = try Network(config: c)
    try n.setParameters(namedParameters)
    return n
  }
}
