/// Why a model file could not be written or loaded; every case names the file.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
  /// No file exists at the path.
  case fileNotFound(file: String)
  /// The file is not HDF5 at all.
  case notHDF5(file: String)
  /// The file is shorter than its HDF5 superblock records.
  case truncated(file: String, detail: String)
  /// HDF5 could not open or read part of the file.
  case unreadable(file: String, detail: String)
  /// The root has no `config_json` attribute: not a model written by this tool.
  case missingConfig(file: String)
  /// `config_json` does not decode to a valid `NetworkConfig`.
  case invalidConfig(file: String, reason: String)
  /// A weight matrix the configuration calls for is absent.
  case missingParameter(file: String, name: String)
  /// A weight matrix has a shape other than the configuration implies.
  case shapeMismatch(file: String, name: String, expected: [Int], found: [Int])
  /// A weight matrix contains NaN or infinity.
  case nonFiniteParameter(file: String, name: String)
  /// The class names do not match the readout width.
  case classNamesMismatch(file: String, names: Int, classes: Int)
  /// The contents do not match the file's `content_crc32`: bytes changed after writing.
  case corrupted(file: String, detail: String)
  /// Writing failed (HDF5 or file-system message in `detail`).
  case writeFailed(file: String, detail: String)
  /// HDF5 whose root `format` (nil: none) is neither a model file's nor a checkpoint's.
  case notANetworkFile(file: String, format: String?)

  public var description: String {
    switch self {
    case .fileNotFound(let file): return "\(file): no such model file"
    case .notHDF5(let file): return "\(file): not an HDF5 file (expected a model .h5 file)"
    case .truncated(let file, let detail): return "\(file): the model file is truncated (\(detail))"
    case .unreadable(let file, let detail): return "\(file): cannot read the model file (\(detail))"
    case .missingConfig(let file): return "\(file): no 'config_json' root attribute; not an r4ncl model file"
    case .invalidConfig(let file, let reason): return "\(file): invalid network configuration (\(reason))"
    case .missingParameter(let file, let name): return "\(file): missing weight matrix '\(name)'"
    case .shapeMismatch(let file, let name, let expected, let found):
      return "\(file): weight matrix '\(name)' has shape \(found), the configuration needs \(expected)"
    case .nonFiniteParameter(let file, let name): return "\(file): weight matrix '\(name)' contains NaN or infinity"
    case .classNamesMismatch(let file, let names, let classes):
      return "\(file): \(names) class names for a readout of \(classes) classes"
    case .corrupted(let file, let detail): return "\(file): the model file is corrupted (\(detail))"
    case .writeFailed(let file, let detail): return "\(file): cannot write the model file (\(detail))"
    case .notANetworkFile(let file, let format):
      return "\(file): \(format.map { "format '\($0)'" } ?? "no 'format' attribute"), not a network: expected an r4ncl model file "
        + "('\(ModelFile.format)') or a spiking checkpoint ('\(CheckpointHDF5.format)')"
    }
  }
}
