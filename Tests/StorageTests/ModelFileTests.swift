import Foundation
import Learner
import XCTest

@testable import Storage

final class ModelFileTests: XCTestCase {
  private func smallNetwork() throws -> Network {
    let config = NetworkConfig(
      sizes: [20, 8, 6, 3], recurrent: [true, false], timesteps: 12, maxTime: 0.6, thresholds: [0.5, 0.75],
      seed: UInt64.max - 3)
    return try Network(config: config)
  }

  func testSaveLoadRoundTripsNetworkClassNamesAndInfo() throws {
    let dir = try makeTemporaryDirectory(self)
    let url = dir.appendingPathComponent("model.h5")
    let network = try smallNetwork()
    let info: [String: HDF5Attribute] = ["epochs": .int(3), "optimizer": .string("adamax"), "accuracy": .double(0.5)]
    try ModelFile.save(network, classNames: ["a", "b", "c"], info: info, to: url)
    let model = try ModelFile.loadModel(url)
    XCTAssertEqual(model.network, network)
    XCTAssertEqual(model.network.config.seed, UInt64.max - 3)
    XCTAssertEqual(model.network.parameterNames, ["W1", "V1", "W2", "Wout"])
    XCTAssertEqual(model.classNames, ["a", "b", "c"])
    XCTAssertEqual(model.info, info)
    XCTAssertEqual(try ModelFile.load(url), network)

    // Saving again replaces the file atomically and leaves no temporary file behind.
    var changed = network
    changed.thresholds = [0.25, 0.5]
    try ModelFile.save(changed, to: url)
    XCTAssertEqual(try ModelFile.load(url).thresholds, [0.25, 0.5])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.h5"])
  }

  func testH5pyOpensTheModel() throws {
    try requireH5py()
    let url = try makeTemporaryDirectory(self).appendingPathComponent("model.h5")
    let network = try smallNetwork()
    try ModelFile.save(network, classNames: ["a", "b", "c"], to: url)
    let script = """
      import sys, json, h5py, numpy as np
      f = h5py.File(sys.argv[1], 'r')
      assert f['W1'].dtype == np.float32 and f['W1'].shape == (20, 8), f['W1']
      assert f['V1'].shape == (8, 8) and f['W2'].shape == (8, 6) and f['Wout'].shape == (6, 3)
      assert 'V2' not in f
      assert list(f.attrs['sizes']) == [20, 8, 6, 3] and int(f.attrs['timesteps']) == 12
      assert json.loads(f.attrs['config_json'])['maxTime'] == 0.6
      assert f.attrs['format'] == 'r4ncl-model'
      assert [x.decode() for x in f['class_names'][:]] == ['a', 'b', 'c']
      print(repr(float(f['W1'][3, 5])), repr(float(f['thresholds'][1])))
      """
    let result = try runPython(script, [url.path])
    XCTAssertEqual(result.status, 0, result.err)
    let w = try network.parameter("W1")[3, 5]
    XCTAssertEqual(result.out, "\(Double(w)) 0.75\n")
    // The checksum as documented, recomputed with h5py and zlib.
    let info = try runPythonExample("checkpoint_info.py", [url.path])
    XCTAssertEqual(info.status, 0, info.out + info.err)
    XCTAssertTrue(info.out.contains("r4ncl-model") && info.out.hasSuffix("ok\n"), info.out)
  }

