/// Shape and constants of a network: layer sizes, recurrence, time steps, neuron constants, per-layer
/// thresholds and the initialisation seed. Codable so model files and parameter files carry it;
/// missing keys decode to the reference defaults.
public struct NetworkConfig: Sendable, Equatable, Codable {
  /// `[inputs, hidden 1, ..., hidden L, classes]`, e.g. `[700, 200, 100, 50, 20]`.
  public var sizes: [Int]
  /// Per hidden layer: whether it has a recurrent matrix V.
  public var recurrent: [Bool]
  /// Number of time steps T (input bins).
  public var timesteps: Int
  /// Binned window length in seconds.
  public var maxTime: Double
  /// Synaptic time constant (s).
  public var tauSyn: Double
  /// Membrane time constant (s).
  public var tauMem: Double
  /// Simulation step (s).
  public var dt: Double
  /// Firing threshold per hidden layer.
  public var thresholds: [Float]
  /// Surrogate-gradient steepness.
  public var surrogateScale: Float
  /// Seed of the weight initialisation.
  public var seed: UInt64
  /// Sensor channels summed into one input (1: none; `sizes[0]` counts pooled inputs).
  public var channelPooling: Int
  /// Onset alignment of the input, or nil (SpikingLR: none).
  public var onset: OnsetAlignment?

  public init(
    sizes: [Int] = [700, 200, 100, 50, 20], recurrent: [Bool]? = nil, timesteps: Int = 100,
    maxTime: Double = 1.4, tauSyn: Double = 5e-3, tauMem: Double = 10e-3, dt: Double = 1e-3,
    thresholds: [Float]? = nil, surrogateScale: Float = 100, seed: UInt64 = 0,
    channelPooling: Int = 1, onset: OnsetAlignment? = nil
  ) {
    let hidden = max(sizes.count - 2, 0)
    self.sizes = sizes
    self.recurrent = recurrent ?? [Bool](repeating: true, count: hidden)
    self.timesteps = timesteps
    self.maxTime = maxTime
    self.tauSyn = tauSyn
    self.tauMem = tauMem
    self.dt = dt
    self.thresholds = thresholds ?? [Float](repeating: 1, count: hidden)
    self.surrogateScale = surrogateScale
    self.seed = seed
    self.channelPooling = channelPooling
    self.onset = onset
  }

  /// SpikingLR's network: 700-200-100-50 recurrent, 20 classes, at `timesteps` steps.
  public static func reference(timesteps: Int = 100, seed: UInt64 = 0) -> NetworkConfig {
    NetworkConfig(timesteps: timesteps, seed: seed)
  }

  /// Number of input channels.
  public var inputCount: Int { sizes.first ?? 0 }
  /// Number of classes (readout width).
  public var classCount: Int { sizes.last ?? 0 }
  /// Number of hidden layers L.
  public var hiddenLayerCount: Int { max(sizes.count - 2, 0) }
  /// Sensor channels a sample may use: the inputs times the pooling factor.
  public var sensorChannelCount: Int { inputCount * channelPooling }
  /// The binning this network expects.
  public var binning: SpikeBinning {
    SpikeBinning(timesteps: timesteps, maxTime: maxTime, pooling: channelPooling, onset: onset)
  }

  /// Neuron constants of hidden layer `layer` (0-based).
  public func lifParameters(layer: Int) -> LIFParameters {
    LIFParameters(tauSyn: tauSyn, tauMem: tauMem, dt: dt, threshold: thresholds[layer], surrogateScale: surrogateScale)
  }

