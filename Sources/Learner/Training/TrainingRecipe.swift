/// Everything that decides how a network is trained from scratch: shape, input encoding, neuron
/// surrogate, optimizer, epochs, augmentation and model selection. Recipes are data (YAML files
/// under `presets/recipes/`, printed in every report); the built-in values below mirror them.
public struct TrainingRecipe: Sendable, Equatable, Codable {
  /// Short name printed in reports.
  public var name: String
  /// Hidden layer sizes.
  public var hidden: [Int]
  /// Time bins T.
  public var timesteps: Int
  /// Binned window in seconds.
  public var maxTime: Double
  /// Sensor channels summed per input (1: none).
  public var channelPooling: Int
  /// Onset alignment of each sample, or nil.
  public var onset: OnsetAlignment?
  /// Surrogate-gradient steepness.
  public var surrogateScale: Float
  /// Update rule.
  public var optimizer: OptimizerKind
  /// Learning rate.
  public var learningRate: Float
  /// Decoupled weight decay.
  public var weightDecay: Float
  /// Minibatch size.
  public var batch: Int
  /// Training epochs.
  public var epochs: Int
  /// Event augmentation, or nil.
  public var augmentation: AugmentationPolicy?
  /// Training speakers held out for model selection (0: keep the last epoch's weights).
  public var validationSpeakers: Int

  public init(
    name: String, hidden: [Int] = [200, 100, 50], timesteps: Int = 100, maxTime: Double = 1.4, channelPooling: Int = 1,
    onset: OnsetAlignment? = nil, surrogateScale: Float = 100, optimizer: OptimizerKind = .adamax,
    learningRate: Float = 2e-4, weightDecay: Float = 0, batch: Int = 64, epochs: Int = 100,
    augmentation: AugmentationPolicy? = nil, validationSpeakers: Int = 0
  ) {
    self.name = name
    self.hidden = hidden
    self.timesteps = timesteps
    self.maxTime = maxTime
    self.channelPooling = channelPooling
    self.onset = onset
    self.surrogateScale = surrogateScale
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.batch = batch
    self.epochs = epochs
    self.augmentation = augmentation
    self.validationSpeakers = validationSpeakers
  }

  /// SpikingLR's network and settings (Dequino et al. 2024): Adamax 2e-4, batch 64, surrogate
  /// scale 100, the raw 700 channels over 1.4 s. Kept reproducible by name for the comparisons.
  public static let spikingLR = TrainingRecipe(name: "spikinglr")

  /// The project's default recipe (chosen by the ablation in the README; `presets/recipes/r4ncl.yaml`).
  public static let r4ncl = TrainingRecipe(
    name: "r4ncl", hidden: [200, 100, 50], timesteps: 40, maxTime: 1.0, channelPooling: 4,
    onset: OnsetAlignment(quantile: 0.05, lead: 0.1), surrogateScale: 10, optimizer: .adamax, learningRate: 2e-3,
    weightDecay: 0, batch: 64, epochs: 60,
    augmentation: AugmentationPolicy(timeShift: 0.05, stretch: 0.1, channelShift: 2, dropout: 0.1), validationSpeakers: 0)

  /// The built-in recipes by name.
  public static let builtIn: [String: TrainingRecipe] = ["spikinglr": .spikingLR, "r4ncl": .r4ncl]

  /// The network configuration this recipe trains, for `sensorChannels` recorded channels.
  public func networkConfig(sensorChannels: Int, classes: Int, seed: UInt64) -> NetworkConfig {
    let inputs = (sensorChannels + channelPooling - 1) / max(channelPooling, 1)
    return NetworkConfig(
      sizes: [inputs] + hidden + [classes], timesteps: timesteps, maxTime: maxTime, surrogateScale: surrogateScale, seed: seed,
      channelPooling: channelPooling, onset: onset)
  }

  /// The optimizer settings of this recipe.
  public var optimizerSettings: OptimizerSettings {
    OptimizerSettings(kind: optimizer, learningRate: learningRate, weightDecay: weightDecay)
  }

