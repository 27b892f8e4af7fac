/// Sample-incremental learning: pretrain on the training samples of the first half of the
/// speakers (all classes), then learn the second half's samples of the same classes; replay
/// stores old-speaker latents of every class. No readout column is reset. Accuracy is on the
/// test split (its speakers are unseen in both halves).
public struct SampleIncrementalScenario: Sendable {
  public init() {}

  public func run(_ settings: ContinualSettings, on run: ContinualRun) throws -> ContinualMethodResult {
    let speakers = Set(run.data.train.samples.compactMap(\.speaker)).sorted()
    guard speakers.count >= 2 else { throw ContinualError.invalidScenario("sample-incremental needs >= 2 training speakers, the data has \(speakers.count)") }
    let oldSpeakers = Set(speakers.prefix(speakers.count / 2))
    let ds = run.data.train
    let oldTrain = SpikeDataset(samples: ds.samples.filter { $0.speaker.map(oldSpeakers.contains) ?? false }, channelCount: ds.channelCount, classNames: ds.classNames)
    let newTrain = SpikeDataset(samples: ds.samples.filter { !($0.speaker.map(oldSpeakers.contains) ?? false) }, channelCount: ds.channelCount, classNames: ds.classNames)
    let oldData = ContinualData(train: oldTrain, test: run.data.test)
    let newData = settings.strategy == .joint ? run.data : ContinualData(train: newTrain, test: run.data.test)
    let classes = Array(0..<run.data.classCount)
    let sub = ContinualRun(data: oldData, cache: run.cache)
    sub.log = run.log
    sub.checkpoint = run.checkpoint
    run.log?("== sample-incremental: pretrain on speakers \(oldSpeakers.sorted()), learn speakers \(speakers.filter { !oldSpeakers.contains($0) })")
    let (model, cached) = try sub.pretrained(settings, oldClasses: classes)
    let before = try sub.evaluate(model.network.retimed(settings.learnTimesteps), timesteps: settings.learnTimesteps, maxTime: settings.maxTime, threads: settings.threads)
    var prepared: PreparedReplay?
    if settings.strategy == .replay {
      prepared = try PreparePhase(settings: settings, replayClasses: classes).run(pretrained: model, data: oldData)
    }
    let outcome = try LearnPhase(settings: settings, oldClasses: [], newClasses: classes, resetNewReadout: false).run(
      start: prepared?.network ?? model.network, targetRates: model.layerRates, store: prepared?.store, data: newData
    ) { [log = run.log] e in log?("  epoch \(e.epoch) test \(pct(e.all)) (\(String(format: "%.2f", e.trainSeconds)) s)") }
    return ContinualMethodResult(
      settings: settings, oldClasses: [], newClasses: classes, pretrainSeconds: cached ? 0 : model.seconds, pretrainCached: cached,
      pretrainedOld: before.accuracy, pretrainedAll: before.accuracy, prepareSeconds: prepared?.seconds ?? 0,
      prepareOps: prepared?.ops ?? SynapticOps(), replayBytes: prepared?.store.totalBytes ?? 0,
      replaySamples: prepared?.store.sampleCount ?? 0, learn: outcome, inferenceSeconds: 0)
  }
}
