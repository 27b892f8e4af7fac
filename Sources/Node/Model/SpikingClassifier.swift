import Foundation
import Learner
import Proto
import Storage

/// The spiking network (Learner's `Network`) as the node's model: scores are the readout
/// logits (max over time of the readout potential) of the binned sample, exactly what offline
/// evaluation computes for one sample. Immutable; the runner's scratch space is locked, so
/// the predictor and a checkpointing learner may share it. A model that learns carries its
/// continual-learning memory (settings, threshold targets, replay store), so a checkpoint
/// holds everything a restarted node needs.
public final class SpikingClassifier: ClassifierModel, @unchecked Sendable {
  public let version: UInt64
  public let classes: ClassMap
  /// The network (weights, thresholds, configuration).
  public let network: Network
  /// Hidden layers up to this depth are the frozen base (fingerprinted); those above learn.
  public let frozenDepth: Int
  /// What learning needs besides the network (nil: the model cannot learn).
  public let memory: ContinualMemory?
  private let runner = Protected(NetworkRunner(threads: 1))

  /// `frozenDepth` defaults to the memory's injection depth (replay), 0 (other strategies) or,
  /// without memory, every hidden layer.
  public init(network: Network, classes: ClassMap, version: UInt64, frozenDepth: Int? = nil, memory: ContinualMemory? = nil) {
    self.network = network
    self.classes = classes
    self.version = version
    self.memory = memory
    let depth = frozenDepth ?? memory.map { $0.settings.strategy == .replay ? $0.settings.depth : 0 } ?? network.hiddenLayerCount
    self.frozenDepth = min(max(depth, 0), network.hiddenLayerCount)
  }

  /// The continual session this model continues (nil without memory).
  public var session: ContinualSession? {
    memory.map {
      ContinualSession(
        network: network, classes: classes.ids, settings: $0.settings, targetRates: $0.targetRates, store: $0.store,
        lastLearned: $0.lastLearned)
    }
  }

  public var channelCount: Int { network.config.sensorChannelCount }
  public var readoutRows: Int? { network.config.classCount }
  public var binning: SpikeBinning? { network.config.binning }

  /// Hex CRC-32 of the configuration (thresholds aside), the frozen layers' weights and
  /// thresholds, the frozen depth and T: equal before and after learning, and equal on every
  /// node with the same frozen base, so swarm peers accept each other's latents.
  public var baseFingerprint: String {
    // The configuration without its thresholds: learning moves the thresholds of the layers
    // above the frozen base (learning thresholds, adaptation), which must not change the
    // fingerprint; the frozen layers' live thresholds are hashed below.
    var config = network.config
    config.thresholds = []
    var crc = CRC32.checksum(Array(((try? JSONEncoder.sorted.encode(config)) ?? Data())))
    let frozen = Set((0..<frozenDepth).flatMap { ["W\($0 + 1)", "V\($0 + 1)"] })
    for (name, matrix) in network.namedParameters where frozen.contains(name) {
      crc = matrix.values.withUnsafeBytes { CRC32.checksum($0, seed: crc) }
    }
    // The frozen layers' live thresholds shape the latents too (they may differ from the
    // configuration's), and so does the depth and T the latents are taken at.
    let thresholds = Array(network.thresholds.prefix(frozenDepth))
    crc = thresholds.withUnsafeBytes { CRC32.checksum($0, seed: crc) }
    crc = CRC32.checksum(Array("d=\(frozenDepth) T=\(network.config.timesteps)".utf8), seed: crc)
    return String(format: "%08x", crc)
  }

  public func scores(_ sample: SpikeSample) -> [Float] {
    do {
      let binned = try network.config.binning.bin(sample, channelCount: network.config.sensorChannelCount)
      return try runner.withLock { try $0.logits(network, .binned([binned])).values }
    } catch {
      // Validated samples always bin; anything else scores nothing (argmax = no class).
      return [Float](repeating: -.infinity, count: network.config.classCount)
    }
  }

  public func checkpoint() -> R4ncl_V1_Checkpoint {
    var checkpoint = R4ncl_V1_Checkpoint()
    checkpoint.modelVersion = version
    let description = SpikingModelDescription(kind: "snn", network: network.config, frozenDepth: frozenDepth)
    checkpoint.configurationJson = String(decoding: (try? JSONEncoder.sorted.encode(description)) ?? Data(), as: UTF8.self)
    checkpoint.classes = classes.entries
    checkpoint.baseFingerprint = baseFingerprint
    checkpoint.timesteps = UInt32(network.config.timesteps)
    checkpoint.createdTimeNs = Clock.nowNanoseconds()
    var tensors = network.namedParameters.map { name, matrix -> R4ncl_V1_Tensor in
      var tensor = R4ncl_V1_Tensor()
      tensor.name = name
      tensor.shape = [UInt32(matrix.rows), UInt32(matrix.cols)]
      tensor.values = matrix.values
      return tensor
    }
    var thresholds = R4ncl_V1_Tensor()
    thresholds.name = "thresholds"
    thresholds.shape = [UInt32(network.hiddenLayerCount)]
    thresholds.values = network.thresholds
    tensors.append(thresholds)
    checkpoint.tensors = tensors
    return checkpoint
  }
}

/// What a spiking checkpoint's `configuration_json` holds.
struct SpikingModelDescription: Codable {
  var kind: String
  var network: NetworkConfig
  var frozenDepth: Int
}

/// A spiking model's continual-learning memory: the method's settings, the adaptive
/// threshold's target rates and the replay store of the classes learned so far.
extension SpikingClassifier {
  /// Knobs that only steer how the next learning runs go (not the replay memory's shape), so a
  /// node restarted from a checkpoint takes them from its parameters rather than the checkpoint.
  public static let runtimeKnobs: Set<String> = [
    "epochs", "learn_lr", "lr", "learn_thresholds", "adaptive", "adaptive_rate", "adaptive_lower", "adaptive_upper",
    "batch_size", "threads", "seed", "readout_mean", "readout_std", "optimizer",
  ]

  /// The same model with `knobs` applied to its learning settings (those in `runtimeKnobs`),
  /// validated, so a bad knob fails the start, not the first learning run.
  public func applyingRuntimeKnobs(_ knobs: [(key: String, value: String)]) throws -> SpikingClassifier {
    guard var memory else { return self }
    for knob in knobs where Self.runtimeKnobs.contains(knob.key) { try memory.settings.set(knob.key, knob.value) }
    try memory.settings.validate()
    return SpikingClassifier(network: network, classes: classes, version: version, frozenDepth: frozenDepth, memory: memory)
  }
}

public struct ContinualMemory: Sendable {
  public var settings: ContinualSettings
  public var targetRates: [Double]
  public var store: ReplayStore?
  /// Every latent the last learning run learned its new classes from (replay; nil before a
  /// run and after a restart): what a swarm shard of those classes carries. Not checkpointed.
  public var lastLearned: ReplayStore?

  public init(settings: ContinualSettings, targetRates: [Double], store: ReplayStore?, lastLearned: ReplayStore? = nil) {
    self.settings = settings
    self.targetRates = targetRates
    self.store = store
    self.lastLearned = lastLearned
  }

  /// The memory of a session.
  public init(_ session: ContinualSession) {
    self.init(settings: session.settings, targetRates: session.targetRates, store: session.store, lastLearned: session.lastLearned)
  }
}
