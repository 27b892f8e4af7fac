import Foundation

/// Continual learning from a given pretrained network, one learning run at a time: prepare
/// once (adaptive-threshold targets, replay memory of the known classes), then learn new
/// classes as their labeled samples arrive; each run's classes join the replay memory. The
/// node's learning worker and `r4ncl learn --from-model` both run this, so given the same
/// model, replay data, samples (in the same order), settings and threads they compute the
/// same network, bit for bit.
public struct ContinualSession: Sendable {
  /// The method's knobs, fitted to the network (`fitted(_:to:)`).
  public let settings: ContinualSettings
  /// The current network (at the learning T).
  public private(set) var network: Network
  /// Classes the network knows, ascending.
  public private(set) var classes: [Int]
  /// Per-layer firing rates of the pretrained network on old-class training samples (the
  /// adaptive threshold's targets; empty: thresholds do not adapt).
  public let targetRates: [Double]
  /// The replay memory (replay strategy only).
  public private(set) var store: ReplayStore?
  /// Every new-class latent the last run learned from (not only the stored choice), encoded
  /// with the store's codec (replay strategy only; nil before a run): what a swarm node
  /// publishes so a peer learns from what this session learned from.
  public private(set) var lastLearned: ReplayStore?

  /// A session restored from its parts (e.g. a checkpoint).
  public init(
    network: Network, classes: [Int], settings: ContinualSettings, targetRates: [Double], store: ReplayStore?,
    lastLearned: ReplayStore? = nil
  ) {
    self.network = network
    self.classes = classes.sorted()
    self.settings = settings
    self.targetRates = targetRates
    self.store = store
    self.lastLearned = lastLearned
  }

  /// Prepares a session on `network`, which knows `classes`: `settings` fitted to the network;
  /// the target rates and the replay memory (replay strategy) come from the samples of those
  /// classes in `replayData` (typically the pretraining file). Without replay data the
  /// thresholds do not adapt, and the replay strategy cannot run.
  public static func prepare(
    pretrained network: Network, classes: [Int], settings: ContinualSettings, replayData: SpikeDataset?
  ) throws -> ContinualSession {
    let s = try fitted(settings, to: network)
    guard let replayData else {
      guard s.strategy != .replay else {
        throw ContinualError.emptyReplay("method '\(s.method)' replays old classes and needs their training samples")
      }
      return ContinualSession(network: try network.retimed(s.learnTimesteps), classes: classes, settings: s, targetRates: [], store: nil)
    }
    let data = ContinualData(train: replayData, test: SpikeDataset(samples: [], channelCount: replayData.channelCount, classNames: []))
    let old = Set(classes)
    let pretrain = PretrainPhase(settings: s, oldClasses: classes)
    let binned = try data.trainBinned(s.binning(timesteps: s.pretrainTimesteps)).withLabels(in: old)
    let rates = try pretrain.layerRates(network, samples: binned, runner: NetworkRunner(threads: s.threads))
    guard s.strategy == .replay else {
      return ContinualSession(network: try network.retimed(s.learnTimesteps), classes: classes, settings: s, targetRates: rates, store: nil)
    }
    let model = PretrainedModel(network: network, oldClasses: classes.sorted(), layerRates: rates, seconds: 0)
    let prepared = try PreparePhase(settings: s, replayClasses: classes).run(pretrained: model, data: data)
    return ContinualSession(network: prepared.network, classes: classes, settings: s, targetRates: rates, store: prepared.store)
  }

  /// The knobs `fitted(_:to:)` replaces with the network's own values: setting one for a
  /// pretrained network has no effect (callers warn about it).
  public static let knobsTheNetworkFixes: Set<String> = ["hidden", "timesteps", "pretrain_timesteps", "learn_timesteps", "max_time"]

