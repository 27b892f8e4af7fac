import Foundation
import Learner
import Proto
import Storage

/// Node checkpoints on disk, as HDF5 files that h5py opens. A spiking model is written by
/// Storage's `CheckpointHDF5` (format "r4ncl-checkpoint": weights, thresholds, network
/// configuration, class ids and names, `model_version`, `node`, `base_fingerprint`, the continual settings, the threshold
/// targets as `layer_rates` and the replay store). Other models (the centroid baseline) are
/// written as their `Checkpoint` message's fields (format "r4ncl-node-model": attributes
/// `model_version`, `config`, `node`, `base_fingerprint`, `timesteps`; datasets
/// `tensors/<name>` with a `shape` attribute, `classes/ids`, `classes/names`). Both formats carry
/// `content_crc32`, a CRC-32 of their contents checked on reading. Every write is
/// atomic: temporary file, fsync, rename, directory fsync.
public enum NodeCheckpointFile {
  /// The `format` attribute of a generic (non-spiking) node checkpoint.
  public static let genericFormat = "r4ncl-node-model"

  /// Writes `model` (produced by node `node`) to `path` atomically; `beforeRename` runs
  /// between the synced temporary file and the rename.
  public static func write(
    _ model: any ClassifierModel, node: String, to path: String, beforeRename: (() throws -> Void)? = nil
  ) throws {
    let url = URL(fileURLWithPath: path)
    do {
      if let spiking = model as? SpikingClassifier {
        var checkpoint = try spiking.storageCheckpoint()
        checkpoint.node = node
        try CheckpointHDF5.write(checkpoint, to: url, beforeRename: beforeRename)
      } else {
        var checkpoint = model.checkpoint()
        checkpoint.node = node
        try writeGeneric(checkpoint, to: url, beforeRename: beforeRename)
      }
    } catch let error as NodeError {
      throw error
    } catch let error as CheckpointError {
      throw NodeError.writeFailed(path: path, reason: error.problem)
    } catch let error as AtomicFileError {
      throw NodeError.writeFailed(path: path, reason: error.description)
    } catch let error as HDF5Error {
      throw NodeError.writeFailed(path: path, reason: error.description)
    }
  }

  /// The model in the checkpoint at `path`; generic checkpoints are rebuilt by `loader`.
  /// Throws `NodeError.badCheckpoint` naming the file and what is wrong.
  public static func read(_ path: String, loader: any ModelLoader = CentroidBackend()) throws -> any ClassifierModel {
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.fileExists(atPath: path) else { throw NodeError.badCheckpoint(path: path, reason: "no such file") }
    let format: String?
    do {
      format = try HDF5File.formatAttribute(of: url)
    } catch {
      throw NodeError.badCheckpoint(path: path, reason: "not a readable HDF5 file (corrupted or truncated): \(problem(error, url))")
    }
    do {
      switch format {
      case CheckpointHDF5.format?: return try SpikingClassifier(try CheckpointHDF5.read(url))
      case genericFormat?: return try loader.load(try readGeneric(url))
      default:
        throw NodeError.badCheckpoint(
          path: path, reason: "attribute 'format' is \(format ?? "missing"), expected \(CheckpointHDF5.format) or \(genericFormat)")
      }
    } catch let error as NodeError {
      if case .badCheckpoint = error { throw error }
      throw NodeError.badCheckpoint(path: path, reason: error.description)
    } catch {
      throw NodeError.badCheckpoint(path: path, reason: problem(error, url))
    }
  }

  /// What `error` says is wrong with the file at `url`, without naming the file again
  /// (Storage's and HDF5's errors name it; `NodeError.badCheckpoint` does already).
  private static func problem(_ error: Error, _ url: URL) -> String {
    if let error = error as? CheckpointError, error.file == url.path { return error.problem }
    if let error = error as? HDF5Error, error.file == url.path { return error.problem }
    return "\(error)"
  }

