import Foundation

/// Phase 3: learn the new classes. Replay methods (SpikingLR's schedule): the new-class
/// samples run through the frozen part once; each epoch takes one optimizer step per
/// new-class batch, then one per replay batch, each replay batch holding one old class; only
/// the layers above d train, with the learning-phase thresholds, optionally adapting. Naive
/// fine-tunes every weight on the new classes; joint retrains every weight on all data. Old,
/// new and all-class test accuracy are evaluated after every epoch (skipped when the data has
/// no test samples, e.g. on a node learning from labeled samples alone).
public struct LearnPhase: Sendable {
  public var settings: ContinualSettings
  public var oldClasses: [Int]
  public var newClasses: [Int]
  /// Re-initialise the new classes' readout columns (false for sample-incremental learning).
  public var resetNewReadout: Bool

  public init(settings: ContinualSettings, oldClasses: [Int], newClasses: [Int], resetNewReadout: Bool = true) {
    self.settings = settings
    self.oldClasses = oldClasses.sorted()
    self.newClasses = newClasses.sorted()
    self.resetNewReadout = resetNewReadout
  }

  /// Runs the phase from `start` (already at the learning T for replay). `targetRates` are the
  /// adaptive threshold's per-layer targets; `store` the replay memory (replay methods only).
  /// `latents`: labeled new-class latents at depth d given instead of (or besides) raw samples,
  /// e.g. a swarm peer's replay shard (replay methods only); they follow the samples' latents.
  /// An error thrown by `progress` stops the run (a node cancelling learning).
  public func run(
    start: Network, targetRates: [Double], store: ReplayStore?, data: ContinualData, latents: [LatentSample] = [],
    progress: ((ContinualEpoch) throws -> Void)? = nil
  ) throws -> LearnOutcome {
    try settings.validate()
    var network = try start.retimed(settings.learnTimesteps)
    let L = network.hiddenLayerCount
    let d = settings.depth
    let replay = settings.strategy == .replay
    if replay, let thr = settings.learnThresholds {
      // Only the trainable layers take the learning thresholds: the frozen layers must keep
      // the thresholds the stored latents were made with.
      var t = network.thresholds
      for l in d..<L { t[l] = thr[l] }
      network.thresholds = t
    }
    if resetNewReadout { try reinitialiseReadout(&network) }
    let trainer = Trainer(
      network: network, optimizer: OptimizerSettings(kind: settings.optimizer, learningRate: settings.learnLearningRate),
      threads: settings.threads, batchSize: settings.batchSize, shuffleSeed: settings.seed &+ 101)
    trainer.trainable = replay ? .above(depth: d, hiddenLayers: L) : .all(hiddenLayers: L)
    let adapt = AdaptiveThreshold(settings: settings.adaptiveThreshold, targetRates: targetRates.map { Optional($0) })
    let adaptMask = (0..<L).map { replay ? $0 >= d : true }
    var rng = SeededGenerator(seed: settings.seed &+ 202)
    let T = settings.learnTimesteps
    let newSet = Set(newClasses), oldSet = Set(oldClasses)
    let trainBinned = try data.trainBinned(settings.binning(timesteps: T))
    let testBinned = try data.testBinned(settings.binning(timesteps: T))

    // Training inputs and the test input (latents through the unchanging frozen part for replay).
    var extractSeconds = 0.0, cpuSeconds = 0.0
    var ops = SynapticOps()
    var newLatents: [LatentSample] = []
    let testInput: NetworkInput
    let trainSamples = settings.strategy == .joint ? trainBinned.withLabels(in: oldSet.union(newSet)) : trainBinned.withLabels(in: newSet)
    guard !trainSamples.isEmpty || (replay && !latents.isEmpty) else {
      throw ContinualError.invalidScenario("no training samples of the new classes \(newClasses)")
    }
    guard replay || latents.isEmpty else {
      throw ContinualError.invalidSetting(field: "strategy", reason: "method '\(settings.method)' learns from raw samples only, not from given latents")
    }
    let width = network.latentWidth(depth: d)
    for s in latents where s.depth != d || s.timesteps != T || s.width != width || !newSet.contains(s.label ?? -1) {
      throw ContinualError.invalidScenario(
        "a given latent is d=\(s.depth) \(s.timesteps)x\(s.width) of class \(s.label.map(String.init) ?? "none"); learning needs d=\(d) \(T)x\(width) of a new class \(newClasses)")
    }
    if replay {
      guard let store = store, store.depth == d, store.timesteps == T else {
        throw ContinualError.emptyReplay("replay method '\(settings.method)' needs a replay store at depth \(d), T \(T)")
      }
      let t0 = Date(), c0 = CPUClock.process()
      let (extracted, o) = try PreparePhase.extract(trainer.network, trainSamples, depth: d, runner: trainer.runner)
      extractSeconds = Date().timeIntervalSince(t0)
      cpuSeconds += CPUClock.process() - c0
      ops += o
      newLatents = extracted + latents
      let testLatents = try PreparePhase.extract(trainer.network, testBinned, depth: d, runner: trainer.runner).0
      testInput = d >= 1 ? .spikes(testLatents.map(SpikeLatent.init)) : .latents(testLatents)
    } else {
      testInput = .binned(testBinned)
    }

    // Spike latents (d >= 1) replay in event form, decoded straight into layer d + 1's input.
    let eventForm = replay && d >= 1
    let newInput: NetworkInput = eventForm ? .spikes(newLatents.map(SpikeLatent.init)) : .latents(newLatents)
    let trainInput = NetworkInput.binned(replay ? [] : trainSamples)
    var epochs: [ContinualEpoch] = []
    var trainSeconds = 0.0, evalSeconds = 0.0, decodeSeconds = 0.0, steps = 0
    var inputEvents = 0.0, samplesSeen = 0
    for epoch in 1...settings.learnEpochs {
      let t0 = Date(), c0 = CPUClock.process()
      var lossSum = 0.0, batches = 0
      func step(_ input: NetworkInput) throws {
        let (events, currents) = inputActivity(input)
        inputEvents += events
        samplesSeen += input.count
        let loss = try trainer.step(input)
        let counts = trainer.runner.lastSpikeCounts(trainer.network)
        ops += SynapticOps.batch(
          network: trainer.network, start: replay ? d : 0, batch: input.count, inputEvents: events,
          inputIsCurrents: currents, spikeCounts: counts, trainable: trainer.trainable)
        if settings.adaptiveThreshold.enabled {
          let rates = trainer.runner.lastSpikeRates(trainer.network)
          trainer.network.thresholds = adapt.updated(thresholds: trainer.network.thresholds, rates: rates, adapt: adaptMask)
        }
        lossSum += Double(loss)
        batches += 1
        steps += 1
      }
      if replay {
        // New-class latents, reshuffled each epoch.
        for idx in shuffledBatches(newInput.count, &rng) { try step(newInput.selecting(idx)) }
        // Then one batch per old class at a time, classes in a fresh random order.
        let classes = store!.classes
        for ci in rng.permutation(classes.count) {
          let d0 = Date()
          let replayed: NetworkInput = eventForm
            ? .spikes(try store!.decodedSpikes(ofClass: classes[ci], threads: settings.threads))
            : .latents(try store!.decoded(ofClass: classes[ci]))
          decodeSeconds += Date().timeIntervalSince(d0)
          for idx in shuffledBatches(replayed.count, &rng) { try step(replayed.selecting(idx)) }
        }
      } else {
        for idx in shuffledBatches(trainInput.count, &rng) { try step(trainInput.selecting(idx)) }
      }
      let seconds = Date().timeIntervalSince(t0)
      trainSeconds += seconds
      cpuSeconds += CPUClock.process() - c0
      let e0 = Date()
      let eval = testInput.count > 0 ? try trainer.evaluate(testInput) : nil
      evalSeconds += Date().timeIntervalSince(e0)
      let record = ContinualEpoch(
        epoch: epoch, old: eval?.accuracy(onClasses: oldSet), new: eval?.accuracy(onClasses: newSet), all: eval?.accuracy,
        perClass: eval?.perClassAccuracy ?? [], trainSeconds: seconds, meanLoss: lossSum / Double(max(batches, 1)),
        thresholds: trainer.network.thresholds)
      epochs.append(record)
      try progress?(record)
    }
    return LearnOutcome(
      network: trainer.network, epochs: epochs, extractSeconds: extractSeconds, trainSeconds: trainSeconds,
      learnCPUSeconds: cpuSeconds, evalSeconds: evalSeconds, decodeSeconds: decodeSeconds,
      inputEventsPerSample: inputEvents / Double(max(samplesSeen, 1)), ops: ops, steps: steps, newLatents: newLatents)
  }

