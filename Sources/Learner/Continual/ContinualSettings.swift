/// How a method uses the data in the learning phase.
public enum ContinualStrategy: String, Sendable, Codable, CaseIterable {
  /// Fine-tune every weight on the new classes only, no replay (the forgetting lower bound).
  case naive
  /// Retrain every weight on all old and new training data (the upper bound).
  case joint
  /// Latent replay: freeze up to depth d, replay encoded old-class latents (SpikingLR, Replay4NCL).
  case replay
}

/// Every knob of a continual-learning method in one value; the method presets
/// (`ContinualSettings.preset(_:)`) are just defaults of it. Command line and YAML set knobs by
/// name through `set(_:_:)`.
public struct ContinualSettings: Sendable, Equatable, Codable {
  /// Name shown in tables and reports (e.g. "replay4ncl").
  public var method: String
  public var strategy: ContinualStrategy
  /// Hidden layer sizes (input and class count come from the data).
  public var hiddenSizes: [Int]
  /// Timesteps T of pretraining.
  public var pretrainTimesteps: Int
  /// Timesteps T of the learning phase (latents are extracted at this T).
  public var learnTimesteps: Int
  /// Binned window in seconds.
  public var maxTime: Double
  /// Injection depth d (0 = input currents of hidden 1, k = spikes of hidden k).
  public var depth: Int
  /// Replay codec name ("raw", "bitpack", "events", "auto", "orpool:w", or "float32").
  public var codec: String
  /// Old-class samples kept per class in the replay buffer (SpikingLR: 64).
  public var replaySamplesPerClass: Int
  /// Per-layer thresholds of pretraining (nil: 1.0 everywhere).
  public var pretrainThresholds: [Float]?
  /// Per-layer thresholds of the learning phase, applied to the trainable layers only (frozen
  /// layers keep the thresholds their latents were made with); nil keeps the pretrained ones.
  public var learnThresholds: [Float]?
  public var pretrainLearningRate: Float
  public var learnLearningRate: Float
  public var pretrainEpochs: Int
  public var learnEpochs: Int
  public var optimizer: OptimizerKind
  public var batchSize: Int
  public var adaptiveThreshold: AdaptiveThresholdSettings
  /// The new class's readout column is re-initialised ~ N(mean, std^2) (SpikingLR: 0.003, 0.003).
  public var newReadoutMean: Float
  public var newReadoutStd: Float
  /// Seed of weights, sample selection and shuffles.
  public var seed: UInt64
  /// Threads a batch is split over.
  public var threads: Int
  /// The training recipe pretraining follows for what `ContinualSettings` has no knob of: input
  /// front end (onset alignment, channel pooling), surrogate steepness, augmentation, weight
  /// decay. nil: SpikingLR's (raw channels, scale 100, no augmentation). The front end and the
  /// surrogate stay with the network through the later phases.
  public var pretrainRecipe: TrainingRecipe?

  public init(
    method: String = "custom", strategy: ContinualStrategy = .replay, hiddenSizes: [Int] = [200, 100, 50],
    pretrainTimesteps: Int = 100, learnTimesteps: Int = 100, maxTime: Double = 1.4, depth: Int = 3,
    codec: String = "auto", replaySamplesPerClass: Int = 64, pretrainThresholds: [Float]? = nil,
    learnThresholds: [Float]? = nil, pretrainLearningRate: Float = 5e-4, learnLearningRate: Float = 2e-4,
    pretrainEpochs: Int = 20, learnEpochs: Int = 20, optimizer: OptimizerKind = .adamax, batchSize: Int = 64,
    adaptiveThreshold: AdaptiveThresholdSettings = AdaptiveThresholdSettings(), newReadoutMean: Float = 0.003,
    newReadoutStd: Float = 0.003, seed: UInt64 = 0, threads: Int = 2
  ) {
    self.method = method
    self.strategy = strategy
    self.hiddenSizes = hiddenSizes
    self.pretrainTimesteps = pretrainTimesteps
    self.learnTimesteps = learnTimesteps
    self.maxTime = maxTime
    self.depth = depth
    self.codec = codec
    self.replaySamplesPerClass = replaySamplesPerClass
    self.pretrainThresholds = pretrainThresholds
    self.learnThresholds = learnThresholds
    self.pretrainLearningRate = pretrainLearningRate
    self.learnLearningRate = learnLearningRate
    self.pretrainEpochs = pretrainEpochs
    self.learnEpochs = learnEpochs
    self.optimizer = optimizer
    self.batchSize = batchSize
    self.adaptiveThreshold = adaptiveThreshold
    self.newReadoutMean = newReadoutMean
    self.newReadoutStd = newReadoutStd
    self.seed = seed
    self.threads = threads
    self.pretrainRecipe = nil
  }

  /// Takes network shape, window, epochs, learning rate, optimizer and batch from `recipe`
  /// (later knobs still override them) and keeps it for the rest (`pretrainRecipe`).
  public mutating func adopt(recipe: TrainingRecipe?) {
    pretrainRecipe = recipe
    guard let r = recipe else { return }
    hiddenSizes = r.hidden
    maxTime = r.maxTime
    pretrainEpochs = r.epochs
    pretrainLearningRate = r.learningRate
    optimizer = r.optimizer
    batchSize = r.batch
  }

  /// The binning of every phase at `timesteps` steps (the recipe's front end, if any).
  public func binning(timesteps: Int) -> SpikeBinning {
    SpikeBinning(
      timesteps: timesteps, maxTime: maxTime, pooling: pretrainRecipe?.channelPooling ?? 1, onset: pretrainRecipe?.onset)
  }

