import Foundation
import Learner

/// Reads and writes checkpoints as HDF5, atomically (temporary file, fsync, rename). Layout:
/// root attributes `format` = "r4ncl-checkpoint", `version` = 1, `phase`, `method`,
/// `config` (NetworkConfig JSON), `settings` (JSON), `model_version`, `node`, `base_fingerprint`,
/// `content_crc32` (CRC-32 of all the rest, see `Checkpoint.contentChecksum`); datasets `weights/<W1, V1, ..., Wout>`
/// (float32 2-D), `thresholds` (float32), `layer_rates` (float64), `classes/ids` (int64),
/// `classes/names` (strings); optional group `replay` with `bytes` (uint8), `offsets`
/// (int64, count + 1), `labels` (int32) and attributes `codec`, `depth`, `timesteps`.
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

  /// Reads a checkpoint written by `write(_:to:)`.
  public static func read(_ url: URL) throws -> Checkpoint {
    let name = url.path
    do {
      return try HDF5Library.serialized {
        let file = try HDF5File.open(url)
        defer { try? file.close() }
        guard try file.attribute("format")?.stringValue == format else {
          throw CheckpointError.invalid(file: name, field: "format", reason: "is not '\(format)'")
        }
        guard let v = try file.attribute("version")?.intValue, v == version else {
          throw CheckpointError.invalid(file: name, field: "version", reason: "must be \(version)")
        }
        guard let configText = try file.attribute("config")?.stringValue,
          let config = try? JSONDecoder().decode(NetworkConfig.self, from: Data(configText.utf8))
        else { throw CheckpointError.invalid(file: name, field: "config", reason: "is missing or not a network configuration") }
        var network: Network
        do { network = try Network(config: config) } catch {
          throw CheckpointError.invalid(file: name, field: "config", reason: "\(error)")
        }
        var params: [(name: String, matrix: Matrix)] = []
        for p in network.parameterNames {
          guard file.isDataset("weights/\(p)") else { throw CheckpointError.invalid(file: name, field: "weights/\(p)", reason: "is missing") }
          params.append((p, try file.openDataset("weights/\(p)").readMatrix()))
        }
        do { try network.setParameters(params) } catch {
          throw CheckpointError.invalid(file: name, field: "weights", reason: "\(error)")
        }
        let thresholds = try file.openDataset("thresholds").read(Float.self)
        guard thresholds.count == network.hiddenLayerCount, thresholds.allSatisfy({ $0.isFinite && $0 > 0 }) else {
          throw CheckpointError.invalid(file: name, field: "thresholds", reason: "needs \(network.hiddenLayerCount) positive values, got \(thresholds)")
        }
        network.thresholds = thresholds
        let rates = try file.openDataset("layer_rates").read(Double.self)
        let names = try file.openDataset("classes/names").readStrings()
        let ids = try file.openDataset("classes/ids").read(Int64.self).map { Int($0) }
        let rows = network.config.classCount
        guard ids.count == names.count, Set(ids).count == ids.count, ids.allSatisfy((0..<rows).contains) else {
          let shown = ids.count <= 32 ? "\(ids)" : "\(Array(ids.prefix(32)))... (\(ids.count) ids)"
          throw CheckpointError.invalid(
            file: name, field: "classes/ids", reason: "needs \(names.count) distinct readout rows in 0..<\(rows), got \(shown)")
        }
        let version = try file.attribute("model_version")?.intValue ?? 0
        var replay: CheckpointReplay?
        if file.isGroup("replay") {
          let g = try file.openGroup("replay")
          let bytes = try file.openDataset("replay/bytes").read(UInt8.self)
          let offsets = try file.openDataset("replay/offsets").read(Int64.self)
          let labels = try file.openDataset("replay/labels").read(Int32.self)
          guard offsets.count == labels.count + 1, offsets.first == 0, offsets.last == Int64(bytes.count),
            zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
          else {
            throw CheckpointError.invalid(file: name, field: "replay/offsets", reason: "must be \(labels.count + 1) ascending offsets from 0 to \(bytes.count)")
          }
          guard let codec = try g.attribute("codec")?.stringValue, let depth = try g.attribute("depth")?.intValue,
            let steps = try g.attribute("timesteps")?.intValue
          else { throw CheckpointError.invalid(file: name, field: "replay", reason: "needs attributes codec, depth, timesteps") }
          replay = CheckpointReplay(codec: codec, depth: depth, timesteps: steps, bytes: bytes, offsets: offsets, labels: labels)
        }
        var checkpoint = Checkpoint(
          phase: try file.attribute("phase")?.stringValue ?? "", method: try file.attribute("method")?.stringValue ?? "",
          network: network, layerRates: rates, classNames: names,
          settingsJSON: try file.attribute("settings")?.stringValue ?? "", replay: replay,
          classIDs: ids == Array(names.indices) ? nil : ids, modelVersion: UInt64(max(0, version)))
        // Older files have neither.
        checkpoint.node = try file.attribute("node")?.stringValue ?? ""
        checkpoint.baseFingerprint = try file.attribute("base_fingerprint")?.stringValue ?? ""
        let computed = checkpoint.contentChecksum(configJSON: configText)
        if let stored = try file.contentChecksumMismatch(computed) {
          throw CheckpointError.invalid(
            file: name, field: "content_crc32",
            reason: "is \(ContentCRC32.hex(stored)) but the contents give \(ContentCRC32.hex(computed)): the file is corrupted")
        }
        return checkpoint
      }
    } catch let e as HDF5Error {
      throw CheckpointError.readFailed(file: name, detail: e.file == name ? e.problem : e.description)
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
