import Learner
import Proto
import Storage
import XCTest

@testable import Node

final class ConfigurationTests: XCTestCase {
  let yaml = """
    /**:
      ros__parameters:
        namespace: drone1
        learning:
          min_samples: 10
    r4ncl_node:
      ros__parameters:
        endpoints:
          spikes: ">tcp://127.0.0.1:6000"
          output: ["@tcp://127.0.0.1:6001", "@ipc:///tmp/r4ncl-out"]
        hwm:
          input: 50
        status:
          period_s: 0.5
    other_node:
      ros__parameters:
        namespace: other
    """

  func testROSShapedFileWithNodeSectionAndOverrides() throws {
    var parameters = try Parameters(yaml: yaml, nodeName: "r4ncl_node", source: "test.yaml")
    try parameters.override(["learning.min_samples=3", "spool.dir=/tmp/spool"])
    let configuration = try NodeConfiguration(parameters: parameters)
    XCTAssertEqual(configuration.namespace, "drone1")
    XCTAssertEqual(configuration.learnMinSamples, 3)
    XCTAssertEqual(configuration.spoolDirectory, "/tmp/spool")
    XCTAssertEqual(configuration.spikeEndpoints, [EndpointSpec(.connect, "tcp://127.0.0.1:6000")])
    XCTAssertEqual(configuration.outputEndpoints, [EndpointSpec(.bind, "tcp://127.0.0.1:6001"), EndpointSpec(.bind, "ipc:///tmp/r4ncl-out")])
    XCTAssertEqual(configuration.inputHighWaterMark, 50)
    XCTAssertEqual(configuration.statusPeriod, 0.5)
    XCTAssertEqual(configuration.labelEndpoints, NodeConfiguration().labelEndpoints, "defaults stay")
  }

  /// Learning knobs: the preset, then the node's 1 thread, the shorthands and `continual.*`.
  func testContinualKnobsOverrideThePreset() throws {
    var parameters = Parameters()
    try parameters.override([
      "learning.method=replay4ncl", "learning.epochs=7", "learning.lr=0.01", "replay.samples_per_class=5",
      "continual.batch_size=8", "continual.learn_thresholds=0.8",
    ])
    let settings = try NodeConfiguration(parameters: parameters).continualSettings()
    XCTAssertEqual(settings.method, "replay4ncl")
    XCTAssertEqual(settings.learnEpochs, 7)
    XCTAssertEqual(settings.learnLearningRate, 0.01)
    XCTAssertEqual(settings.replaySamplesPerClass, 5)
    XCTAssertEqual(settings.batchSize, 8)
    XCTAssertEqual(settings.threads, 1)
    XCTAssertEqual(settings.learnThresholds, [0.8, 0.8, 0.8])
    XCTAssertTrue(settings.adaptiveThreshold.enabled, "other preset values stay")
    for bad in ["continual.bogus=1", "continual.epochs=many", "learning.method=joint", "replay.codec=zip"] {
      var p = Parameters()
      try p.override([bad])
      XCTAssertThrowsError(try NodeConfiguration(parameters: p), bad) { error in
        XCTAssertTrue("\(error)".contains(bad.split(separator: "=")[0].split(separator: ".").last!), "\(error)")
      }
    }
  }

  func testWildcardSectionAloneIsEnough() throws {
    let parameters = try Parameters(yaml: yaml, nodeName: "unnamed", source: "test.yaml")
    XCTAssertEqual(try NodeConfiguration(parameters: parameters).namespace, "drone1")
  }

