import Foundation

/// Failures of the node outside libzmq: files, checkpoints, models.
public enum NodeError: Error, CustomStringConvertible, Equatable {
  /// A system call failed with `errno`.
  case system(String, Int32)
  /// A checkpoint file is missing, truncated, corrupted or not a checkpoint.
  case badCheckpoint(path: String, reason: String)
  /// A file or directory could not be written (e.g. read-only checkpoint directory).
  case writeFailed(path: String, reason: String)
  /// The label spool could not be read or written.
  case spool(path: String, reason: String)
  /// A model does not fit the node's configuration (e.g. other channel count), or the
  /// backend cannot load a checkpoint of that kind.
  case incompatibleModel(String)

  public var description: String {
    switch self {
    case .system(let call, let code): return "\(call) failed: \(String(cString: strerror(code)))"
    case .badCheckpoint(let path, let reason): return "checkpoint \(path): \(reason)"
    case .writeFailed(let path, let reason): return "cannot write \(path): \(reason)"
    case .spool(let path, let reason): return "label spool \(path): \(reason)"
    case .incompatibleModel(let reason): return "incompatible model: \(reason)"
    }
  }
}