  /// The network configuration of pretraining for `inputs` channels and `classes` classes.
  /// `inputs` counts sensor channels; the network's first size is after the recipe's pooling.
  public func networkConfig(inputs: Int, classes: Int) -> NetworkConfig {
    let pooling = pretrainRecipe?.channelPooling ?? 1
    return NetworkConfig(
      sizes: [(inputs + pooling - 1) / pooling] + hiddenSizes + [classes], timesteps: pretrainTimesteps, maxTime: maxTime,
      thresholds: pretrainThresholds ?? [Float](repeating: 1, count: hiddenSizes.count),
      surrogateScale: pretrainRecipe?.surrogateScale ?? 100, seed: seed, channelPooling: pooling, onset: pretrainRecipe?.onset)
  }

  /// Identifies a pretrained model: two settings with equal keys pretrain identically
  /// (used to cache pretrained models between methods and runs).
  public func pretrainKey(oldClasses: [Int], inputs: Int, classes: Int) -> String {
    let thr = (pretrainThresholds ?? [Float](repeating: 1, count: hiddenSizes.count)).map { "\($0)" }.joined(separator: "_")
    let old = oldClasses.sorted().map(String.init).joined(separator: "_")
    return "pre-T\(pretrainTimesteps)-mt\(maxTime)-n\(inputs)-h\(hiddenSizes.map(String.init).joined(separator: "_"))-c\(classes)"
      + "-e\(pretrainEpochs)-lr\(pretrainLearningRate)-\(optimizer.rawValue)-b\(batchSize)-s\(seed)-thr\(thr)-old\(old)"
      + (pretrainRecipe.map { "-recipe-" + String(UInt32(truncatingIfNeeded: stableHash($0.summary)), radix: 16) } ?? "")
  }

  /// FNV-1a of a string (Swift's `hashValue` is seeded per process; cache keys must be stable).
  private func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
  }

  /// Checks that a replay method's `codec` names a codec (naive and joint store nothing: their
  /// codec is "none"); part of `validate()`, callable before the network is known.
  public func validateCodec() throws {
    guard strategy == .replay else { return }
    do { _ = try LatentCodec.named(codec) } catch ContinualError.unknownCodec {
      throw ContinualError.invalidSetting(field: "codec", reason: "must be \(LatentCodec.knownNames), got '\(codec)'")
    } catch {
      throw ContinualError.invalidSetting(field: "codec", reason: "\(error)")
    }
  }

  /// Throws `ContinualError.invalidSetting` naming the first bad field.
  public func validate() throws {
    func bad(_ f: String, _ r: String) -> ContinualError { .invalidSetting(field: f, reason: r) }
    let L = hiddenSizes.count
    let limits = EngineLimits.self
    guard L >= 1, hiddenSizes.allSatisfy({ (1...limits.layerSize).contains($0) }) else {
      throw bad("hidden", "needs >= 1 sizes in 1...\(limits.layerSize), got \(hiddenSizes)")
    }
    for (name, t) in [("pretrain_timesteps", pretrainTimesteps), ("learn_timesteps", learnTimesteps)] {
      guard (1...limits.timesteps).contains(t) else { throw bad(name, "must be in 1...\(limits.timesteps), got \(t)") }
    }
    guard maxTime > 0, maxTime.isFinite else { throw bad("max_time", "must be > 0 seconds, got \(maxTime)") }
    guard depth >= 0, depth <= L else { throw bad("depth", "must be in 0...\(L), got \(depth)") }
    try validateCodec()
    guard (1...limits.count).contains(replaySamplesPerClass) else {
      throw bad("replay_per_class", "must be in 1...\(limits.count), got \(replaySamplesPerClass)")
    }
    for (name, t) in [("pretrain_thresholds", pretrainThresholds), ("learn_thresholds", learnThresholds)] {
      guard let t = t else { continue }
      guard t.count == L else { throw bad(name, "needs \(L) values (one per hidden layer), got \(t.count)") }
      guard t.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw bad(name, "must be finite and > 0, got \(t)") }
    }
    guard pretrainLearningRate > 0, pretrainLearningRate.isFinite else { throw bad("pretrain_lr", "must be > 0, got \(pretrainLearningRate)") }
    guard learnLearningRate > 0, learnLearningRate.isFinite else { throw bad("learn_lr", "must be > 0, got \(learnLearningRate)") }
    guard (0...limits.epochs).contains(pretrainEpochs) else { throw bad("pretrain_epochs", "must be in 0...\(limits.epochs), got \(pretrainEpochs)") }
    guard (1...limits.epochs).contains(learnEpochs) else { throw bad("epochs", "must be in 1...\(limits.epochs), got \(learnEpochs)") }
    guard (1...limits.batch).contains(batchSize) else { throw bad("batch_size", "must be in 1...\(limits.batch), got \(batchSize)") }
    guard threads >= 1 else { throw bad("threads", "must be >= 1, got \(threads)") }
    let a = adaptiveThreshold
    guard a.rate >= 0, a.rate.isFinite else { throw bad("adaptive_rate", "must be >= 0, got \(a.rate)") }
    guard a.lower > 0, a.lower <= a.upper, a.upper.isFinite else {
      throw bad("adaptive_lower/adaptive_upper", "need 0 < lower <= upper, got \(a.lower), \(a.upper)")
    }
    if let r = pretrainRecipe {
      do { try r.validate() } catch { throw bad("pretrain_recipe", "\(error)") }
    }
    guard newReadoutStd >= 0, newReadoutStd.isFinite, newReadoutMean.isFinite else {
      throw bad("readout_mean/readout_std", "need a finite mean and std >= 0, got \(newReadoutMean), \(newReadoutStd)")
    }
  }
}
