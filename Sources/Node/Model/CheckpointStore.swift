import Foundation
import Proto

/// The node's checkpoint directory: one file per model version (`model-v<version>.r4ckpt`),
/// the newest `keep` kept. Loading takes the newest file that verifies, so a corrupted latest
/// file falls back to the previous one.
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
    (directory as NSString).appendingPathComponent(String(format: "model-v%06llu.r4ckpt", version))
  }

  /// Writes `checkpoint` atomically and prunes older versions; returns its path.
  @discardableResult
  public func save(_ checkpoint: R4ncl_V1_Checkpoint, beforeRename: (() -> Void)? = nil) throws -> String {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw NodeError.writeFailed(path: directory, reason: "cannot create directory: \(error.localizedDescription)")
    }
    let path = path(version: checkpoint.modelVersion)
    try CheckpointFile.write(checkpoint, to: path, beforeRename: beforeRename)
    for old in files().dropFirst(keep) { try? FileManager.default.removeItem(atPath: old) }
    return path
  }

  /// Checkpoint files, newest version first.
  public func files() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasPrefix("model-v") && $0.hasSuffix(".r4ckpt") }.sorted(by: >)
      .map { (directory as NSString).appendingPathComponent($0) }
  }

  /// The newest checkpoint that verifies (nil if none), and the problems of skipped newer files.
  public func loadLatest() -> (found: (checkpoint: R4ncl_V1_Checkpoint, path: String)?, skipped: [NodeError]) {
    var skipped: [NodeError] = []
    for path in files() {
      do { return ((try CheckpointFile.read(path), path), skipped) } catch let error as NodeError {
        skipped.append(error)
      } catch { skipped.append(.badCheckpoint(path: path, reason: "\(error)")) }
    }
    return (nil, skipped)
  }
}