  func testAFlippedWeightBitIsReportedAsCorruption() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("model.h5")
    let network = try smallNetwork()
    try ModelFile.save(network, classNames: ["a", "b", "c"], to: url)
    // HDF5 stores the contiguous matrix verbatim: flip the lowest mantissa bit of one W1 value.
    var bytes = try Data(contentsOf: url)
    let pattern = Data(try network.parameter("W1").values.prefix(8).withUnsafeBytes { Array($0) })
    let found = try XCTUnwrap(bytes.range(of: pattern))
    XCTAssertNil(bytes[found.upperBound...].range(of: pattern), "the pattern must be unique")
    bytes[found.lowerBound + 8] ^= 1
    try bytes.write(to: url)
    XCTAssertThrowsError(try ModelFile.load(url)) {
      guard case .corrupted(url.path, let detail) = $0 as? ModelFileError else { return XCTFail("\($0)") }
      XCTAssertNotNil(detail.range(of: "^content_crc32 is 0x[0-9a-f]{8}, the contents give 0x[0-9a-f]{8}$", options: .regularExpression), detail)
    }
  }

  func testLoadErrors() throws {
    let dir = try makeTemporaryDirectory(self)
    let network = try smallNetwork()
    let json = String(decoding: try JSONEncoder().encode(network.config), as: UTF8.self)

    func write(_ name: String, _ fill: (HDF5File) throws -> Void) throws -> URL {
      let url = dir.appendingPathComponent(name)
      let file = try HDF5File.create(url)
      try fill(file)
      try file.close()
      return url
    }
    func expect(_ url: URL, _ expected: ModelFileError, line: UInt = #line) {
      XCTAssertThrowsError(try ModelFile.load(url), line: line) {
        XCTAssertEqual($0 as? ModelFileError, expected, line: line)
      }
    }
    func writeAll(_ file: HDF5File, except: String? = nil, replace: (String, Matrix)? = nil) throws {
      try file.setAttribute("config_json", .string(json))
      for (name, matrix) in network.namedParameters where name != except {
        try file.write(name, matrix: replace?.0 == name ? replace!.1 : matrix)
      }
    }

    let noConfig = try write("noconfig.h5") { try $0.write("W1", matrix: Matrix(rows: 1, cols: 1)) }
    expect(noConfig, .missingConfig(file: noConfig.path))

    let badConfig = try write("badconfig.h5") { try $0.setAttribute("config_json", .string("{\"sizes\": [3]}")) }
    XCTAssertThrowsError(try ModelFile.load(badConfig)) {
      guard case .invalidConfig(badConfig.path, _) = $0 as? ModelFileError else { return XCTFail("\($0)") }
    }

    // A file without `content_crc32` (written before it existed) loads unchecked.
    let unchecked = try write("unchecked.h5") { try writeAll($0) }
    XCTAssertEqual(try ModelFile.load(unchecked), network)

    let missing = try write("missing.h5") { try writeAll($0, except: "Wout") }
    expect(missing, .missingParameter(file: missing.path, name: "Wout"))

    let shape = try write("shape.h5") { try writeAll($0, replace: ("V1", Matrix(rows: 8, cols: 7))) }
    expect(shape, .shapeMismatch(file: shape.path, name: "V1", expected: [8, 8], found: [8, 7]))

    var bad = try network.parameter("W2")
    bad[1, 1] = .nan
    let nan = try write("nan.h5") { try writeAll($0, replace: ("W2", bad)) }
    expect(nan, .nonFiniteParameter(file: nan.path, name: "W2"))

    let garbage = dir.appendingPathComponent("garbage.h5")
    try Data(repeating: 7, count: 1000).write(to: garbage)
    expect(garbage, .notHDF5(file: garbage.path))

    let truncated = dir.appendingPathComponent("truncated.h5")
    try ModelFile.save(network, to: truncated)
    let bytes = try Data(contentsOf: truncated)
    try bytes.prefix(bytes.count / 2).write(to: truncated)
    XCTAssertThrowsError(try ModelFile.load(truncated)) {
      guard case .truncated(truncated.path, _) = $0 as? ModelFileError else { return XCTFail("\($0)") }
    }

    XCTAssertThrowsError(try ModelFile.save(network, classNames: ["only one"], to: dir.appendingPathComponent("x.h5"))) {
      XCTAssertEqual($0 as? ModelFileError, .classNamesMismatch(file: dir.appendingPathComponent("x.h5").path, names: 1, classes: 3))
    }
  }
}