  /// `settings` with the network's shape: hidden sizes, T (pretraining and learning), window,
  /// input front end and surrogate from the network (depth clamped to the layers for strategies without replay); a threshold list of another length is resized to one value per layer
  /// (its first). Throws when the settings do not validate.
  public static func fitted(_ settings: ContinualSettings, to network: Network) throws -> ContinualSettings {
    var s = settings
    let L = network.hiddenLayerCount
    s.hiddenSizes = (0..<L).map { network.layers[$0].outputCount }
    s.pretrainTimesteps = network.config.timesteps
    s.learnTimesteps = network.config.timesteps
    s.maxTime = network.config.maxTime
    // The network's front end (pooling, onset alignment) and surrogate, whatever the preset's
    // recipe says: every phase bins as the network was trained.
    var recipe = s.pretrainRecipe ?? TrainingRecipe(name: "model")
    recipe.hidden = s.hiddenSizes
    recipe.timesteps = network.config.timesteps
    recipe.maxTime = network.config.maxTime
    recipe.channelPooling = network.config.channelPooling
    recipe.onset = network.config.onset
    recipe.surrogateScale = network.config.surrogateScale
    s.pretrainRecipe = recipe
    // Only replay injects at depth d; the other strategies ignore it.
    if s.strategy != .replay { s.depth = min(s.depth, L) }
    if let t = s.learnThresholds, t.count != L, let first = t.first { s.learnThresholds = [Float](repeating: first, count: L) }
    if let t = s.pretrainThresholds, t.count != L, let first = t.first { s.pretrainThresholds = [Float](repeating: first, count: L) }
    try s.validate()
    let values = EngineLimits.activationCount(
      timesteps: max(s.pretrainTimesteps, s.learnTimesteps), batch: s.batchSize, sizes: network.config.sizes)
    guard values <= EngineLimits.activations else {
      throw ContinualError.invalidSetting(
        field: "batch_size", reason: "T × batch × widest layer is \(values) values, more than \(EngineLimits.activations): lower batch_size")
    }
    return s
  }

  /// Learns `newClasses` from the labeled `samples` (those of other classes are ignored) and
  /// the labeled `latents` at depth d (replay strategy only, e.g. a swarm peer's shard: no raw
  /// samples needed) with the learning phase, then stores the new classes in the replay memory
  /// (the same seeded choice as preparation: of the samples as latents of the learned
  /// network's unchanged frozen part, or of the given latents for classes without samples).
  /// Readout columns are re-initialised only when every class is new. `test`, when given, is
  /// evaluated after every epoch (it does not change the result). The session changes only
  /// when the run succeeds.
  @discardableResult
  public mutating func learn(
    _ newClasses: [Int], from samples: SpikeDataset, latents: [LatentSample] = [], test: SpikeDataset? = nil,
    progress: ((ContinualEpoch) throws -> Void)? = nil
  ) throws -> LearnOutcome {
    guard settings.strategy != .joint else {
      throw ContinualError.invalidSetting(field: "strategy", reason: "joint retrains on all old data; a session learns from new samples only")
    }
    let known = Set(classes)
    let isNew = newClasses.allSatisfy { !known.contains($0) }
    let empty = SpikeDataset(samples: [], channelCount: samples.channelCount, classNames: [])
    let data = ContinualData(train: samples, test: test ?? empty)
    let outcome = try LearnPhase(settings: settings, oldClasses: classes, newClasses: newClasses, resetNewReadout: isNew).run(
      start: network, targetRates: targetRates, store: store, data: data, latents: latents, progress: progress)
    if var grown = store {
      let missing = newClasses.filter { grown.sampleCount(ofClass: $0) == 0 }.sorted()
      let sampled = Set(samples.samples.compactMap(\.label))
      _ = try PreparePhase.store(
        classes: missing.filter { sampled.contains($0) }, of: outcome.network, data: data, settings: settings, into: &grown)
      try PreparePhase.store(classes: missing.filter { !sampled.contains($0) }, latents: latents, settings: settings, into: &grown)
      var learned = ReplayStore(codec: grown.codec, depth: grown.depth, timesteps: grown.timesteps)
      try learned.add(outcome.newLatents)
      store = grown
      lastLearned = learned
    }
    network = outcome.network
    classes = Array(known.union(newClasses)).sorted()
    return outcome
  }

  /// Moves class `from` to the free readout row `to`: its readout column (swapped with the
  /// unused one), its replay latents and its last-learned latents (relabelled). How a swarm
  /// node adopts the lower id a peer gave the same class.
  public mutating func moveClass(_ from: Int, to: Int) throws {
    var wout = try network.parameter("Wout")
    guard classes.contains(from), !classes.contains(to), (0..<wout.cols).contains(from), (0..<wout.cols).contains(to) else {
      throw ContinualError.invalidScenario("cannot move class \(from) to \(to): known classes \(classes), \(wout.cols) readout rows")
    }
    for r in 0..<wout.rows { wout.values.swapAt(r * wout.cols + from, r * wout.cols + to) }
    try network.setParameter("Wout", wout)
    try store?.relabel(from, to: to)
    try lastLearned?.relabel(from, to: to)
    classes = classes.filter { $0 != from } + [to]
    classes.sort()
  }
}
