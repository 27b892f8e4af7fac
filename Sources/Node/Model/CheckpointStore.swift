import Foundation

/// The node's checkpoint directory: one HDF5 file per model version (`model-v<version>.h5`,
/// see `NodeCheckpointFile`), the newest `keep` kept. Loading takes the newest file that
/// reads, so a corrupted latest file falls back to the previous one (the problem is reported).
public struct CheckpointStore: Sendable {
  /// The directory.
  public let directory: String
  /// Versions kept on disk.
  public let keep: Int

  public init(directory: String, keep: Int = 3) {
    self.directory = directory
    self.keep = max(1, keep)
  }

  /// The file of model `version`.
  public func path(version: UInt64) -> String {
    (directory as NSString).appendingPathComponent(String(format: "model-v%06llu.h5", version))
  }

  /// Writes `model` (of node `node`) atomically as the file of its version and prunes older
  /// versions; returns its path. `beforeRename`: see `writeAtomically`.
  @discardableResult
  public func save(_ model: any ClassifierModel, node: String, beforeRename: (() -> Void)? = nil) throws -> String {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw NodeError.writeFailed(path: directory, reason: "cannot create directory: \(error.localizedDescription)")
    }
    let path = path(version: model.version)
    try Self.writeAtomically(model, node: node, to: path, beforeRename: beforeRename)
    for old in files().dropFirst(keep) { try? FileManager.default.removeItem(atPath: old) }
    return path
  }

  /// The one place a node checkpoint reaches the disk: the HDF5 file is written to a temporary
  /// sibling and fsync'd, then `beforeRename` runs (the fault-injection point: a crash here
  /// must leave the previous checkpoint intact), then the temporary file is renamed over `path`
  /// and the directory fsync'd.
  public static func writeAtomically(
    _ model: any ClassifierModel, node: String, to path: String, beforeRename: (() -> Void)? = nil
  ) throws {
    try NodeCheckpointFile.write(model, node: node, to: path, beforeRename: {
      FaultInjection.pauseBeforeRename(path)
      beforeRename?()
    })
  }

  /// Checkpoint files, newest version first.
  public func files() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasPrefix("model-v") && $0.hasSuffix(".h5") }.sorted(by: >)
      .map { (directory as NSString).appendingPathComponent($0) }
  }

  /// The newest checkpoint that reads (nil if none), and the problems of skipped newer files.
  /// Generic (non-spiking) checkpoints are rebuilt by `loader`.
  public func loadLatest(loader: any ModelLoader = CentroidBackend())
    -> (found: (model: any ClassifierModel, path: String)?, skipped: [NodeError])
  {
    var skipped: [NodeError] = []
    for path in files() {
      do { return ((try NodeCheckpointFile.read(path, loader: loader), path), skipped) } catch let error as NodeError {
        skipped.append(error)
      } catch { skipped.append(.badCheckpoint(path: path, reason: "\(error)")) }
    }
    return (nil, skipped)
  }
}