  func testErrorsNameTheProblem() throws {
    XCTAssertThrowsError(try Parameters(yaml: "a: [", nodeName: "n", source: "bad.yaml")) { error in
      XCTAssertTrue("\(error)".contains("bad.yaml"), "\(error)")
    }
    XCTAssertThrowsError(try Parameters(yaml: "n:\n  params: {}", nodeName: "n", source: "x.yaml")) { error in
      XCTAssertTrue("\(error)".contains("ros__parameters"), "\(error)")
    }
    XCTAssertThrowsError(try Parameters(yaml: "m:\n  ros__parameters: {}", nodeName: "n", source: "x.yaml")) { error in
      XCTAssertTrue("\(error)".contains("no section for node n"), "\(error)")
    }
    var parameters = Parameters()
    XCTAssertThrowsError(try parameters.override(["novalue"])) { error in
      XCTAssertEqual(error as? ParameterError, .badOverride("novalue"))
    }
    try parameters.override(["learning.min_sample=3"])
    XCTAssertThrowsError(try NodeConfiguration(parameters: parameters)) { error in
      XCTAssertEqual(error as? ParameterError, .unknownParameter("learning.min_sample"))
    }
    parameters = Parameters()
    try parameters.override(["hwm.input=lots"])
    XCTAssertThrowsError(try NodeConfiguration(parameters: parameters)) { error in
      XCTAssertTrue("\(error)".contains("hwm.input: expected an integer"), "\(error)")
    }
    parameters = Parameters()
    try parameters.override(["endpoints.spikes=localhost"])
    XCTAssertThrowsError(try NodeConfiguration(parameters: parameters))
    XCTAssertThrowsError(try Parameters(file: "/nonexistent/params.yaml", nodeName: "n")) { error in
      XCTAssertEqual(error as? ParameterError, .unreadableFile("/nonexistent/params.yaml", reason: "no such file or directory"))
    }
  }

  /// `model.classes` takes the text form of `--classes` or a YAML list of its pieces.
  func testModelClassesTakeTheCommandLineForms() throws {
    let cases: [(String, [Int]?)] = [
      ("n:\n  ros__parameters:\n    model:\n      classes: \"0-3,7\"", [0, 1, 2, 3, 7]),
      ("n:\n  ros__parameters:\n    model:\n      classes: [9, 2-3, \"5,4\"]", [2, 3, 4, 5, 9]),
      ("n:\n  ros__parameters:\n    model:\n      classes: 4", [4]),
      ("n:\n  ros__parameters:\n    model:\n      classes: all", nil),
    ]
    for (yaml, ids) in cases {
      let parameters = try Parameters(yaml: yaml, nodeName: "n", source: "classes.yaml")
      XCTAssertEqual(try NodeConfiguration(parameters: parameters).modelClasses, ids, yaml)
    }
  }

  /// Numbers a node cannot use are named errors at start-up; each of these used to trap (found
  /// by starting the node with every parameter set to inf, nan, 1e300 and 2^63 - 1).
  func testAbsurdNumbersAreNamedErrors() throws {
    let cases = [
      ("status.period_s=1e300", "status.period_s: must be seconds in (0, 1000000]"),
      ("status.period_s=.inf", "status.period_s: must be seconds in (0, 1000000]"),
      ("swarm.chunk_bytes=1e300", "swarm.chunk_bytes: 1e+300 is not a whole number in 0...2147483647"),
      ("swarm.chunk_bytes=.nan", "swarm.chunk_bytes: nan is not a whole number"),
      ("swarm.max_shard_bytes=9223372036854775807", "swarm.max_shard_bytes: 9.223372036854776e+18 is not a whole number"),
      ("swarm.shard_timeout_s=.inf", "swarm.shard_timeout_s: must be seconds in (0, 1000000]"),
      ("model.classes=0-9223372036854775807", "'0-9223372036854775807': class ids are 0...65535"),
      ("continual.codec=orpool:9223372036854775807", "orpool:9223372036854775807"),
      ("model.classes=-1", "'-1' is not a class id or a range like 0-18"),  // was read as [1]
      ("model.classes=0--1", "'0--1' is not a class id or a range like 0-18"),  // was [0, 1]
      ("model.classes=0-99999999999999999999", "is not a class id or a range like 0-18"),  // was [0]
      ("spool.max_samples_per_class=10", "learning.min_samples: 20 is more than spool.max_samples_per_class = 10"),
    ]
    for (assignment, message) in cases {
      var parameters = Parameters()
      try parameters.override([assignment])
      XCTAssertThrowsError(try NodeConfiguration(parameters: parameters), assignment) { error in
        XCTAssertTrue("\(error)".contains(message), "\(assignment): \(error)")
      }
    }
  }
}