  /// Throws a `TrainingRecipeError` naming the first bad field.
  public func validate() throws {
    func bad(_ f: String, _ r: String) -> TrainingRecipeError { .invalid(field: f, reason: r) }
    let L = EngineLimits.self
    guard !hidden.isEmpty, hidden.allSatisfy({ (1...L.layerSize).contains($0) }) else {
      throw bad("hidden", "needs sizes in 1...\(L.layerSize), got \(hidden)")
    }
    guard (1...L.timesteps).contains(timesteps) else { throw bad("timesteps", "must be in 1...\(L.timesteps), got \(timesteps)") }
    guard maxTime > 0, maxTime.isFinite else { throw bad("max_time", "must be > 0 seconds, got \(maxTime)") }
    guard (1...L.count).contains(channelPooling) else { throw bad("channel_pooling", "must be in 1...\(L.count), got \(channelPooling)") }
    if let onset {
      guard (0...1).contains(onset.quantile) else { throw bad("onset.quantile", "must be in [0, 1], got \(onset.quantile)") }
      guard onset.lead >= 0, onset.lead < maxTime else { throw bad("onset.lead", "must be in [0, max_time), got \(onset.lead)") }
    }
    guard surrogateScale > 0, surrogateScale.isFinite else { throw bad("surrogate_scale", "must be > 0, got \(surrogateScale)") }
    guard learningRate > 0, learningRate.isFinite else { throw bad("learning_rate", "must be > 0, got \(learningRate)") }
    guard weightDecay >= 0, weightDecay.isFinite else { throw bad("weight_decay", "must be >= 0, got \(weightDecay)") }
    guard (1...L.batch).contains(batch) else { throw bad("batch", "must be in 1...\(L.batch), got \(batch)") }
    guard (1...L.epochs).contains(epochs) else { throw bad("epochs", "must be in 1...\(L.epochs), got \(epochs)") }
    guard (0...L.count).contains(validationSpeakers) else {
      throw bad("validation_speakers", "must be in 0...\(L.count), got \(validationSpeakers)")
    }
    try augmentation?.validate()
  }

  /// One line per setting, for logs and reports.
  public var summary: String {
    var parts = [
      "recipe \(name)", "network \(hidden.map(String.init).joined(separator: "-"))", "T \(timesteps) over \(maxTime) s",
      "pooling \(channelPooling)",
      onset.map { "onset q\($0.quantile) at \($0.lead) s" } ?? "no onset alignment",
      "surrogate \(surrogateScale)", "\(optimizer.rawValue) lr \(learningRate)" + (weightDecay > 0 ? " wd \(weightDecay)" : ""),
      "batch \(batch)", "\(epochs) epochs",
    ]
    if let a = augmentation, !a.isIdentity {
      parts.append("augment shift ±\(a.timeShift) s stretch ±\(a.stretch) channels ±\(a.channelShift) drop \(a.dropout)")
    } else {
      parts.append("no augmentation")
    }
    parts.append(validationSpeakers > 0 ? "select on \(validationSpeakers) held-out speakers" : "last epoch")
    return parts.joined(separator: ", ")
  }

  private enum CodingKeys: String, CodingKey {
    case name, hidden, timesteps, maxTime = "max_time", channelPooling = "channel_pooling", onset
    case surrogateScale = "surrogate_scale", optimizer, learningRate = "learning_rate", weightDecay = "weight_decay"
    case batch, epochs, augmentation, validationSpeakers = "validation_speakers"
  }

  /// Missing keys take SpikingLR's values, so a file states only what it changes.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = TrainingRecipe.spikingLR
    self.init(
      name: try c.decodeIfPresent(String.self, forKey: .name) ?? "custom",
      hidden: try c.decodeIfPresent([Int].self, forKey: .hidden) ?? d.hidden,
      timesteps: try c.decodeIfPresent(Int.self, forKey: .timesteps) ?? d.timesteps,
      maxTime: try c.decodeIfPresent(Double.self, forKey: .maxTime) ?? d.maxTime,
      channelPooling: try c.decodeIfPresent(Int.self, forKey: .channelPooling) ?? d.channelPooling,
      onset: try c.decodeIfPresent(OnsetAlignment.self, forKey: .onset),
      surrogateScale: try c.decodeIfPresent(Float.self, forKey: .surrogateScale) ?? d.surrogateScale,
      optimizer: try c.decodeIfPresent(OptimizerKind.self, forKey: .optimizer) ?? d.optimizer,
      learningRate: try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate,
      weightDecay: try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? d.weightDecay,
      batch: try c.decodeIfPresent(Int.self, forKey: .batch) ?? d.batch,
      epochs: try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs,
      augmentation: try c.decodeIfPresent(AugmentationPolicy.self, forKey: .augmentation),
      validationSpeakers: try c.decodeIfPresent(Int.self, forKey: .validationSpeakers) ?? d.validationSpeakers)
  }
}

/// Why a training recipe cannot be used.
public enum TrainingRecipeError: Error, CustomStringConvertible, Equatable {
  /// A field has a value outside its range.
  case invalid(field: String, reason: String)
  /// A recipe name is neither built in nor a readable file.
  case unknown(name: String, known: [String])

  public var description: String {
    switch self {
    case .invalid(let f, let r): return "training recipe: \(f) \(r)"
    case .unknown(let n, let k): return "training recipe '\(n)': not a built-in recipe (\(k.joined(separator: ", "))) nor a YAML file"
    }
  }
}
