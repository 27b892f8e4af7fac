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
      XCTAssertEqual(error as? ParameterError, .unreadableFile("/nonexistent/params.yaml"))
    }
  }
}

final class CheckpointFileTests: XCTestCase {
  func testRoundTripAndCorruptionFallsBackToThePreviousVersion() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = CheckpointStore(directory: directory, keep: 2)
    let model = try Synthetic.model(classes: 3)
    var checkpoint = model.checkpoint()
    let first = try store.save(checkpoint)
    XCTAssertEqual(try CheckpointFile.read(first), checkpoint)
    let reloaded = try CentroidBackend().load(try CheckpointFile.read(first))
    let sample = Synthetic.sample(class: 1, seed: 9)
    XCTAssertEqual(reloaded.scores(sample), model.scores(sample))

    checkpoint.modelVersion = 2
    let second = try store.save(checkpoint)
    checkpoint.modelVersion = 3
    let third = try store.save(checkpoint)
    XCTAssertEqual(store.files(), [third, second], "keeps the newest two")

    // Flip one payload byte of the newest: the checksum catches it, the store falls back.
    var bytes = [UInt8](FileManager.default.contents(atPath: third)!)
    bytes[bytes.count - 3] ^= 0x40
    FileManager.default.createFile(atPath: third, contents: Data(bytes))
    XCTAssertThrowsError(try CheckpointFile.read(third)) { error in
      XCTAssertTrue("\(error)".contains("checksum mismatch"), "\(error)")
    }
    let latest = store.loadLatest()
    XCTAssertEqual(latest.found?.path, second)
    XCTAssertEqual(latest.found?.checkpoint.modelVersion, 2)
    XCTAssertEqual(latest.skipped.count, 1)

    FileManager.default.createFile(atPath: second, contents: Data(bytes.prefix(20)))
    XCTAssertThrowsError(try CheckpointFile.read(second)) { error in
      XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
    }
  }

  func testReadOnlyDirectoryIsAClearError() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = CheckpointStore(directory: "/proc/r4ncl-cannot-exist")
    XCTAssertThrowsError(try store.save(try Synthetic.model(classes: 1).checkpoint())) { error in
      XCTAssertTrue("\(error)".contains("cannot"), "\(error)")
    }
  }
}

final class LabelSpoolTests: XCTestCase {
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
