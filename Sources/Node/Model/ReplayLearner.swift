import Foundation
import Learner
import Logging

/// Replay4NCL's learning phase for the node: latent replay of old classes at injection depth d.
///
/// At start-up `prepareBuffer` runs stored old-class samples through the frozen part (hidden
/// layers 1...d) once and keeps their encoded latents. Learning a class then re-initialises its
/// readout column ~ N(0.003, 0.003), runs the new samples through the frozen part once, and per
/// epoch takes one Adamax step per new-class batch followed by one step per replay batch (one
/// old class per batch, SpikingLR's schedule); only the layers above d learn, so the stored
/// latents stay valid. After a run the new class's latents join the buffer.
public final class ReplayLearner: IncrementalLearner, @unchecked Sendable {
  /// Injection depth d: the model's frozen depth, and the depth of every stored latent.
  public let depth: Int
  /// Epochs per learning run.
  public let epochs: Int
  /// Adamax learning rate.
  public let learningRate: Float
  /// Samples per optimizer step (new-class and replay batches alike).
  public let batchSize: Int
  /// Latents of a newly learned class kept for later runs.
  public let samplesPerClass: Int
  /// Seed of the readout re-initialisation and the epoch shuffles.
  public let seed: UInt64
  let memory: Protected<ReplayBuffer>
  private let logger: Logger?
  /// Every latent of the classes the last run introduced (not only the `samplesPerClass` kept),
  /// by class: what a swarm shard of those classes carries.
  let lastNewLatents = Protected([Int: [LatentSample]]())

  public init(
    buffer: ReplayBuffer, samplesPerClass: Int, epochs: Int = 20, learningRate: Float = 2e-3, batchSize: Int = 16,
    seed: UInt64 = 1, logger: Logger? = nil
  ) {
    self.depth = buffer.depth
    self.memory = Protected(buffer)
    self.samplesPerClass = max(1, samplesPerClass)
    self.epochs = max(1, epochs)
    self.learningRate = learningRate
    self.batchSize = max(1, batchSize)
    self.seed = seed
    self.logger = logger
  }

  /// The replay memory as it is now.
  public var buffer: ReplayBuffer { memory.current }

  /// The replay buffer of `model`: for each class the model knows, the first `samplesPerClass`
  /// samples of that class in `samples` (labels are class ids), as latents at the model's frozen
  /// depth, encoded with `codec`. Throws when a known class has no sample.
  public static func prepareBuffer(
    model: SpikingClassifier, samples: [SpikeSample], samplesPerClass: Int, codec: any ReplayCodec
  ) throws -> ReplayBuffer {
    let network = model.network
    let depth = model.frozenDepth
    var buffer = try ReplayBuffer(
      codec: codec, depth: depth, timesteps: network.config.timesteps, units: network.latentWidth(depth: depth),
      baseFingerprint: model.baseFingerprint)
    var chosen: [Int: [SpikeSample]] = [:]
    let known = Set(model.classes.ids)
    for sample in samples {
      guard let label = sample.label, known.contains(label), chosen[label, default: []].count < samplesPerClass else { continue }
      chosen[label, default: []].append(sample)
    }
    for id in model.classes.ids where chosen[id] == nil {
      throw NodeError.incompatibleModel("replay data has no sample of class \(id)")
    }
    let runner = NetworkRunner(threads: 1)
    for id in chosen.keys.sorted() {
      try buffer.add(contentsOf: latents(of: chosen[id]!, network: network, depth: depth, runner: runner))
    }
    return buffer
  }

  /// Latents at `depth` of labeled samples, in chunks so the workspace stays small.
  static func latents(of samples: [SpikeSample], network: Network, depth: Int, runner: NetworkRunner) throws -> [LatentSample] {
    let binning = network.config.binning
    var out: [LatentSample] = []
    out.reserveCapacity(samples.count)
    for start in stride(from: 0, to: samples.count, by: 64) {
      let chunk = try samples[start..<min(start + 64, samples.count)].map {
        try binning.bin($0, channelCount: network.config.sensorChannelCount)
      }
      out += try runner.latents(network, chunk, depth: depth)
    }
    return out
  }

