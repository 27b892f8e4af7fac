import Foundation

/// Runs methods on one split of old and new classes over shared data: pretraining comes from
/// `cache` when a model with the same recipe exists (e.g. spikinglr and naive at equal T).
public final class ContinualRun {
  public let data: ContinualData
  public let cache: PretrainCache
  /// Called with a snapshot after every phase (checkpoint writing); errors abort the run.
  public var checkpoint: ((PhaseSnapshot) throws -> Void)?
  /// Progress lines (phase starts, epoch results).
  public var log: ((String) -> Void)?

  public init(data: ContinualData, cache: PretrainCache = MemoryPretrainCache()) {
    self.data = data
    self.cache = cache
  }

  /// The pretrained model of `settings` on `oldClasses`, trained or from the cache.
  public func pretrained(_ settings: ContinualSettings, oldClasses: [Int]) throws -> (PretrainedModel, cached: Bool) {
    let key = settings.pretrainKey(oldClasses: oldClasses, inputs: data.channelCount, classes: data.classCount) + "-data" + data.fingerprint
    if let m = try cache.load(key: key) { return (m, true) }
    log?("[\(settings.method)] pretraining T=\(settings.pretrainTimesteps) on \(oldClasses.count) classes, \(settings.pretrainEpochs) epochs")
    var warnedSilent = false
    let model = try PretrainPhase(settings: settings, oldClasses: oldClasses).run(data: data) { [log] p in
      if case .epoch(let e) = p {
        log?(String(format: "  pretrain epoch %d loss %.4f train acc %.3f (%.1f s) rates %@", e.epoch, e.meanLoss, e.trainAccuracy, e.seconds, e.spikeRatesText))
        if let w = e.silenceWarning, !warnedSilent {
          warnedSilent = true
          log?("  warning: [\(settings.method)] pretrain " + w)
        }
      }
    }
    try cache.save(model, key: key)
    try checkpoint?(PhaseSnapshot(phase: "pretrain", method: settings.method, network: model.network, layerRates: model.layerRates, store: nil))
    return (model, false)
  }

  /// Pretrain (or reuse), prepare (replay methods) and learn `newClasses` with one method.
  public func run(_ settings: ContinualSettings, oldClasses: [Int], newClasses: [Int]) throws -> ContinualMethodResult {
    try settings.validate()
    let (model, cached) = try pretrained(settings, oldClasses: oldClasses)
    let before = try evaluate(model.network.retimed(settings.learnTimesteps), timesteps: settings.learnTimesteps, maxTime: settings.maxTime, threads: settings.threads)
    var prepared: PreparedReplay?
    if settings.strategy == .replay {
      let p = try PreparePhase(settings: settings, replayClasses: oldClasses).run(pretrained: model, data: data)
      log?(String(format: "[%@] replay buffer: %d samples, %d bytes (%.1f B/sample, codec %@), %.2f s", settings.method, p.store.sampleCount, p.store.totalBytes, p.store.bytesPerSample, settings.codec, p.seconds))
      try checkpoint?(PhaseSnapshot(phase: "prepare", method: settings.method, network: p.network, layerRates: model.layerRates, store: p.store))
      prepared = p
    }
    log?("[\(settings.method)] learning \(newClasses) for \(settings.learnEpochs) epochs")
    let outcome = try LearnPhase(settings: settings, oldClasses: oldClasses, newClasses: newClasses).run(
      start: prepared?.network ?? model.network, targetRates: model.layerRates, store: prepared?.store, data: data
    ) { [log] e in
      log?(String(format: "  epoch %d old %@ new %@ all %@ loss %.4f (%.2f s) thr %@", e.epoch, pct(e.old), pct(e.new), pct(e.all), e.meanLoss, e.trainSeconds, e.thresholds.map { String(format: "%.3f", $0) }.joined(separator: ",")))
    }
    try checkpoint?(PhaseSnapshot(phase: "learn", method: settings.method, network: outcome.network, layerRates: model.layerRates, store: prepared?.store))
    return ContinualMethodResult(
      settings: settings, oldClasses: oldClasses, newClasses: newClasses, pretrainSeconds: cached ? 0 : model.seconds,
      pretrainCached: cached, pretrainedOld: before.accuracy(onClasses: Set(oldClasses)), pretrainedAll: before.accuracy,
      prepareSeconds: prepared?.seconds ?? 0, prepareOps: prepared?.ops ?? SynapticOps(),
      replayBytes: prepared?.store.totalBytes ?? 0, replaySamples: prepared?.store.sampleCount ?? 0, learn: outcome,
      inferenceSeconds: try inferenceLatency(outcome.network, settings: settings))
  }

  /// Test evaluation of `network` on binned test data.
  public func evaluate(_ network: Network, timesteps: Int, maxTime: Double, threads: Int) throws -> Evaluation {
    let trainer = Trainer(network: network, threads: threads)
    var binning = network.config.binning  // the network's front end (onset, pooling) at the asked T
    binning.timesteps = timesteps
    binning.maxTime = maxTime
    return try trainer.evaluate(.binned(data.testBinned(binning)))
  }

  /// Mean wall time of batch-1 forward passes over up to 32 test samples.
  func inferenceLatency(_ network: Network, settings: ContinualSettings) throws -> Double {
    let test = Array(try data.testBinned(settings.binning(timesteps: settings.learnTimesteps)).prefix(32))
    guard !test.isEmpty else { return 0 }
    let runner = NetworkRunner(threads: 1)
    _ = try runner.logits(network, .binned([test[0]]))
    let t0 = Date()
    for s in test { _ = try runner.logits(network, .binned([s])) }
    return Date().timeIntervalSince(t0) / Double(test.count)
  }
}

/// "12.3%" or "-" for nil.
func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "-" }