  /// New classes' readout columns ~ N(mean, std^2) (SpikingLR: N(0.003, 0.003)).
  func reinitialiseReadout(_ network: inout Network) throws {
    var wout = try network.parameter("Wout")
    var rng = SeededGenerator(seed: settings.seed &+ 303)
    for c in newClasses where c < wout.cols {
      for r in 0..<wout.rows {
        wout.values[r * wout.cols + c] = settings.newReadoutMean + settings.newReadoutStd * Float(rng.nextGaussian())
      }
    }
    try network.setParameter("Wout", wout)
  }

  /// Index batches of a fresh permutation of `0..<n`.
  func shuffledBatches(_ n: Int, _ rng: inout SeededGenerator) -> [[Int]] {
    let p = rng.permutation(n), b = settings.batchSize
    return stride(from: 0, to: n, by: b).map { Array(p[$0..<min($0 + b, n)]) }
  }

  /// Synaptic events entering the first running layer and whether the input is dense currents.
  func inputActivity(_ input: NetworkInput) -> (Double, Bool) {
    switch input {
    case .binned(let s): return (Double(s.reduce(0) { $0 + $1.spikeCount }), false)
    case .latents(let s):
      if s.first?.depth == 0 { return (0, true) }
      return (s.reduce(0.0) { acc, x in acc + Double(x.values.reduce(0, +)) }, false)
    case .spikes(let s): return (Double(s.reduce(0) { $0 + $1.spikeCount }), false)
    }
  }
}