  static func writeGeneric(_ checkpoint: R4ncl_V1_Checkpoint, to url: URL, beforeRename: (() throws -> Void)?) throws {
    try AtomicFile.write(to: url, beforeRename: beforeRename) { temporary in
      try HDF5Library.serialized {
        let file = try HDF5File.create(temporary)
        try file.setAttribute("format", .string(genericFormat))
        try file.setAttribute("version", .int(1))
        try file.setAttribute("model_version", .int(Int(truncatingIfNeeded: checkpoint.modelVersion)))
        try file.setAttribute("config", .string(checkpoint.configurationJson))
        try file.setAttribute("node", .string(checkpoint.node))
        try file.setAttribute("base_fingerprint", .string(checkpoint.baseFingerprint))
        try file.setAttribute("timesteps", .int(Int(checkpoint.timesteps)))
        try file.setAttribute("created_time_ns", .int(Int(checkpoint.createdTimeNs)))
        _ = try file.createGroup("tensors")
        for tensor in checkpoint.tensors {
          let dataset = try file.write("tensors/\(tensor.name)", tensor.values)
          try dataset.setAttribute("shape", .ints(tensor.shape.map(Int.init)))
        }
        _ = try file.createGroup("classes")
        try file.write("classes/ids", checkpoint.classes.map { Int64($0.id) })
        try file.writeStrings("classes/names", checkpoint.classes.map(\.name))
        try file.setContentChecksum(genericChecksum(checkpoint))
        try file.close()
      }
    }
  }

  static func readGeneric(_ url: URL) throws -> R4ncl_V1_Checkpoint {
    try HDF5Library.serialized {
      let file = try HDF5File.open(url)
      defer { try? file.close() }
      var checkpoint = R4ncl_V1_Checkpoint()
      checkpoint.modelVersion = UInt64(max(0, try file.attribute("model_version")?.intValue ?? 0))
      checkpoint.configurationJson = try file.attribute("config")?.stringValue ?? ""
      checkpoint.node = try file.attribute("node")?.stringValue ?? ""
      checkpoint.baseFingerprint = try file.attribute("base_fingerprint")?.stringValue ?? ""
      checkpoint.timesteps = UInt32(clamping: try file.attribute("timesteps")?.intValue ?? 0)
      checkpoint.createdTimeNs = Int64(try file.attribute("created_time_ns")?.intValue ?? 0)
      for name in try file.openGroup("tensors").childNames() {
        let dataset = try file.openDataset("tensors/\(name)")
        var tensor = R4ncl_V1_Tensor()
        tensor.name = name
        tensor.values = try dataset.read(Float.self)
        tensor.shape = (try dataset.attribute("shape")?.intsValue ?? [tensor.values.count]).map { UInt32(clamping: $0) }
        checkpoint.tensors.append(tensor)
      }
      let ids = try file.openDataset("classes/ids").read(Int64.self)
      let names = try file.openDataset("classes/names").readStrings()
      guard ids.count == names.count else {
        throw NodeError.badCheckpoint(path: url.path, reason: "classes/ids has \(ids.count) entries, classes/names \(names.count)")
      }
      checkpoint.classes = zip(ids, names).map { id, name in
        var entry = R4ncl_V1_ClassEntry()
        entry.id = Int32(clamping: id)
        entry.name = name
        return entry
      }
      let computed = genericChecksum(checkpoint)
      if let stored = try file.contentChecksumMismatch(computed) {
        throw NodeError.badCheckpoint(
          path: url.path,
          reason: "content_crc32 is \(ContentCRC32.hex(stored)) but the contents give \(ContentCRC32.hex(computed)): the file is corrupted")
      }
      return checkpoint
    }
  }

  /// CRC-32 of a generic checkpoint's contents (attribute `content_crc32`), little-endian, in
  /// this order: attributes config, node, base_fingerprint (UTF-8 + 0 byte), model_version,
  /// timesteps, created_time_ns (int64); `tensors/*` sorted by name, each its values (float32)
  /// and `shape` (int64); classes/ids (int64); classes/names (UTF-8 + 0 each).
  static func genericChecksum(_ checkpoint: R4ncl_V1_Checkpoint) -> UInt32 {
    var crc = ContentCRC32()
    for s in [checkpoint.configurationJson, checkpoint.node, checkpoint.baseFingerprint] { crc.text(s) }
    crc.numbers([Int64(truncatingIfNeeded: checkpoint.modelVersion), Int64(checkpoint.timesteps), checkpoint.createdTimeNs])
    for tensor in checkpoint.tensors.sorted(by: { ContentCRC32.inGroupOrder($0.name, $1.name) }) {
      crc.numbers(tensor.values)
      crc.numbers(tensor.shape.map { Int64($0) })
    }
    crc.numbers(checkpoint.classes.map { Int64($0.id) })
    for entry in checkpoint.classes { crc.text(entry.name) }
    return crc.value
  }
}

