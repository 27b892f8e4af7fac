import Foundation

/// Trains a network from scratch by a `TrainingRecipe`: re-bins the training set with fresh
/// augmentation every epoch, evaluates held-out validation speakers, and keeps the weights of
/// the best validation epoch (or the last epoch when there is no validation set).
public final class RecipeTrainer {
  /// One finished epoch.
  public struct EpochReport: Sendable {
    public var summary: EpochSummary
    /// Accuracy on the validation speakers, if any.
    public var validationAccuracy: Double?
    /// Whether these weights are the best so far (and are kept).
    public var isBest: Bool
    /// Seconds spent binning (and augmenting) this epoch's samples.
    public var binningSeconds: Double
  }

  public let recipe: TrainingRecipe
  public let trainer: Trainer
  /// The best epoch so far (1-based), 0 before training.
  public private(set) var bestEpoch = 0
  /// Its validation accuracy, if any.
  public private(set) var bestValidationAccuracy: Double?
  private let seed: UInt64

  public init(recipe: TrainingRecipe, sensorChannels: Int, classes: Int, seed: UInt64, threads: Int = 2) throws {
    try recipe.validate()
    let config = recipe.networkConfig(sensorChannels: sensorChannels, classes: classes, seed: seed)
    let network = try Network(config: config)  // validates the sizes the product below multiplies
    let values = EngineLimits.activationCount(timesteps: recipe.timesteps, batch: recipe.batch, sizes: config.sizes)
    guard values <= EngineLimits.activations else {
      throw TrainingRecipeError.invalid(
        field: "batch", reason: "T × batch × widest layer is \(values) values, more than \(EngineLimits.activations): lower batch or timesteps")
    }
    self.recipe = recipe
    self.seed = seed
    self.trainer = Trainer(
      network: network, optimizer: recipe.optimizerSettings, threads: threads, batchSize: recipe.batch,
      shuffleSeed: seed &+ 1)
  }

  /// The network's binning (onset alignment and pooling included).
  public var binning: SpikeBinning { trainer.network.config.binning }

  /// Bins `dataset` without augmentation (validation and test).
  public func bin(_ dataset: SpikeDataset) throws -> [BinnedSample] {
    try binning.bin(dataset, threads: trainer.runner.threadCount)
  }

  /// Trains for the recipe's epochs on `fit`; selects on `validation` when given. The trainer's
  /// network ends as the selected weights.
  @discardableResult
  public func run(
    fit: SpikeDataset, validation: SpikeDataset?, progress: ((TrainingProgress) -> Void)? = nil,
    onEpoch: ((EpochReport) -> Void)? = nil
  ) throws -> [EpochReport] {
    guard fit.count > 0 else { throw NetworkError.inputMismatch("no training samples") }
    guard fit.channelCount == trainer.network.config.sensorChannelCount else {
      throw NetworkError.inputMismatch(
        "dataset has \(fit.channelCount) channels, the recipe's network expects \(trainer.network.config.sensorChannelCount)")
    }
    let validationBinned = try validation.map { try bin($0) }
    let plain = (recipe.augmentation?.isIdentity ?? true) ? try bin(fit) : nil
    var best: Network?
    var reports: [EpochReport] = []
    for epoch in 1...recipe.epochs {
      let trained: (summary: EpochSummary?, binningSeconds: Double)
      if let plain {
        let renumber = progress.map { report in { (event: TrainingProgress) in report(event.renumbered(epoch: epoch)) } }
        trained = (try trainer.train(binned: plain, epochs: 1, progress: renumber).last, 0)
      } else {
        trained = try trainer.trainAugmentedEpoch(
          fit, binning: binning, policy: recipe.augmentation!, seed: seed, epoch: epoch, progress: progress)
      }
      guard let summary = trained.summary else { break }
      let binningSeconds = trained.binningSeconds
      var report = EpochReport(summary: summary, validationAccuracy: nil, isBest: true, binningSeconds: binningSeconds)
      report.summary.epoch = epoch
      if let validationBinned, !validationBinned.isEmpty {
        let accuracy = try trainer.evaluate(.binned(validationBinned)).accuracy
        report.validationAccuracy = accuracy
        report.isBest = bestValidationAccuracy.map { accuracy > $0 } ?? true
        if report.isBest {
          bestValidationAccuracy = accuracy
          best = trainer.network
        }
      }
      if report.isBest { bestEpoch = epoch }
      reports.append(report)
      onEpoch?(report)
    }
    if let best { trainer.network = best }
    return reports
  }
}