final class CheckpointFileTests: XCTestCase {
  func testRoundTripAndCorruptionFallsBackToThePreviousVersion() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = CheckpointStore(directory: directory, keep: 2)
    let model = try XCTUnwrap(try Synthetic.model(classes: 3) as? CentroidClassifier)
    let first = try store.save(model, node: "n")
    XCTAssertTrue(first.hasSuffix("model-v000001.h5"), first)
    let reloaded = try NodeCheckpointFile.read(first)
    let sample = Synthetic.sample(class: 1, seed: 9)
    XCTAssertEqual(reloaded.scores(sample), model.scores(sample))
    XCTAssertEqual(reloaded.classes, model.classes)
    XCTAssertEqual(reloaded.version, model.version)

    func versioned(_ v: UInt64) -> CentroidClassifier {
      CentroidClassifier(version: v, classes: model.classes, layout: model.layout, centroids: model.centroids, sampleCounts: model.sampleCounts)
    }
    let second = try store.save(versioned(2), node: "n")
    var renamed = false
    let third = try store.save(versioned(3), node: "n", beforeRename: {
      renamed = FileManager.default.fileExists(atPath: directory + "/model-v000003.h5")
    })
    XCTAssertFalse(renamed, "the hook runs before the rename")
    XCTAssertEqual(store.files(), [third, second], "keeps the newest two")

    // Garble the newest file's HDF5 superblock: it no longer reads, the store falls back.
    var bytes = [UInt8](FileManager.default.contents(atPath: third)!)
    for i in 0..<64 { bytes[i] ^= 0x5a }
    XCTAssertTrue(FileManager.default.createFile(atPath: third, contents: Data(bytes)))
    XCTAssertThrowsError(try NodeCheckpointFile.read(third)) { error in
      XCTAssertTrue("\(error)".contains(third) && "\(error)".contains("corrupted"), "\(error)")
    }
    let latest = store.loadLatest()
    XCTAssertEqual(latest.found?.path, second)
    XCTAssertEqual(latest.found?.model.version, 2)
    XCTAssertEqual(latest.skipped.count, 1)