extension SpikingClassifier {
  /// The model as a Storage checkpoint (phase "node").
  func storageCheckpoint() throws -> Checkpoint {
    let ids = classes.ids
    let settings = try memory.map { String(decoding: try JSONEncoder.sorted.encode($0.settings), as: UTF8.self) } ?? ""
    var checkpoint = Checkpoint(
      phase: "node", method: memory?.settings.method ?? "", network: network, layerRates: memory?.targetRates ?? [],
      classNames: ids.map { classes.name(of: $0) ?? "class\($0)" }, settingsJSON: settings,
      replay: memory?.store.map(CheckpointReplay.init), classIDs: ids, modelVersion: version)
    checkpoint.baseFingerprint = baseFingerprint
    return checkpoint
  }

  /// A model from a Storage checkpoint written by `storageCheckpoint()` (or by `r4ncl learn`:
  /// without settings the model serves but cannot learn).
  convenience init(_ checkpoint: Checkpoint) throws {
    let map = try ClassMap(
      checking: checkpoint.classNames.enumerated().map { (checkpoint.classIDs?[$0.offset] ?? $0.offset, $0.element) },
      rows: checkpoint.network.config.classCount)
    var memory: ContinualMemory?
    if !checkpoint.settingsJSON.isEmpty {
      guard let settings = try? JSONDecoder().decode(ContinualSettings.self, from: Data(checkpoint.settingsJSON.utf8)) else {
        throw NodeError.incompatibleModel("attribute 'settings' is not a continual-learning configuration")
      }
      memory = ContinualMemory(settings: settings, targetRates: checkpoint.layerRates, store: try checkpoint.replay?.store())
      try memory?.check(network: checkpoint.network, classes: map)
    }
    self.init(network: checkpoint.network, classes: map, version: checkpoint.modelVersion, memory: memory)
  }
}

extension ContinualMemory {
  /// Refuses a memory its network cannot learn with, at load rather than at the first learning
  /// run: settings out of range, a replay depth beyond the hidden layers, replayed classes the
  /// model does not know. (`CheckpointHDF5.read` already checked the rates and that the replay
  /// store's depth and T are the settings'.)
  func check(network: Network, classes: ClassMap) throws {
    func refuse(_ reason: String) -> NodeError { NodeError.incompatibleModel("continual-learning memory: \(reason)") }
    do {
      try settings.validate()
      try settings.validateCodec()
    } catch { throw refuse("\(error)") }
    let layers = network.hiddenLayerCount
    guard settings.strategy == .replay else { return }
    guard (0...layers).contains(settings.depth) else { throw refuse("replay depth \(settings.depth) is not in 0...\(layers)") }
    if let stranger = store?.classes.first(where: { classes.name(of: $0) == nil }) {
      throw refuse("the replay store holds class \(stranger), which the model does not know")
    }
    if let store { try Self.checkDecodes(store, width: network.latentWidth(depth: store.depth), refuse: refuse) }
  }

  /// Decodes every stored latent once: bytes that do not decode, or decode to another depth,
  /// shape or class than the store says, would otherwise load and fail only at the first
  /// learning run, long after the file that held them was forgotten.
  private static func checkDecodes(_ store: ReplayStore, width: Int, refuse: (String) -> NodeError) throws {
    for c in store.classes {
      for (index, bytes) in store.encoded(ofClass: c).enumerated() {
        let sample: LatentSample
        do { sample = try store.codec.decode(bytes) } catch {
          throw refuse("replay entry \(index) of class \(c) does not decode: \(error)")
        }
        guard sample.depth == store.depth, sample.timesteps == store.timesteps, sample.width == width, sample.label == c else {
          throw refuse(
            "replay entry \(index) of class \(c) decodes to d=\(sample.depth) \(sample.timesteps)x\(sample.width) class \(sample.label ?? -1), the store is d=\(store.depth) \(store.timesteps)x\(width) class \(c)")
        }
      }
    }
  }
}
