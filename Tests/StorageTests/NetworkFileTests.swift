import Foundation
import XCTest
@testable import Learner
@testable import Storage

/// `NetworkFile` reads the network of a model file and of a checkpoint alike, and names a file
/// that is neither.
final class NetworkFileTests: XCTestCase {
  private func network(classes: Int = 4) throws -> Network {
    try Network(config: NetworkConfig(sizes: [12, 8, 6, classes], timesteps: 10, seed: 5))
  }

  func testAModelFileKnowsEveryRow() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("m.h5")
    let net = try network()
    try ModelFile.save(net, classNames: ["a", "b", "c", "d"], to: url)
    let file = try NetworkFile.read(url)
    XCTAssertEqual(file.format, ModelFile.format)
    XCTAssertEqual(file.model.network, net)
    XCTAssertEqual(file.model.classNames, ["a", "b", "c", "d"])
    XCTAssertNil(file.knownRows)
  }

  func testACheckpointKnowsItsClassIDsAsRows() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("ck.h5")
    var net = try network(classes: 6)
    net.thresholds = [0.7, 0.9]
    try CheckpointHDF5.write(
      Checkpoint(phase: "learn", method: "replay4ncl", network: net, layerRates: [0.1, 0.1], classNames: ["zero", "one", "five"],
        classIDs: [0, 1, 5], modelVersion: 3), to: url)
    let file = try NetworkFile.read(url)
    XCTAssertEqual(file.format, CheckpointHDF5.format)
    XCTAssertEqual(file.model.network, net)
    XCTAssertEqual(file.model.network.thresholds, [0.7, 0.9])
    XCTAssertEqual(file.knownRows, [0, 1, 5])
    XCTAssertEqual(file.model.classNames, ["zero", "one", "2", "3", "4", "five"])
    XCTAssertEqual(file.model.info["method"], .string("replay4ncl"))
    XCTAssertEqual(file.model.info["model_version"], .int(3))
  }

  func testACheckpointOfEveryRowKnowsAll() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("ck.h5")
    try CheckpointHDF5.write(
      Checkpoint(phase: "pretrain", method: "spikinglr", network: try network(), layerRates: [0.1, 0.1], classNames: ["a", "b", "c", "d"]),
      to: url)
    XCTAssertNil(try NetworkFile.read(url).knownRows)
  }

  func testOtherFilesAreClearErrors() throws {
    let dir = try makeTemporaryDirectory(self)
    let shd = dir.appendingPathComponent("shd_test.h5")
    try SHDFile.write(SpikeDataset(samples: [SpikeSample(times: [0.1], units: [3], label: 0)], classNames: ["x"]), to: shd)
    XCTAssertThrowsError(try NetworkFile.read(shd)) {
      XCTAssertEqual($0 as? ModelFileError, .notANetworkFile(file: shd.path, format: nil))
      XCTAssertTrue("\($0)".contains("r4ncl-model") && "\($0)".contains("r4ncl-checkpoint"), "\($0)")
    }
    let text = dir.appendingPathComponent("notes.h5")
    try Data("hello".utf8).write(to: text)
    XCTAssertThrowsError(try NetworkFile.read(text)) { XCTAssertEqual($0 as? ModelFileError, .notHDF5(file: text.path)) }
    let missing = dir.appendingPathComponent("none.h5")
    XCTAssertThrowsError(try NetworkFile.read(missing)) { XCTAssertEqual($0 as? ModelFileError, .fileNotFound(file: missing.path)) }
  }
}
