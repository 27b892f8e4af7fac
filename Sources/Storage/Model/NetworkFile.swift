import Foundation
import Learner

/// A spiking network read from whichever file holds one: a model file (`r4ncl train`,
/// `r4ncl learn --from-model --out`) or a checkpoint (`r4ncl learn --checkpoints`, a node's
/// `checkpoint.dir`). Commands that only need the network (eval, export) take either, so a user
/// need not know which writer made the file.
public struct NetworkFile: Sendable {
  /// The network, class names by readout row (`"<row>"` where a checkpoint names none) and
  /// training information (for a checkpoint: `format`, `method`, `phase`, `model_version`).
  public var model: SavedModel
  /// The readout rows (= class ids) the file's classes occupy, ascending; nil for every row.
  /// A node that learned class 19 after classes 0-17 knows rows 0-17 and 19 only.
  public var knownRows: [Int]?
  /// The file's root `format` attribute (`ModelFile.format` or `CheckpointHDF5.format`).
  public var format: String

  /// Reads `url`, dispatching on its `format` attribute; every error names the file.
  public static func read(_ url: URL) throws -> NetworkFile {
    let format: String?
    do {
      format = try HDF5File.formatAttribute(of: url)
    } catch let error as HDF5Error {
      throw ModelFileError(error, file: url.path)
    }
    switch format {
    case ModelFile.format:
      return NetworkFile(model: try ModelFile.loadModel(url), knownRows: nil, format: ModelFile.format)
    case CheckpointHDF5.format:
      return NetworkFile(checkpoint: try CheckpointHDF5.read(url))
    default:
      throw ModelFileError.notANetworkFile(file: url.path, format: format)
    }
  }

  init(model: SavedModel, knownRows: [Int]?, format: String) {
    self.model = model
    self.knownRows = knownRows
    self.format = format
  }

  init(checkpoint c: Checkpoint) {
    let rows = c.network.config.classCount
    let ids = c.classIDs ?? Array(c.classNames.indices)
    var names = (0..<rows).map { "\($0)" }
    for (id, name) in zip(ids, c.classNames) where id < rows { names[id] = name }
    let known = ids.filter { $0 < rows }.sorted()
    let info: [String: HDF5Attribute] = [
      "format": .string(CheckpointHDF5.format), "method": .string(c.method), "phase": .string(c.phase),
      "model_version": .int(Int(clamping: c.modelVersion)),
    ]
    self.init(
      model: SavedModel(network: c.network, classNames: names, info: info),
      knownRows: known == Array(0..<rows) ? nil : known, format: CheckpointHDF5.format)
  }
}
