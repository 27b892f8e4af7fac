import Foundation
import Learner

/// Model files: HDF5 that h5py opens directly. Layout:
/// - root attributes: `format` ("r4ncl-model"), `format_version`, `config_json` (the whole
///   `NetworkConfig` as JSON, what loading reads) and each config field mirrored by name;
/// - one 2-D float32 dataset per weight matrix, named as the engine names them
///   (`W1`, `V1`, ..., `Wout`), shape `[fan_in, fan_out]`;
/// - `thresholds` (float32, one per hidden layer) and `class_names` (strings);
/// - group `info` whose attributes hold free-form training information;
/// - root attribute `content_crc32`, the CRC-32 of the rest but `info` (see `SavedModel.contentChecksum`).
/// Saving is atomic (temporary file, fsync, rename), so a crash never leaves half a model.
public enum ModelFile {
  /// The `format` attribute's value.
  public static let format = "r4ncl-model"
  /// The layout version written.
  public static let formatVersion = 1

  /// Saves `network` with optional class names and training information.
  public static func save(
    _ network: Network, classNames: [String] = [], info: [String: HDF5Attribute] = [:], to url: URL
  ) throws {
    try save(SavedModel(network: network, classNames: classNames, info: info), to: url)
  }

  /// Saves a model (atomically).
  public static func save(_ model: SavedModel, to url: URL) throws {
    let name = url.path
    let config = model.network.config
    guard model.classNames.isEmpty || model.classNames.count == config.classCount else {
      throw ModelFileError.classNamesMismatch(file: name, names: model.classNames.count, classes: config.classCount)
    }
    do {
      let json = try config.jsonString()
      try AtomicFile.write(to: url) { temporary in
        try HDF5Library.serialized {
          let file = try HDF5File.create(temporary)
          try file.setAttribute("format", .string(format))
          try file.setAttribute("format_version", .int(formatVersion))
          try file.setAttribute("config_json", .string(json))
          try file.setContentChecksum(model.contentChecksum(configJSON: json))
          for (key, value) in config.attributeMirror.sorted(by: { $0.key < $1.key }) {
            try file.setAttribute(key, value)
          }
          for (parameter, matrix) in model.network.namedParameters {
            try file.write(parameter, matrix: matrix)
          }
          try file.write("thresholds", model.network.thresholds)
          try file.writeStrings("class_names", model.classNames)
          let info = try file.createGroup("info")
          for (key, value) in model.info.sorted(by: { $0.key < $1.key }) { try info.setAttribute(key, value) }
          try file.close()
        }
      }
    } catch let error as HDF5Error {
      throw ModelFileError.writeFailed(file: name, detail: error.description)
    } catch let error as AtomicFileError {
      throw ModelFileError.writeFailed(file: name, detail: error.description)
    } catch let error as EncodingError {
      throw ModelFileError.writeFailed(file: name, detail: "cannot encode the configuration: \(error)")
    }
  }

  /// Loads the network of a model file.
  public static func load(_ url: URL) throws -> Network {
    try loadModel(url).network
  }

  /// Loads the network, class names and training information.
  public static func loadModel(_ url: URL) throws -> SavedModel {
    let name = url.path
    do {
      return try HDF5Library.serialized {
        let file = try HDF5File.open(url)
        guard let json = try file.attribute("config_json")?.stringValue else {
          throw ModelFileError.missingConfig(file: name)
        }
        let config: NetworkConfig
        do {
          config = try JSONDecoder().decode(NetworkConfig.self, from: Data(json.utf8))
        } catch {
          throw ModelFileError.invalidConfig(file: name, reason: "config_json: \(error)")
        }
        var network: Network
        do { network = try Network(config: config) } catch {
          throw ModelFileError.invalidConfig(file: name, reason: "\(error)")
        }
        var parameters: [(name: String, matrix: Matrix)] = []
        for (parameter, expected) in network.namedParameters {
          guard file.isDataset(parameter) else { throw ModelFileError.missingParameter(file: name, name: parameter) }
          let dataset = try file.openDataset(parameter)
          let shape = dataset.shape
          guard shape == [expected.rows, expected.cols] else {
            throw ModelFileError.shapeMismatch(file: name, name: parameter, expected: [expected.rows, expected.cols], found: shape)
          }
          let matrix = try dataset.readMatrix()
          guard matrix.values.allSatisfy(\.isFinite) else {
            throw ModelFileError.nonFiniteParameter(file: name, name: parameter)
          }
          parameters.append((parameter, matrix))
        }
        try network.setParameters(parameters)
        var classNames: [String] = []
        if file.isDataset("class_names") {
          // Checked before reading: the count is declared, and may be anything.
          let dataset = try file.openDataset("class_names")
          let count = dataset.shape.count == 1 ? dataset.shape[0] : -1
          guard count == 0 || count == config.classCount else {
            throw ModelFileError.classNamesMismatch(file: name, names: count, classes: config.classCount)
          }
          classNames = try dataset.readStrings()
        }
        let info = file.isGroup("info") ? try file.openGroup("info").attributes() : [:]
        let model = SavedModel(network: network, classNames: classNames, info: info)
        let computed = model.contentChecksum(configJSON: json)
        if let stored = try file.contentChecksumMismatch(computed) {
          throw ModelFileError.corrupted(file: name, detail: "content_crc32 is \(ContentCRC32.hex(stored)), the contents give \(ContentCRC32.hex(computed))")
        }
        try file.close()
        return model
      }
    } catch let error as HDF5Error {
      throw ModelFileError(error, file: name)
    }
  }
}

extension ModelFileError {
  /// The model-level meaning of an HDF5 failure while reading `file`.
  init(_ error: HDF5Error, file: String) {
    switch SHDFileError(error, file: file) {
    case .fileNotFound: self = .fileNotFound(file: file)
    case .notHDF5: self = .notHDF5(file: file)
    case .truncated(_, let detail): self = .truncated(file: file, detail: detail)
    default: self = .unreadable(file: file, detail: error.description)
    }
  }
}