  /// Throws a `NetworkError.invalidConfig` naming the first inconsistent field.
  public func validate() throws {
    func bad(_ field: String, _ why: String) -> NetworkError { .invalidConfig(field: field, reason: why) }
    guard sizes.count >= 3 else { throw bad("sizes", "needs at least [inputs, hidden, classes], got \(sizes)") }
    guard sizes.allSatisfy({ $0 > 0 }) else { throw bad("sizes", "every size must be > 0, got \(sizes)") }
    guard sizes.allSatisfy({ $0 <= EngineLimits.layerSize }) else {
      throw bad("sizes", "every size must be <= \(EngineLimits.layerSize), got \(sizes)")
    }
    guard recurrent.count == hiddenLayerCount else { throw bad("recurrent", "needs \(hiddenLayerCount) entries (one per hidden layer), got \(recurrent.count)") }
    guard thresholds.count == hiddenLayerCount else { throw bad("thresholds", "needs \(hiddenLayerCount) entries (one per hidden layer), got \(thresholds.count)") }
    guard thresholds.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw bad("thresholds", "must be finite and > 0, got \(thresholds)") }
    if let weights = EngineLimits.weightCount(sizes: sizes, recurrent: recurrent), weights > EngineLimits.weights {
      throw bad("sizes", "\(sizes) has \(weights) weights, more than \(EngineLimits.weights)")
    }
    guard (1...EngineLimits.timesteps).contains(timesteps) else {
      throw bad("timesteps", "must be in 1...\(EngineLimits.timesteps), got \(timesteps)")
    }
    guard maxTime > 0, maxTime.isFinite else { throw bad("maxTime", "must be > 0 seconds, got \(maxTime)") }
    guard tauSyn > 0, tauMem > 0, dt > 0 else { throw bad("tauSyn/tauMem/dt", "must be > 0, got \(tauSyn), \(tauMem), \(dt)") }
    guard surrogateScale > 0, surrogateScale.isFinite else { throw bad("surrogateScale", "must be > 0, got \(surrogateScale)") }
    guard (1...EngineLimits.count).contains(channelPooling) else {
      throw bad("channelPooling", "must be in 1...\(EngineLimits.count), got \(channelPooling)")
    }
    // Spike unit ids are uint16, so a sensor has at most 65,536 channels; a larger product
    // (pooling 65536 over 175 inputs) would also size the NIR export's pool matrix in GBs.
    guard sensorChannelCount <= EngineLimits.layerSize else {
      throw bad(
        "channelPooling", "\(inputCount) inputs × channelPooling \(channelPooling) is \(sensorChannelCount) sensor channels, more than \(EngineLimits.layerSize)")
    }
    if let onset {
      guard onset.quantile >= 0, onset.quantile <= 1 else { throw bad("onset.quantile", "must be in [0, 1], got \(onset.quantile)") }
      guard onset.lead >= 0, onset.lead < maxTime else { throw bad("onset.lead", "must be in [0, maxTime), got \(onset.lead)") }
    }
  }

  private enum CodingKeys: String, CodingKey {
    case sizes, recurrent, timesteps, maxTime, tauSyn, tauMem, dt, thresholds, surrogateScale, seed, channelPooling, onset
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = NetworkConfig()
    let sizes = try c.decodeIfPresent([Int].self, forKey: .sizes) ?? d.sizes
    self.init(
      sizes: sizes,
      recurrent: try c.decodeIfPresent([Bool].self, forKey: .recurrent),
      timesteps: try c.decodeIfPresent(Int.self, forKey: .timesteps) ?? d.timesteps,
      maxTime: try c.decodeIfPresent(Double.self, forKey: .maxTime) ?? d.maxTime,
      tauSyn: try c.decodeIfPresent(Double.self, forKey: .tauSyn) ?? d.tauSyn,
      tauMem: try c.decodeIfPresent(Double.self, forKey: .tauMem) ?? d.tauMem,
      dt: try c.decodeIfPresent(Double.self, forKey: .dt) ?? d.dt,
      thresholds: try c.decodeIfPresent([Float].self, forKey: .thresholds),
      surrogateScale: try c.decodeIfPresent(Float.self, forKey: .surrogateScale) ?? d.surrogateScale,
      seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed,
      channelPooling: try c.decodeIfPresent(Int.self, forKey: .channelPooling) ?? d.channelPooling,
      onset: try c.decodeIfPresent(OnsetAlignment.self, forKey: .onset))
  }
}
