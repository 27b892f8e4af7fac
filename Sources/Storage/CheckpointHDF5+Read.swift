import Foundation
import Learner

extension CheckpointHDF5 {
  /// Reads a checkpoint written by `write(_:to:)`, as strictly as `ModelFile` reads a model:
  /// every dataset's shape is checked against the configuration before it is read, weights and
  /// rates must be finite, and the replay memory must fit the network and the settings it will
  /// be learned with. A node loads what this returns and learns from it, so a file that would
  /// fail (or poison the weights) at the first learning job fails here, naming file and field.
  public static func read(_ url: URL) throws -> Checkpoint {
    let name = url.path
    do {
      return try HDF5Library.serialized {
        let file = try HDF5File.open(url)
        defer { try? file.close() }
        return try CheckpointReader(file: file, name: name).checkpoint()
      }
    } catch let e as HDF5Error {
      throw CheckpointError.readFailed(file: name, detail: e.file == name ? e.problem : e.description)
    }
  }
}

/// One read of one checkpoint file.
struct CheckpointReader {
  let file: HDF5File
  let name: String

  func invalid(_ field: String, _ reason: String) -> CheckpointError {
    .invalid(file: name, field: field, reason: reason)
  }

  func checkpoint() throws -> Checkpoint {
    guard try file.attribute("format")?.stringValue == CheckpointHDF5.format else {
      throw invalid("format", "is not '\(CheckpointHDF5.format)'")
    }
    guard let v = try file.attribute("version")?.intValue, v == CheckpointHDF5.version else {
      throw invalid("version", "must be \(CheckpointHDF5.version)")
    }
    guard let configText = try file.attribute("config")?.stringValue,
      let config = try? JSONDecoder().decode(NetworkConfig.self, from: Data(configText.utf8))
    else { throw invalid("config", "is missing or not a network configuration") }
    var network: Network
    do { network = try Network(config: config) } catch { throw invalid("config", "\(error)") }
    try network.setParametersChecked(try weights(of: network), file: name)
    network.thresholds = try thresholds(count: network.hiddenLayerCount)
    let rates = try layerRates(hiddenLayers: network.hiddenLayerCount)
    let (names, ids) = try classes(rows: network.config.classCount)
    let settingsJSON = try file.attribute("settings")?.stringValue ?? ""
    let version = try file.attribute("model_version")?.intValue ?? 0
    let replay = file.isGroup("replay") ? try self.replay(network: network, settingsJSON: settingsJSON) : nil
    var checkpoint = Checkpoint(
      phase: try file.attribute("phase")?.stringValue ?? "", method: try file.attribute("method")?.stringValue ?? "",
      network: network, layerRates: rates, classNames: names, settingsJSON: settingsJSON, replay: replay,
      classIDs: ids == Array(names.indices) ? nil : ids, modelVersion: UInt64(max(0, version)))
    // Older files have neither.
    checkpoint.node = try file.attribute("node")?.stringValue ?? ""
    checkpoint.baseFingerprint = try file.attribute("base_fingerprint")?.stringValue ?? ""
    let computed = checkpoint.contentChecksum(configJSON: configText)
    if let stored = try file.contentChecksumMismatch(computed) {
      throw invalid(
        "content_crc32", "is \(ContentCRC32.hex(stored)) but the contents give \(ContentCRC32.hex(computed)): the file is corrupted")
    }
    return checkpoint
  }

  /// The dataset at `path`, checked to be 1-D with a length `allowed` accepts (described by
  /// `expected`) before anything is read.
  func vector(_ path: String, expected: String, _ allowed: (Int) -> Bool) throws -> HDF5Dataset {
    guard file.isDataset(path) else { throw invalid(path, "is missing") }
    let dataset = try file.openDataset(path)
    let shape = dataset.shape
    guard shape.count == 1, allowed(shape[0]) else { throw invalid(path, "has shape \(shape), needs \(expected)") }
    return dataset
  }

  /// Every weight matrix the configuration calls for, of the shape it implies, finite.
  func weights(of network: Network) throws -> [(name: String, matrix: Matrix)] {
    try network.namedParameters.map { parameter, expected in
      let path = "weights/\(parameter)"
      guard file.isDataset(path) else { throw invalid(path, "is missing") }
      let dataset = try file.openDataset(path)
      guard dataset.shape == [expected.rows, expected.cols] else {
        throw invalid(path, "has shape \(dataset.shape), the configuration needs \([expected.rows, expected.cols])")
      }
      let matrix = try dataset.readMatrix()
      guard matrix.values.allSatisfy(\.isFinite) else { throw invalid(path, "contains NaN or infinity") }
      return (parameter, matrix)
    }
  }

  /// One positive finite threshold per hidden layer.
  func thresholds(count: Int) throws -> [Float] {
    let values = try vector("thresholds", expected: "\(count) values") { $0 == count }.read(Float.self)
    guard values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      throw invalid("thresholds", "needs \(count) positive values, got \(values)")
    }
    return values
  }

  /// The pretrained per-layer firing rates (adaptive-threshold targets): one finite rate >= 0
  /// per hidden layer, or none (a checkpoint that cannot learn).
  func layerRates(hiddenLayers: Int) throws -> [Double] {
    let values = try vector("layer_rates", expected: "0 or \(hiddenLayers) rates (one per hidden layer)") {
      $0 == 0 || $0 == hiddenLayers
    }.read(Double.self)
    guard values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
      throw invalid("layer_rates", "must be finite and >= 0, got \(values)")
    }
    return values
  }

  /// Class names and their distinct readout rows, at most one per row.
  func classes(rows: Int) throws -> (names: [String], ids: [Int]) {
    let names = try vector("classes/names", expected: "at most \(rows) names (one per readout row)") { $0 <= rows }.readStrings()
    let ids = try vector("classes/ids", expected: "\(names.count) ids (one per name)") { $0 == names.count }
      .read(Int64.self).map { Int($0) }
    guard Set(ids).count == ids.count, ids.allSatisfy((0..<rows).contains) else {
      let shown = ids.count <= 32 ? "\(ids)" : "\(Array(ids.prefix(32)))... (\(ids.count) ids)"
      throw invalid("classes/ids", "needs \(names.count) distinct readout rows in 0..<\(rows), got \(shown)")
    }
    return (names, ids)
  }
}

extension Network {
  /// `setParameters`, its failure named as the checkpoint field `weights`.
  fileprivate mutating func setParametersChecked(_ parameters: [(name: String, matrix: Matrix)], file: String) throws {
    do { try setParameters(parameters) } catch { throw CheckpointError.invalid(file: file, field: "weights", reason: "\(error)") }
  }
}
