import Foundation

/// The frozen base of the learning phase and its replay memory.
public struct PreparedReplay: Sendable {
  /// The pretrained network at the learning T (frozen part = hidden 1...d).
  public var network: Network
  public var store: ReplayStore
  /// Wall time of selecting, running and encoding the stored samples.
  public var seconds: Double
  /// Operations of running the stored samples through the frozen part.
  public var ops: SynapticOps
}

/// Phase 2: freeze up to depth d, run `replaySamplesPerClass` stored training samples of each
/// old class (seeded choice) through the frozen part at the learning T, encode the latents.
public struct PreparePhase: Sendable {
  public var settings: ContinualSettings
  public var replayClasses: [Int]

  public init(settings: ContinualSettings, replayClasses: [Int]) {
    self.settings = settings
    self.replayClasses = replayClasses.sorted()
  }

  public func run(pretrained: PretrainedModel, data: ContinualData) throws -> PreparedReplay {
    let started = Date()
    let network = try pretrained.network.retimed(settings.learnTimesteps)
    var store = ReplayStore(codec: try LatentCodec.named(settings.codec), depth: settings.depth, timesteps: settings.learnTimesteps)
    let ops = try Self.store(classes: replayClasses, of: network, data: data, settings: settings, into: &store)
    return PreparedReplay(network: network, store: store, seconds: Date().timeIntervalSince(started), ops: ops)
  }

  /// Adds `replaySamplesPerClass` training samples of each class (a seeded choice per class) to
  /// `store` as latents of `network` (at the learning T) at depth d; returns the operations spent.
  /// Preparation, multi-step learning and the node grow their replay memory with this one rule.
  public static func store(
    classes: [Int], of network: Network, data: ContinualData, settings: ContinualSettings, into store: inout ReplayStore
  ) throws -> SynapticOps {
    let train = try data.trainBinned(settings.binning(timesteps: settings.learnTimesteps))
    let runner = NetworkRunner(threads: settings.threads)
    var ops = SynapticOps()
    for c in classes {
      let chosen = choose(train.withLabels(in: [c]), count: settings.replaySamplesPerClass, seed: settings.seed &+ UInt64(c) &* 7919)
      guard !chosen.isEmpty else { throw ContinualError.emptyReplay("class \(c) has no training samples to store") }
      let (latents, o) = try extract(network, chosen, depth: settings.depth, runner: runner)
      ops += o
      try store.add(latents)
    }
    return ops
  }

  /// The same rule for classes known only as latents at depth d (e.g. from a swarm peer's
  /// replay shard): the seeded choice among each class's latents, in their given order (the
  /// order of the samples they came from, so a peer stores what the publisher stored).
  public static func store(classes: [Int], latents: [LatentSample], settings: ContinualSettings, into store: inout ReplayStore) throws {
    for c in classes {
      let chosen = choose(latents.filter { $0.label == c }, count: settings.replaySamplesPerClass, seed: settings.seed &+ UInt64(c) &* 7919)
      guard !chosen.isEmpty else { throw ContinualError.emptyReplay("class \(c) has no training samples or latents to store") }
      try store.add(chosen)
    }
  }

  /// Up to `count` samples, a seeded random choice in a seeded order.
  static func choose<Sample>(_ samples: [Sample], count: Int, seed: UInt64) -> [Sample] {
    var rng = SeededGenerator(seed: seed)
    return rng.permutation(samples.count).prefix(count).map { samples[$0] }
  }

  /// Latents of `samples` at depth d (chunks of 256) and the forward operations spent.
  static func extract(_ network: Network, _ samples: [BinnedSample], depth: Int, runner: NetworkRunner) throws -> ([LatentSample], SynapticOps) {
    var out: [LatentSample] = []
    var ops = SynapticOps()
    var start = 0
    while start < samples.count {
      let chunk = Array(samples[start..<min(start + 256, samples.count)])
      out += try runner.latents(network, chunk, depth: depth)
      if depth > 0 {
        let events = Double(chunk.reduce(0) { $0 + $1.spikeCount })
        let counts = runner.lastSpikeCounts(network)
        // Forward through hidden 1...d only: count as a run of the first d layers.
        var o = SynapticOps()
        for l in 0..<depth {
          let n = Double(network.layers[l].outputCount)
          o.accumulates += (l == 0 ? events : (counts[l - 1] ?? 0)) * n
          if network.layers[l].isRecurrent { o.accumulates += (counts[l] ?? 0) * n }
          o.macs += 2 * Double(network.config.timesteps * chunk.count) * n
        }
        ops += o
      } else {
        ops.accumulates += Double(chunk.reduce(0) { $0 + $1.spikeCount }) * Double(network.layers[0].outputCount)
      }
      start += chunk.count
    }
    return (out, ops)
  }
}
