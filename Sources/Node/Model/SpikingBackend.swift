import Foundation
import Learner
import Proto
import Storage

/// Loads spiking models (node checkpoints and `r4ncl train` model files) and learns new
/// classes into them.
///
/// Learning here is plain fine-tuning of the layers above `frozenDepth` on the new samples
/// (SpikingLR's "naive" baseline, which forgets); the Replay4NCL phase (latent replay of old
/// classes, adaptive thresholds) plugs in through the same `IncrementalLearner` protocol when
/// the continual-learning module is available.
public struct SpikingBackend: IncrementalLearner, ModelLoader {
  /// Epochs per learning run.
  public var epochs: Int
  /// Learning rate of the fine-tuning.
  public var learningRate: Float
  /// Minibatch size.
  public var batchSize: Int

  public init(epochs: Int = 20, learningRate: Float = 2e-3, batchSize: Int = 16) {
    self.epochs = epochs
    self.learningRate = learningRate
    self.batchSize = batchSize
  }

  /// A model from an `r4ncl train` model file; `classes` selects the readout rows the model
  /// knows (nil = every row with a name).
  public static func load(modelFile path: String, classes: [Int]?, frozenDepth: Int?) throws -> SpikingClassifier {
    let saved = try ModelFile.loadModel(URL(fileURLWithPath: path))
    var map = ClassMap()
    let rows = saved.network.config.classCount
    for id in classes ?? Array(0..<(saved.classNames.isEmpty ? rows : saved.classNames.count)) {
      guard (0..<rows).contains(id) else {
        throw NodeError.incompatibleModel("\(path): class \(id) is not a readout row (0..<\(rows))")
      }
      map.set(id, name: id < saved.classNames.count ? saved.classNames[id] : "class\(id)")
    }
    return SpikingClassifier(network: saved.network, classes: map, version: 1, frozenDepth: frozenDepth)
  }

  public func load(_ checkpoint: R4ncl_V1_Checkpoint) throws -> any ClassifierModel {
    guard let description = try? JSONDecoder().decode(SpikingModelDescription.self, from: Data(checkpoint.configurationJson.utf8)),
      description.kind == "snn"
    else { throw NodeError.incompatibleModel("checkpoint is not a spiking model") }
    var network = try Network(config: description.network)
    var parameters: [(name: String, matrix: Matrix)] = []
    for tensor in checkpoint.tensors {
      if tensor.name == "thresholds" {
        guard tensor.values.count == network.hiddenLayerCount else {
          throw NodeError.incompatibleModel("thresholds has \(tensor.values.count) values for \(network.hiddenLayerCount) layers")
        }
        network.thresholds = tensor.values
        continue
      }
      guard tensor.shape.count == 2, Int(tensor.shape[0]) * Int(tensor.shape[1]) == tensor.values.count else {
        throw NodeError.incompatibleModel("tensor \(tensor.name) has shape \(tensor.shape) and \(tensor.values.count) values")
      }
      parameters.append((tensor.name, Matrix(rows: Int(tensor.shape[0]), cols: Int(tensor.shape[1]), values: tensor.values)))
    }
    do { try network.setParameters(parameters) } catch {
      throw NodeError.incompatibleModel("\(error)")
    }
    return SpikingClassifier(
      network: network, classes: ClassMap(entries: checkpoint.classes), version: checkpoint.modelVersion,
      frozenDepth: description.frozenDepth)
  }

  public func learn(_ job: LearningJob, from model: any ClassifierModel, progress: (LearningUpdate) -> Bool) throws
    -> any ClassifierModel
  {
    guard let model = model as? SpikingClassifier else {
      throw NodeError.incompatibleModel("the spiking learner needs a spiking model")
    }
    let rows = model.network.config.classCount
    for id in job.newClasses.ids where id >= rows {
      throw NodeError.incompatibleModel("class \(id) needs readout row \(id), the network has \(rows)")
    }
    let trainer = Trainer(
      network: model.network, optimizer: OptimizerSettings(kind: .adamax, learningRate: learningRate), threads: 1,
      batchSize: batchSize)
    trainer.trainable = .above(depth: model.frozenDepth, hiddenLayers: model.network.hiddenLayerCount)
    let dataset = SpikeDataset(samples: job.samples, channelCount: model.channelCount, classNames: [])
    for epoch in 1...max(1, epochs) {
      let summary = try trainer.train(dataset, epochs: 1).last
      let update = LearningUpdate(
        phase: "learn", epoch: epoch, epochs: epochs, fraction: Float(epoch) / Float(epochs), loss: summary?.meanLoss ?? .nan)
      if !progress(update) { throw LearningCancelled() }
    }
    return SpikingClassifier(
      network: trainer.network, classes: model.classes.merging(job.newClasses), version: model.version + 1,
      frozenDepth: model.frozenDepth)
  }
}
