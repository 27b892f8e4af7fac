import Foundation

/// Trains a network by minibatch BPTT: owns the network, a `NetworkRunner` (threads) and the
/// optimizer. Minibatches of `batchSize` (last partial batch kept), reshuffled every epoch with
/// a seeded generator, one optimizer step per batch.
public final class Trainer {
  /// The network being trained (a snapshot copy is cheap).
  public var network: Network
  /// The optimizer (owned: its moment state persists across `train` calls).
  public let optimizer: Optimizer
  /// Which layers learn (default: all).
  public var trainable: TrainableLayers
  /// Samples per optimizer step.
  public var batchSize: Int
  /// Batch runner used for training and evaluation.
  public let runner: NetworkRunner
  private var shuffler: SeededGenerator

  /// - Parameters:
  ///   - shuffleSeed: seed of the epoch shuffles (default: the network's seed + 1).
  public init(
    network: Network, optimizer: OptimizerSettings = OptimizerSettings(), threads: Int = 2, batchSize: Int = 64,
    shuffleSeed: UInt64? = nil
  ) {
    self.network = network
    self.optimizer = Optimizer(optimizer)
    self.trainable = .all(hiddenLayers: network.hiddenLayerCount)
    self.batchSize = max(1, batchSize)
    self.runner = NetworkRunner(threads: threads)
    self.shuffler = SeededGenerator(seed: shuffleSeed ?? network.config.seed &+ 1)
  }