    XCTAssertTrue(FileManager.default.createFile(atPath: second, contents: Data(bytes.prefix(20))))
    XCTAssertThrowsError(try NodeCheckpointFile.read(second))
    XCTAssertNil(store.loadLatest().found)
    XCTAssertEqual(store.loadLatest().skipped.count, 2)
  }

  /// A bit flipped in a tensor (which HDF5 itself does not notice) fails the content checksum:
  /// the file is reported corrupted and the store falls back to the previous version.
  func testAFlippedTensorBitIsACorruptedCheckpoint() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = CheckpointStore(directory: directory, keep: 2)
    let model = try XCTUnwrap(try Synthetic.model(classes: 3) as? CentroidClassifier)
    let first = try store.save(model, node: "n")
    let second = try store.save(
      CentroidClassifier(version: 2, classes: model.classes, layout: model.layout, centroids: model.centroids, sampleCounts: model.sampleCounts),
      node: "n")
    XCTAssertEqual(try NodeCheckpointFile.read(second).version, 2)
    // A Python peer recomputes the same checksum (h5py + zlib), when it has h5py.
    if let python = Paths.which("python3"), try ChildProcess.run(python, ["-c", "import h5py, numpy"], timeout: 30).status == 0 {
      let info = try ChildProcess.run(python, [Paths.root + "/examples/python/checkpoint_info.py", second], timeout: 60)
      XCTAssertEqual(info.status, 0, info.output)
      XCTAssertTrue(info.output.contains("r4ncl-node-model, model version 2, 3 classes") && info.output.contains("ok"), info.output)
    }
    var bytes = try Data(contentsOf: URL(fileURLWithPath: second))
    let values = try XCTUnwrap(model.checkpoint().tensors.max { $0.values.count < $1.values.count }).values
    let pattern = Data(values.prefix(6).withUnsafeBytes { Array($0) })
    let found = try XCTUnwrap(bytes.range(of: pattern))
    XCTAssertNil(bytes[found.upperBound...].range(of: pattern), "the pattern must be unique")
    bytes[found.lowerBound + 4] ^= 1
    try bytes.write(to: URL(fileURLWithPath: second))
    XCTAssertThrowsError(try NodeCheckpointFile.read(second)) { error in
      XCTAssertTrue("\(error)".contains(second) && "\(error)".contains("content_crc32") && "\(error)".contains("corrupted"), "\(error)")
    }
    let latest = store.loadLatest()
    XCTAssertEqual(latest.found?.path, first)
    XCTAssertEqual(latest.skipped.count, 1)
  }

  /// A replay4ncl model of classes 0 and 2 (version 7) prepared on a small network, and its session.
  private func preparedSpikingModel() throws -> (SpikingClassifier, ContinualSession) {
    var settings = try ContinualSettings.preset("replay4ncl")
    try settings.set("replay_per_class", "2")
    try settings.set("threads", "1")
    var synth = SyntheticSpikes()
    synth.classCount = 3
    synth.samplesPerClass = 4
    let network = try Network(config: NetworkConfig(sizes: [700, 16, 8, 4], timesteps: 10, maxTime: 0.5, thresholds: [0.05, 0.05], seed: 2))
    let session = try ContinualSession.prepare(pretrained: network, classes: [0, 2], settings: settings, replayData: synth.make())
    let model = SpikingClassifier(network: session.network, classes: ClassMap([0: "zero", 2: "two"]), version: 7, memory: ContinualMemory(session))
    return (model, session)
  }

  /// A spiking node checkpoint is Storage's HDF5 checkpoint: network, class map (ids beyond
  /// the consecutive ones), version, settings and replay memory survive the round trip.
  func testSpikingCheckpointKeepsNetworkClassesVersionAndMemory() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (model, session) = try preparedSpikingModel()
    let path = try CheckpointStore(directory: directory).save(model, node: "n")
    let loaded = try XCTUnwrap(try NodeCheckpointFile.read(path) as? SpikingClassifier)
    XCTAssertEqual(loaded.network, model.network)
    XCTAssertEqual(loaded.classes, model.classes)
    XCTAssertEqual(loaded.version, 7)
    XCTAssertEqual(loaded.frozenDepth, 2)
    XCTAssertEqual(loaded.memory?.settings, session.settings)
    XCTAssertEqual(loaded.memory?.targetRates, session.targetRates)
    XCTAssertEqual(loaded.memory?.store?.flattened().bytes, session.store?.flattened().bytes)
    XCTAssertEqual(loaded.memory?.store?.classes, [0, 2])
    // The swarm's fields: the writer and its frozen base's fingerprint (the loaded model's too).
    let raw = try CheckpointHDF5.read(URL(fileURLWithPath: path))
    XCTAssertEqual(raw.node, "n")
    XCTAssertEqual(raw.baseFingerprint, model.baseFingerprint)
    XCTAssertEqual(loaded.baseFingerprint, model.baseFingerprint)
    let sample = Synthetic.sample(class: 1, seed: 3)
    XCTAssertEqual(loaded.scores(sample), model.scores(sample))
  }

  /// A bit flipped in a spiking checkpoint's weights: the error names the file once (Storage's
  /// error names it too) and gives both checksums in hex, as checkpoint_info.py prints them.
  func testACorruptedSpikingCheckpointNamesTheFileOnce() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let network = try Network(config: NetworkConfig(sizes: [700, 16, 8, 4], timesteps: 10, maxTime: 0.5, thresholds: [0.05, 0.05], seed: 2))
    let store = CheckpointStore(directory: directory)
    let path = try store.save(SpikingClassifier(network: network, classes: ClassMap([0: "zero", 1: "one"]), version: 3), node: "n")
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let pattern = Data(network.layers[0].weight.values.prefix(8).withUnsafeBytes { Array($0) })
    let found = try XCTUnwrap(bytes.range(of: pattern))
    bytes[found.lowerBound + 4] ^= 1
    try bytes.write(to: URL(fileURLWithPath: path))
    let skipped = try XCTUnwrap(store.loadLatest().skipped.first)
    let text = "\(skipped)"
    XCTAssertEqual(text.components(separatedBy: path).count - 1, 1, text)
    XCTAssertNotNil(
      text.range(of: "^checkpoint \\S+: 'content_crc32' is 0x[0-9a-f]{8} but the contents give 0x[0-9a-f]{8}: the file is corrupted$",
                 options: .regularExpression), text)
  }

  /// A checkpoint whose learning memory the network cannot use is refused when it is loaded
  /// (each of these used to load and fail only at the first learning run, or never learn).
  func testACheckpointWithAnUnusableLearningMemoryIsRefused() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (model, session) = try preparedSpikingModel()
    let good = try model.storageCheckpoint()
    func refused(_ change: (inout Checkpoint) throws -> Void, saying message: String, line: UInt = #line) throws {
      var checkpoint = good
      try change(&checkpoint)
      let path = directory + "/bad.h5"
      try CheckpointHDF5.write(checkpoint, to: URL(fileURLWithPath: path))
      XCTAssertThrowsError(try NodeCheckpointFile.read(path), line: line) { error in
        XCTAssertTrue("\(error)".contains(message), "\(error)", line: line)
      }
    }
    try refused({ $0.settingsJSON = "{" }, saying: "attribute 'settings' is not a continual-learning configuration")
    try refused({
      var s = session.settings
      s.batchSize = 0
      $0.settingsJSON = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
    }, saying: "continual-learning memory: ")
    try refused({
      var s = session.settings
      s.depth = 1
      $0.settingsJSON = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
    }, saying: "'replay' holds latents of depth 2, T 10 but the settings learn at depth 1, T 10")
    try refused({ $0.layerRates = [0.1, .nan] }, saying: "'layer_rates' must be finite and >= 0")
    try refused({ $0.classNames = ["zero"]; $0.classIDs = [0] }, saying: "the replay store holds class 2, which the model does not know")
    // Replay bytes are decoded at load: garbage, and latents filed under another class.
    let replay = try XCTUnwrap(good.replay)
    try refused({ $0.replay?.bytes = [UInt8](repeating: 0xFF, count: replay.bytes.count) }, saying: "replay entry 0 of class 0 does not decode")
    try refused({ $0.replay?.labels = replay.labels.map { _ in 0 } }, saying: "of class 0 decodes to d=2 10x8 class 2, the store is d=2 10x8 class 0")
    // The unchanged checkpoint loads.
    let path = directory + "/good.h5"
    try CheckpointHDF5.write(good, to: URL(fileURLWithPath: path))
    XCTAssertNotNil(try NodeCheckpointFile.read(path) as? SpikingClassifier)
  }

  /// Two classes of one name (or one id twice) in a checkpoint are refused: names are unique
  /// within a node, and a teacher's announcement must mean one class.
  func testASpikingCheckpointWithRepeatedClassNamesIsRefused() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let network = try Network(config: NetworkConfig(sizes: [700, 16, 8, 4], timesteps: 10, seed: 2))
    let path = directory + "/same.h5"
    try CheckpointHDF5.write(
      Checkpoint(phase: "node", method: "", network: network, layerRates: [], classNames: ["same", "same"], classIDs: [0, 3]),
      to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try NodeCheckpointFile.read(path)) { error in
      XCTAssertEqual("\(error)", "checkpoint \(path): incompatible model: class name \"same\" appears twice")
    }
  }

  func testReadOnlyDirectoryIsAClearError() throws {
    let store = CheckpointStore(directory: "/proc/r4ncl-cannot-exist")
    XCTAssertThrowsError(try store.save(try Synthetic.model(classes: 1), node: "n")) { error in
      XCTAssertTrue("\(error)".contains("cannot"), "\(error)")
    }
  }
}