  public func learn(_ job: LearningJob, from model: any ClassifierModel, progress: (LearningUpdate) -> Bool) throws
    -> any ClassifierModel
  {
    guard let model = model as? SpikingClassifier else {
      throw NodeError.incompatibleModel("the replay learner needs a spiking model")
    }
    let replay = memory.current
    guard model.frozenDepth == depth else {
      throw NodeError.incompatibleModel("model frozen depth \(model.frozenDepth) differs from the replay depth \(depth)")
    }
    if let stored = replay.baseFingerprint, stored != model.baseFingerprint {
      throw NodeError.incompatibleModel("replay latents come from base \(stored), the model's base is \(model.baseFingerprint)")
    }
    var network = model.network
    let rows = network.config.classCount
    for id in job.newClasses.ids where id >= rows {
      throw NodeError.incompatibleModel("class \(id) needs readout row \(id), the network has \(rows)")
    }
    let started = Date()
    // Fresh readout columns for the new classes: small positive weights (SpikingLR's N(0.003, 0.003)).
    var random = SeededGenerator(seed: seed &+ model.version)
    var readout = try network.parameter("Wout")
    for id in job.newClasses.ids {
      for r in 0..<readout.rows { readout.values[r * readout.cols + id] = Float(0.003 + 0.003 * random.nextGaussian()) }
    }
    try network.setParameter("Wout", readout)

    guard progress(LearningUpdate(phase: "prepare", epoch: 0, epochs: epochs, fraction: 0)) else { throw LearningCancelled() }
    let runner = NetworkRunner(threads: 1)
    for latent in job.latents where latent.depth != depth || latent.timesteps != replay.timesteps || latent.width != replay.units {
      throw NodeError.incompatibleModel(
        "latent of class \(latent.label ?? -1) is d=\(latent.depth) \(latent.timesteps)x\(latent.width), the replay memory is d=\(depth) \(replay.timesteps)x\(replay.units)")
    }
    // Latents handed over (a peer's shard) join those of the raw samples.
    let fresh = try Self.latents(of: job.samples, network: network, depth: depth, runner: runner) + job.latents
    let newIDs = Set(job.newClasses.ids)
    let oldClasses = replay.classes.filter { !newIDs.contains($0) }
    // Decoded once per run; the memory that persists between runs is the encoded buffer.
    let replayBatches = try oldClasses.flatMap { try replay.batches(ofClass: $0, batchSize: batchSize) }

    let trainer = Trainer(
      network: network, optimizer: OptimizerSettings(kind: .adamax, learningRate: learningRate), threads: 1,
      batchSize: batchSize)
    trainer.trainable = .above(depth: depth, hiddenLayers: network.hiddenLayerCount)
    for epoch in 1...epochs {
      var loss = 0.0
      var steps = 0
      let order = random.permutation(fresh.count)
      for start in stride(from: 0, to: order.count, by: batchSize) {
        let batch = order[start..<min(start + batchSize, order.count)].map { fresh[$0] }
        loss += Double(try trainer.step(.latents(batch)))
        steps += 1
      }
      for index in random.permutation(replayBatches.count) {
        loss += Double(try trainer.step(.latents(replayBatches[index])))
        steps += 1
      }
      let update = LearningUpdate(
        phase: "learn", epoch: epoch, epochs: epochs, fraction: Float(epoch) / Float(epochs),
        loss: Float(loss / Double(max(steps, 1))))
      if !progress(update) { throw LearningCancelled() }
    }

    // Keep the new classes for later runs (the frozen base did not change, so latents stay valid).
    var kept: [Int: Int] = [:]
    let newLatents = fresh.filter { sample in
      guard let label = sample.label, newIDs.contains(label), kept[label, default: 0] < samplesPerClass else { return false }
      kept[label, default: 0] += 1
      return true
    }
    lastNewLatents.withLock { $0 = Dictionary(grouping: fresh.filter { newIDs.contains($0.label ?? -1) }) { $0.label! } }
    let total = try memory.withLock { buffer -> Int in
      for id in newIDs { buffer.removeClass(id) }
      try buffer.add(contentsOf: newLatents)
      return buffer.totalBytes
    }
    let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
    logger?.info(
      "replay learning of \(job.newClasses.ids) done in \(seconds) s: \(fresh.count) new samples, \(replayBatches.count) replay batches of \(oldClasses.count) old classes per epoch; replay memory now \(total) bytes (\(replay.codec.name), d = \(depth))")
    return SpikingClassifier(
      network: trainer.network, classes: model.classes.merging(job.newClasses), version: model.version + 1,
      frozenDepth: model.frozenDepth)
  }
}
