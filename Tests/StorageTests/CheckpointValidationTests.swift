import CHDF5
import Foundation
import Learner
import XCTest

@testable import Storage

/// A checkpoint is read as strictly as a model file: shapes before reading, finite values, a
/// replay memory that fits the network and its settings, each refusal naming file and field.
final class CheckpointValidationTests: XCTestCase {
  private func checkpoint(settings: String = "") throws -> Checkpoint {
    var network = try Network(config: NetworkConfig(sizes: [12, 8, 6, 4], timesteps: 10, seed: 3))
    network.thresholds = [0.8, 1.1]
    var store = ReplayStore(codec: .float32, depth: 1, timesteps: 10)
    try store.add([LatentSample(depth: 1, timesteps: 10, width: 8, values: (0..<80).map { Float($0 % 3 == 0 ? 1 : 0) }, label: 1)])
    return Checkpoint(
      phase: "learn", method: "replay4ncl", network: network, layerRates: [0.05, 0.02], classNames: ["a", "b", "c", "d"],
      settingsJSON: settings, replay: CheckpointReplay(store))
  }

  /// A written checkpoint, changed by `change` (its content checksum removed, as a hostile
  /// writer would: files without one are read unchecked).
  private func hostile(_ name: String, settings: String = "", _ change: (HDF5File) throws -> Void) throws -> URL {
    let url = try makeTemporaryDirectory(self).appendingPathComponent(name)
    try CheckpointHDF5.write(try checkpoint(settings: settings), to: url)
    try HostileHDF5.edit(url) { f in
      HostileHDF5.deleteAttribute(f, "content_crc32")
      try change(f)
    }
    return url
  }

  private func replace<T: HDF5Element>(_ f: HDF5File, _ path: String, _ values: [T], shape: [Int]? = nil) throws {
    HostileHDF5.delete(f, path)
    try f.write(path, values, shape: shape)
  }

  private func assertInvalid(_ url: URL, field: String, _ reason: String? = nil, line: UInt = #line) {
    XCTAssertThrowsError(try CheckpointHDF5.read(url), line: line) { error in
      guard case .invalid(let file, let f, let r)? = error as? CheckpointError else { return XCTFail("\(error)", line: line) }
      XCTAssertEqual(file, url.path, line: line)
      XCTAssertEqual(f, field, "\(error)", line: line)
      if let reason { XCTAssertTrue(r.contains(reason), "\(error)", line: line) }
    }
  }

  func testTheUnchangedFileReads() throws {
    let url = try hostile("ok.h5") { _ in }
    XCTAssertEqual(try CheckpointHDF5.read(url).network, try checkpoint().network)
  }

  /// Each of these was allocated at its declared size before any check (1e9 to 2^40 elements).
  func testDatasetsDeclaringHugeShapesAreRefusedBeforeReading() throws {
    let cases: [(String, hid_t, [UInt64])] = [
      ("weights/W1", h5_T_IEEE_F32LE(), [1 << 20, 1 << 20]), ("weights/W1", h5_T_IEEE_F32LE(), [1 << 32, 1 << 32]),
      ("thresholds", h5_T_IEEE_F32LE(), [1 << 40]), ("layer_rates", h5_T_IEEE_F64LE(), [1_000_000_000]),
      ("classes/ids", h5_T_STD_I64LE(), [1_000_000_000]), ("replay/offsets", h5_T_STD_I64LE(), [1 << 33]),
      ("replay/bytes", h5_T_STD_U8LE(), [1 << 36]),
    ]
    for (i, (path, type, shape)) in cases.enumerated() {
      let url = try hostile("huge\(i).h5") { f in
        HostileHDF5.delete(f, path)
        try HostileHDF5.declare(f, path, type: type, shape: shape, chunk: shape.map { Swift.min($0, 64) })
      }
      assertInvalid(url, field: path)
    }
  }

  func testNonFiniteWeightsAndRatesAreRefused() throws {
    let nan = try hostile("w-nan.h5") { f in
      try replace(f, "weights/W1", [Float](repeating: .nan, count: 96), shape: [12, 8])
    }
    assertInvalid(nan, field: "weights/W1", "NaN or infinity")
    let rate = try hostile("rate-nan.h5") { try replace($0, "layer_rates", [Double.nan, 0.1]) }
    assertInvalid(rate, field: "layer_rates", "finite")
    let count = try hostile("rate-count.h5") { try replace($0, "layer_rates", [Double](repeating: 1, count: 7)) }
    assertInvalid(count, field: "layer_rates", "one per hidden layer")
  }

  func testReplayLabelsMustBeReadoutRows() throws {
    for label in [Int32(-7), .max] {
      let url = try hostile("label\(label).h5") { try replace($0, "replay/labels", [label]) }
      assertInvalid(url, field: "replay/labels", "not a readout row in 0..<4")
    }
  }

  func testReplayAttributesMustFitTheNetwork() throws {
    let cases: [(String, HDF5Attribute, String)] = [
      ("codec", .string("nope"), "replay@codec"), ("depth", .int(1 << 40), "replay@depth"), ("depth", .int(-1), "replay@depth"),
      ("timesteps", .int(-1), "replay@timesteps"), ("timesteps", .int(1 << 40), "replay@timesteps"),
    ]
    for (name, value, field) in cases {
      let url = try hostile("\(name)\(value).h5") { try $0.openGroup("replay").setAttribute(name, value) }
      assertInvalid(url, field: field)
    }
  }

  /// A learning job needs the store at the settings' depth and T: a mismatch failed only there,
  /// without naming the file.
  func testReplayMustMatchTheSettingsItIsLearnedWith() throws {
    var settings = ContinualSettings()
    settings.depth = 2
    settings.learnTimesteps = 10
    let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
    let url = try hostile("settings.h5", settings: json) { _ in }
    assertInvalid(url, field: "replay", "the settings learn at depth 2, T 10")
    settings.depth = 1
    let matching = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
    XCTAssertNotNil(try CheckpointHDF5.read(try hostile("match.h5", settings: matching) { _ in }).replay)
  }
}