final class LabelSpoolTests: XCTestCase {
  /// An announcement's `expected_samples` counts from the samples spooled before it; the mark
  /// survives a reopen and a compaction that keeps a later announcement.
  func testAwaitedSamplesCountFromTheAnnouncement() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    func promising(_ count: UInt32) -> R4ncl_V1_LabelEvent {
      var event = announce(4, "four")
      event.announce.expectedSamples = count
      return event
    }
    let spool = try LabelSpool(directory: directory)
    try spool.append(announce(4, "four"))
    XCTAssertNil(spool.awaitedSamples[4], "no promise")
    try spool.append(labeled(4, seeds: 0..<2))
    try spool.append(promising(5))
    XCTAssertEqual(spool.awaitedSamples[4], 7)
    try spool.append(labeled(4, seeds: 2..<7))
    let watermark = spool.watermark
    try spool.append(promising(3))
    XCTAssertEqual(spool.awaitedSamples[4], 10)
    XCTAssertEqual(try LabelSpool(directory: directory).awaitedSamples[4], 10)
    try spool.compact(classes: [4], before: watermark)
    XCTAssertEqual(spool.awaitedSamples[4], 3, "the 7 learned samples left; 3 promised after them")
    XCTAssertEqual(try LabelSpool(directory: directory).awaitedSamples[4], 3)
    try spool.append(labeled(4, seeds: 7..<10))
    try spool.compact(classes: [4], before: spool.watermark)
    XCTAssertNil(spool.awaitedSamples[4], "learned: announcement and promise gone")
    XCTAssertNil(spool.announced.name(of: 4))
  }

  func testRecordsSurviveReopenAndATornTailIsCut() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
      let spool = try LabelSpool(directory: directory)
      try spool.append(announce(4, "four"))
      try spool.append(labeled(4, seeds: 0..<3))
      try spool.append(labeled(4, seeds: 3..<5))
    }
    let path = directory + "/labels.spool"
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data([200, 0, 0, 0, 1, 2, 3]))  // a record header promising 200 bytes, then a crash
    handle.closeFile()

    let spool = try LabelSpool(directory: directory)
    XCTAssertEqual(spool.recoveredTornBytes, 7)
    XCTAssertEqual(spool.announced.name(of: 4), "four")
    XCTAssertEqual(spool.countsPerClass, [4: 5])
    XCTAssertEqual(spool.samples[4]?.first?.sample, { var s = Synthetic.sample(class: 4, seed: 0); s.label = 4; return s }())

    let watermark = spool.watermark
    try spool.append(labeled(4, seeds: 5..<6))
    try spool.compact(classes: [4], before: watermark)
    XCTAssertEqual(spool.countsPerClass, [4: 1], "the sample after the watermark stays")
    let reopened = try LabelSpool(directory: directory)
    XCTAssertEqual(reopened.countsPerClass, [4: 1])
    XCTAssertEqual(reopened.recoveredTornBytes, 0)
  }
}

