import Foundation
import Learner
import Proto
import Storage

/// Loads spiking models: `r4ncl train` model files (prepared for continual learning with the
/// Learner's `ContinualSession`) and published `Checkpoint` messages. Learning is
/// `ContinualBackend`'s.
public struct SpikingBackend: ModelLoader {
  public init() {}

  /// A model from an `r4ncl train` model file that knows `classes` (nil = every named row),
  /// prepared to learn with `settings` (fitted to the network): the threshold targets and the
  /// replay memory come from the samples of the known classes in `replayData`.
  public static func prepared(
    modelFile path: String, classes: [Int]?, settings: ContinualSettings, replayData: SpikeDataset?
  ) throws -> SpikingClassifier {
    let plain = try load(modelFile: path, classes: classes, frozenDepth: nil)
    let session = try ContinualSession.prepare(
      pretrained: plain.network, classes: plain.classes.ids, settings: settings, replayData: replayData)
    return SpikingClassifier(network: session.network, classes: plain.classes, version: plain.version, memory: ContinualMemory(session))
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
      network: network,
      classes: try ClassMap(checking: checkpoint.classes.map { (Int($0.id), $0.name) }, rows: network.config.classCount),
      version: checkpoint.modelVersion,
      frozenDepth: description.frozenDepth)
  }
}
