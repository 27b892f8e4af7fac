/// A failure of the HDF5 layer, naming the file and the object inside it.
public enum HDF5Error: Error, Equatable, CustomStringConvertible {
  /// No file exists at the path (or it cannot be stat'ed).
  case fileNotFound(file: String)
  /// The file exists but does not carry the HDF5 signature.
  case notHDF5(file: String)
  /// HDF5 refused to open the file (e.g. it is truncated); `reason` is HDF5's own message.
  case openFailed(file: String, reason: String)
  /// The file could not be created.
  case createFailed(file: String, reason: String)
  /// There is no object at `path` inside the file.
  case missingObject(file: String, path: String)
  /// The object at `path` is a group where a dataset was expected, or the reverse.
  case wrongObjectKind(file: String, path: String, expected: String)
  /// The dataset or attribute has a datatype that cannot be read as the type asked for.
  case wrongType(file: String, path: String, expected: String, found: String)
  /// The dataset has a shape other than the one required.
  case wrongShape(file: String, path: String, expected: String, found: [Int])
  /// The values handed to a writer do not fit the shape asked for.
  case valueCountMismatch(file: String, path: String, shape: [Int], count: Int)
  /// An HDF5 call failed; `operation` names it and `reason` is HDF5's message.
  case callFailed(file: String, path: String, operation: String, reason: String)
  /// Reading the dataset or attribute would allocate more than `limit` bytes (`HDF5ReadLimit`):
  /// `shape` elements of `elementBytes` each, whatever the file actually stores.
  case tooLarge(file: String, path: String, shape: [Int], elementBytes: Int, limit: Int)
  /// The link at `path` leads to no object that is read: an external link (into another file,
  /// never followed), a soft link that is dangling or cyclic, or a user-defined link.
  case unresolvedLink(file: String, path: String, link: String)
  /// The dataset keeps its data outside the file (external raw files or a virtual dataset),
  /// which is never read: it could name any path, a FIFO or a device.
  case externalData(file: String, path: String)
  /// The variable-length dataset's row descriptors or the global heap collections they point
  /// to are corrupted (`detail` names the first row or collection at fault); libhdf5 would
  /// read or write outside its buffers reading them (`HDF5GlobalHeapCheck.swift`).
  case corruptVariableLength(file: String, path: String, detail: String)

  /// The file the error is about.
  public var file: String {
    switch self {
    case .fileNotFound(let f), .notHDF5(let f), .openFailed(let f, _), .createFailed(let f, _), .missingObject(let f, _),
      .wrongObjectKind(let f, _, _), .wrongType(let f, _, _, _), .wrongShape(let f, _, _, _),
      .valueCountMismatch(let f, _, _, _), .callFailed(let f, _, _, _), .tooLarge(let f, _, _, _, _),
      .unresolvedLink(let f, _, _), .externalData(let f, _), .corruptVariableLength(let f, _, _):
      return f
    }
  }

  /// What went wrong, without the file name (for callers that name the file themselves).
  public var problem: String {
    switch self {
    case .fileNotFound:
      return "no such file"
    case .notHDF5:
      return "not an HDF5 file"
    case .openFailed(_, let reason):
      return "HDF5 cannot open the file (\(reason))"
    case .createFailed(_, let reason):
      return "cannot create the HDF5 file (\(reason))"
    case .missingObject(_, let path):
      return "no object '\(path)'"
    case .wrongObjectKind(_, let path, let expected):
      return "'\(path)' is not a \(expected)"
    case .wrongType(_, let path, let expected, let found):
      return "'\(path)' has type \(found), expected \(expected)"
    case .wrongShape(_, let path, let expected, let found):
      return "'\(path)' has shape \(found), expected \(expected)"
    case .valueCountMismatch(_, let path, let shape, let count):
      return "'\(path)': \(count) values do not fill shape \(shape)"
    case .callFailed(_, let path, let operation, let reason):
      return "'\(path)': \(operation) failed (\(reason.isEmpty ? "no detail" : reason))"
    case .tooLarge(_, let path, let shape, let elementBytes, let limit):
      return "'\(path)' declares shape \(shape) of \(elementBytes)-byte elements, more than the \(limit >> 20) MiB one read may allocate"
    case .unresolvedLink(_, let path, let link):
      return "'\(path)' is \(link)"
    case .externalData(_, let path):
      return "'\(path)' keeps its data outside the file (external raw files or a virtual dataset), which is not read"
    case .corruptVariableLength(_, let path, let detail):
      return "dataset '\(path)': variable-length data is corrupted (\(detail))"
    }
  }

  public var description: String { "\(file): \(problem)" }
}