extension LabelSpoolTests {
  /// The spool knows the events it holds (after a reopen too) and its size in bytes, which
  /// compaction gives back; a learned class's events are forgotten with it.
  func testTheSpoolKnowsItsEventsAndBytes() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = labeled(4, seeds: 0..<3)
    let second = labeled(5, seeds: 0..<2)
    do {
      let spool = try LabelSpool(directory: directory)
      XCTAssertFalse(spool.contains(first))
      try spool.append(first)
      try spool.append(second)
      XCTAssertTrue(spool.contains(first))
      XCTAssertFalse(spool.contains(labeled(4, seeds: 0..<2)), "other contents: another event")
      XCTAssertEqual(spool.byteCount, LabelSpool.recordBytes(first) + LabelSpool.recordBytes(second))
    }
    let fileBytes = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: directory + "/labels.spool")[.size] as? Int)
    let spool = try LabelSpool(directory: directory)
    XCTAssertTrue(spool.contains(first) && spool.contains(second))
    XCTAssertEqual(spool.byteCount, fileBytes)
    try spool.compact(classes: [4], before: spool.watermark)
    XCTAssertFalse(spool.contains(first))
    XCTAssertTrue(spool.contains(second))
    XCTAssertEqual(spool.byteCount, LabelSpool.recordBytes(second))
  }
}

final class BoundedQueueTests: XCTestCase {
  func testFullQueueDropsTheOldestAndCloseEndsConsumers() {
    let queue = BoundedQueue<Int>(capacity: 3)
    XCTAssertNil(queue.push(1))
    XCTAssertNil(queue.push(2))
    XCTAssertNil(queue.push(3))
    XCTAssertEqual(queue.push(4), 1)
    XCTAssertEqual(queue.count, 3)
    XCTAssertEqual(queue.pop(), 2)
    queue.close()
    XCTAssertEqual(queue.push(5), 5, "closed queues refuse")
    XCTAssertEqual(queue.pop(), 3)
    XCTAssertEqual(queue.pop(), 4)
    XCTAssertNil(queue.pop())
  }
}
