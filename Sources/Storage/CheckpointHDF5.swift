import Foundation
import Learner

/// Reads and writes checkpoints as HDF5, atomically (temporary file, fsync, rename). Layout:
/// root attributes `format` = "r4ncl-checkpoint", `version` = 1, `phase`, `method`,
/// `config` (NetworkConfig JSON), `settings` (JSON), `model_version`, `node`, `base_fingerprint`,
/// `content_crc32` (CRC-32 of all the rest, see `Checkpoint.contentChecksum`); datasets `weights/<W1, V1, ..., Wout>`
/// (float32 2-D), `thresholds` (float32), `layer_rates` (float64), `classes/ids` (int64),
/// `classes/names` (strings); optional group `replay` with `bytes` (uint8), `offsets`
/// (int64, count + 1), `labels` (int32) and attributes `codec`, `depth`, `timesteps`.
/// Reading is in `CheckpointHDF5+Read.swift`.
public enum CheckpointHDF5 {
  public static let format = "r4ncl-checkpoint"
  public static let version = 1

  /// Writes `checkpoint` to `url`, replacing any file there only once the new one is complete.
  /// `beforeRename` runs once the temporary file is written and synced, before it replaces
  /// `url` (crash tests pause or fail there).
  public static func write(_ checkpoint: Checkpoint, to url: URL, beforeRename: (() throws -> Void)? = nil) throws {
    guard checkpoint.classIDs.map({ $0.count == checkpoint.classNames.count }) ?? true else {
      throw CheckpointError.invalid(file: url.path, field: "classes/ids", reason: "has \(checkpoint.classIDs!.count) ids for \(checkpoint.classNames.count) names")
    }
    let name = url.path
    let configJSON = String(decoding: try JSONEncoder().encode(checkpoint.network.config), as: UTF8.self)
    do {
      try AtomicFile.write(to: url, beforeRename: beforeRename) { temporary in
        try HDF5Library.serialized {
          let file = try HDF5File.create(temporary)
          try file.setAttribute("format", .string(format))
          try file.setAttribute("version", .int(version))
          try file.setAttribute("phase", .string(checkpoint.phase))
          try file.setAttribute("method", .string(checkpoint.method))
          try file.setAttribute("config", .string(configJSON))
          try file.setAttribute("settings", .string(checkpoint.settingsJSON))
          try file.setAttribute("model_version", .int(Int(truncatingIfNeeded: checkpoint.modelVersion)))
          try file.setAttribute("node", .string(checkpoint.node))
          try file.setAttribute("base_fingerprint", .string(checkpoint.baseFingerprint))
          try file.setContentChecksum(checkpoint.contentChecksum(configJSON: configJSON))
          _ = try file.createGroup("weights")
          for p in checkpoint.network.namedParameters { try file.write("weights/\(p.name)", matrix: p.matrix) }
          try file.write("thresholds", checkpoint.network.thresholds)
          try file.write("layer_rates", checkpoint.layerRates)
          _ = try file.createGroup("classes")
          try file.write("classes/ids", (checkpoint.classIDs ?? Array(checkpoint.classNames.indices)).map { Int64($0) })
          try file.writeStrings("classes/names", checkpoint.classNames)
          if let r = checkpoint.replay {
            let g = try file.createGroup("replay")
            try file.write("replay/bytes", r.bytes)
            try file.write("replay/offsets", r.offsets)
            try file.write("replay/labels", r.labels)
            try g.setAttribute("codec", .string(r.codec))
            try g.setAttribute("depth", .int(r.depth))
            try g.setAttribute("timesteps", .int(r.timesteps))
          }
          try file.close()
        }
      }
    } catch let e as HDF5Error {
      throw CheckpointError.writeFailed(file: name, detail: e.description)
    } catch let e as AtomicFileError {
      throw CheckpointError.writeFailed(file: name, detail: e.description)
    }
  }
}

/// Why a checkpoint could not be written or read.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
  /// Writing failed (HDF5 or the atomic rename).
  case writeFailed(file: String, detail: String)
  /// The file is not readable HDF5 or lacks a dataset.
  case readFailed(file: String, detail: String)
  /// A field is missing or inconsistent.
  case invalid(file: String, field: String, reason: String)

  /// The file the error is about.
  public var file: String {
    switch self {
    case .writeFailed(let f, _), .readFailed(let f, _), .invalid(let f, _, _): return f
    }
  }

  /// What went wrong, without the file name (for callers that name the file themselves).
  public var problem: String {
    switch self {
    case .writeFailed(_, let d): return "write failed: \(d)"
    case .readFailed(_, let d): return "read failed: \(d)"
    case .invalid(_, let field, let r): return "'\(field)' \(r)"
    }
  }

  public var description: String { "checkpoint \(file): \(problem)" }
}