  /// Trains on a spike dataset (binned with the network's T and maxTime) for `epochs` epochs.
  /// `learningRate`/`optimizer`, when given, replace the optimizer settings (a new kind resets its state).
  @discardableResult
  public func train(
    _ dataset: SpikeDataset, epochs: Int, learningRate: Float? = nil, optimizer kind: OptimizerKind? = nil,
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws -> [EpochSummary] {
    guard dataset.channelCount == network.config.sensorChannelCount else {
      throw NetworkError.inputMismatch("dataset has \(dataset.channelCount) channels, the network expects \(network.config.sensorChannelCount)")
    }
    let binned = try network.config.binning.bin(dataset)
    return try train(binned: binned, epochs: epochs, learningRate: learningRate, optimizer: kind, progress: progress)
  }

  /// Trains on already binned samples.
  @discardableResult
  public func train(
    binned: [BinnedSample], epochs: Int, learningRate: Float? = nil, optimizer kind: OptimizerKind? = nil,
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws -> [EpochSummary] {
    configure(learningRate: learningRate, kind: kind)
    return try runEpochs(count: binned.count, epochs: epochs, progress: progress) { .binned($0.map { binned[$0] }) }
  }

  /// Trains on latents at one injection depth (replay); only the layers above run.
  @discardableResult
  public func train(
    latents: [LatentSample], epochs: Int, learningRate: Float? = nil, optimizer kind: OptimizerKind? = nil,
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws -> [EpochSummary] {
    configure(learningRate: learningRate, kind: kind)
    return try runEpochs(count: latents.count, epochs: epochs, progress: progress) { .latents($0.map { latents[$0] }) }
  }

  /// One optimizer step on one batch; returns the batch's mean loss.
  @discardableResult
  public func step(_ batch: NetworkInput) throws -> Float {
    let loss = try runner.computeGradients(network, batch, trainable: trainable)
    applyGradients()
    return loss
  }

  /// Evaluates on a labeled spike dataset.
  public func evaluate(_ dataset: SpikeDataset, among rows: [Int]? = nil) throws -> Evaluation {
    try evaluate(.binned(network.config.binning.bin(dataset)), among: rows)
  }

  /// Evaluates on labeled binned samples or latents (in chunks of 256, fewer for a network whose
  /// workspace would not fit `EngineLimits`: see `evaluationBatch`). With `rows` (readout
  /// rows), a prediction is the best of those rows only (the first on ties), as a node that knows
  /// only those classes predicts; the loss stays the cross-entropy over every row.
  public func evaluate(_ input: NetworkInput, among rows: [Int]? = nil) throws -> Evaluation {
    let c = network.config.classCount
    let labels = try input.labels(classCount: c)
    precondition(rows.map { !$0.isEmpty && $0.allSatisfy { (0..<c).contains($0) } } ?? true, "rows must be readout rows")
    let chunk = try EngineLimits.evaluationBatch(timesteps: network.config.timesteps, sizes: network.config.sizes)
    var predictions: [Int] = []
    var loss = 0.0
    var start = 0
    while start < input.count {
      let end = min(start + chunk, input.count)
      let logits = try runner.logits(network, input.slice(start..<end))
      for b in 0..<(end - start) {
        let row = logits.values[(b * c)..<((b + 1) * c)]
        if let rows {
          predictions.append(rows[argmaxIndex(rows.map { row[row.startIndex + $0] }[...])])
        } else {
          predictions.append(argmaxIndex(row))
        }
        let mx = Double(row.max()!)
        let lse = mx + log(row.reduce(0.0) { $0 + exp(Double($1) - mx) })
        loss += lse - Double(row[row.startIndex + labels[start + b]])
      }
      start = end
    }
    return Evaluation(predictions: predictions, labels: labels, meanLoss: Float(loss / Double(max(labels.count, 1))), classCount: c)
  }

  /// Logits (class scores) of one sample.
  public func predict(_ sample: SpikeSample) throws -> [Float] {
    let binned = try network.config.binning.bin(sample, channelCount: network.config.sensorChannelCount)
    return try runner.logits(network, .binned([binned])).values
  }

  // MARK: - Internals

  private func configure(learningRate: Float?, kind: OptimizerKind?) {
    if let kind = kind, kind != optimizer.settings.kind {
      optimizer.settings.kind = kind
      optimizer.reset()
    }
    if let lr = learningRate { optimizer.settings.learningRate = lr }
  }

  private func runEpochs(
    count: Int, epochs: Int, progress: ((TrainingProgress) -> Void)?, batch make: ([Int]) -> NetworkInput
  ) throws -> [EpochSummary] {
    var summaries: [EpochSummary] = []
    guard count > 0 else { return summaries }
    let c = network.config.classCount
    let batches = (count - 1) / batchSize + 1  // count > 0; no overflow for any batch size
    for epoch in 1...max(epochs, 1) where epochs > 0 {
      let started = Date()
      let order = shuffler.permutation(count)
      var lossSum = 0.0, correct = 0
      var spikes = [Double?](repeating: 0, count: network.hiddenLayerCount)
      for k in 0..<batches {
        let idx = Array(order[(k * batchSize)..<min((k + 1) * batchSize, count)])
        let input = make(idx)
        let labels = try input.labels(classCount: c)
        let loss = try runner.computeGradients(network, input, trainable: trainable)
        let logits = runner.lastLogits(classes: c)
        let batchSpikes = runner.lastSpikeCounts(network)
        for (l, n) in batchSpikes.enumerated() {
          if let n, let sum = spikes[l] { spikes[l] = sum + n } else { spikes[l] = nil }  // nil: the layer did not run
        }
        for b in 0..<idx.count where argmaxIndex(logits[(b * c)..<((b + 1) * c)]) == labels[b] { correct += 1 }
        applyGradients()
        lossSum += Double(loss) * Double(idx.count)
        progress?(.batch(BatchReport(epoch: epoch, batch: k + 1, batchCount: batches, batchSize: idx.count, loss: loss, spikeCounts: batchSpikes)))
      }
      let summary = EpochSummary(
        epoch: epoch, meanLoss: Float(lossSum / Double(count)), trainAccuracy: Double(correct) / Double(count),
        samples: count, seconds: Date().timeIntervalSince(started),
        spikeRates: spikes.enumerated().map { l, n in n.map { network.firingRate(spikes: $0, layer: l, samples: count) } })
      summaries.append(summary)
      progress?(.epoch(summary))
    }
    return summaries
  }

  private func applyGradients() {
    let names = network.parameterNames
    for i in names.indices where runner.reducedComputed[i] {
      let grad = runner.reduced[i].pointer
      network.withParameterValues(at: i) { optimizer.step(name: names[i], values: &$0, grad: grad) }
    }
  }
}
