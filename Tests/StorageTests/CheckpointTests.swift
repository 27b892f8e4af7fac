import Foundation
import XCTest
@testable import Learner
@testable import Storage

final class CheckpointTests: XCTestCase {
  func smallNetwork() throws -> Network {
    var n = try Network(config: NetworkConfig(sizes: [12, 8, 6, 4], timesteps: 10, seed: 3))
    n.thresholds = [0.8, 1.1]
    return n
  }

  func testCheckpointRoundTripsWeightsThresholdsClassesAndReplay() throws {
    let dir = try makeTemporaryDirectory(self)
    let net = try smallNetwork()
    var store = ReplayStore(codec: .float32, depth: 1, timesteps: 10)
    try store.add([
      LatentSample(depth: 1, timesteps: 10, width: 8, values: (0..<80).map { Float($0 % 2) }, label: 0),
      LatentSample(depth: 1, timesteps: 10, width: 8, values: (0..<80).map { Float(($0 / 3) % 2) }, label: 2),
    ])
    let url = dir.appendingPathComponent("ck.h5")
    try CheckpointHDF5.write(
      Checkpoint(phase: "prepare", method: "replay4ncl", network: net, layerRates: [0.05, 0.02], classNames: ["a", "b", "c", "d"],
        settingsJSON: "{\"x\":1}", replay: CheckpointReplay(store)), to: url)
    let back = try CheckpointHDF5.read(url)
    XCTAssertEqual(back.network, net)
    XCTAssertEqual(back.network.thresholds, [0.8, 1.1])
    XCTAssertEqual(back.layerRates, [0.05, 0.02])
    XCTAssertEqual(back.classNames, ["a", "b", "c", "d"])
    XCTAssertEqual(back.phase, "prepare")
    XCTAssertEqual(back.settingsJSON, "{\"x\":1}")
    let restored = try XCTUnwrap(back.replay).store()
    XCTAssertEqual(restored.totalBytes, store.totalBytes)
    XCTAssertEqual(try restored.decoded(ofClass: 2), try store.decoded(ofClass: 2))
    // No temporary file is left next to it.
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["ck.h5"])
  }

  func checkpointWithReplay() throws -> Checkpoint {
    var store = ReplayStore(codec: .float32, depth: 1, timesteps: 10)
    try store.add([LatentSample(depth: 1, timesteps: 10, width: 8, values: (0..<80).map { Float($0 % 3 == 0 ? 1 : 0) }, label: 1)])
    // 20 readout rows: the node's class ids are readout rows, here four of them.
    var network = try Network(config: NetworkConfig(sizes: [12, 8, 6, 20], timesteps: 10, seed: 3))
    network.thresholds = [0.8, 1.1]
    var c = Checkpoint(
      phase: "learn", method: "replay4ncl", network: network, layerRates: [0.05, 0.02], classNames: ["a", "b", "c", "d"],
      settingsJSON: "{\"x\":1}", replay: CheckpointReplay(store), classIDs: [0, 1, 2, 19], modelVersion: 7)
    c.node = "drone1"
    c.baseFingerprint = "0123abcd"
    return c
  }

  func testAFlippedWeightBitIsReportedAsCorruption() throws {
    let dir = try makeTemporaryDirectory(self)
    let url = dir.appendingPathComponent("ck.h5")
    let checkpoint = try checkpointWithReplay()
    try CheckpointHDF5.write(checkpoint, to: url)
    XCTAssertEqual(try CheckpointHDF5.read(url).network, checkpoint.network)
    // HDF5 stores the contiguous weight matrix verbatim: find W1's first values and flip the
    // lowest mantissa bit of one (a change HDF5 itself does not notice).
    var bytes = try Data(contentsOf: url)
    let pattern = Data(checkpoint.network.layers[0].weight.values.prefix(8).withUnsafeBytes { Array($0) })
    let found = try XCTUnwrap(bytes.range(of: pattern))
    XCTAssertNil(bytes[found.upperBound...].range(of: pattern), "the pattern must be unique")
    bytes[found.lowerBound + 4] ^= 1
    try bytes.write(to: url)
    XCTAssertThrowsError(try CheckpointHDF5.read(url)) { error in
      guard case .invalid(_, let field, let reason)? = error as? CheckpointError else { return XCTFail("\(error)") }
      XCTAssertEqual(field, "content_crc32")
      XCTAssertTrue(reason.contains("corrupted"), reason)
    }
  }

  /// `examples/python/checkpoint_info.py` recomputes `content_crc32` with h5py and zlib (what a
  /// Python peer would do): it accepts the file as written and reports a flipped bit.
  func testPythonPeerVerifiesTheContentChecksum() throws {
    try requireH5py()
    let dir = try makeTemporaryDirectory(self)
    let url = dir.appendingPathComponent("ck.h5")
    let checkpoint = try checkpointWithReplay()
    try CheckpointHDF5.write(checkpoint, to: url)
    let good = try runPythonExample("checkpoint_info.py", [url.path])
    XCTAssertEqual(good.status, 0, good.out + good.err)
    XCTAssertTrue(good.out.contains("r4ncl-checkpoint, model version 7, 4 classes") && good.out.hasSuffix("ok\n"), good.out)

    var bytes = try Data(contentsOf: url)
    let replayBytes = Data(try XCTUnwrap(checkpoint.replay).bytes)
    let found = try XCTUnwrap(bytes.range(of: replayBytes))
    bytes[found.upperBound - 1] ^= 0x10
    try bytes.write(to: url)
    let bad = try runPythonExample("checkpoint_info.py", [url.path])
    XCTAssertEqual(bad.status, 1, bad.out + bad.err)
    XCTAssertTrue(bad.out.contains("CORRUPTED"), bad.out)
    // Both print the two checksums the same way (hex).
    XCTAssertThrowsError(try CheckpointHDF5.read(url)) { error in
      guard case .invalid(_, _, let reason)? = error as? CheckpointError,
        let swift = reason.range(of: "0x[0-9a-f]{8} but the contents give 0x[0-9a-f]{8}", options: .regularExpression)
      else { return XCTFail("\(error)") }
      XCTAssertTrue(bad.out.contains("content_crc32 \(reason[swift])"), "\(reason) vs \(bad.out)")
    }
  }

  /// Checkpoints written before `content_crc32` existed (here: the attribute deleted with h5py)
  /// are read unchecked.
  func testACheckpointWithoutChecksumReadsUnchecked() throws {
    try requireH5py()
    let url = try makeTemporaryDirectory(self).appendingPathComponent("old.h5")
    let checkpoint = try checkpointWithReplay()
    try CheckpointHDF5.write(checkpoint, to: url)
    let r = try runPython("import h5py, sys\nwith h5py.File(sys.argv[1], 'r+') as f: del f.attrs['content_crc32']", [url.path])
    XCTAssertEqual(r.status, 0, r.err)
    let back = try CheckpointHDF5.read(url)
    XCTAssertEqual(back.network, checkpoint.network)
    XCTAssertEqual(back.replay, checkpoint.replay)
    XCTAssertEqual(back.classIDs, [0, 1, 2, 19])
  }

  /// Class ids are readout rows: an id beyond them (2^40 once loaded into a node, and trapped
  /// when the node built its status) or a repeated id is refused, naming the field.
  func testClassIdsBeyondTheReadoutAreRefused() throws {
    let dir = try makeTemporaryDirectory(self)
    for ids in [[0, 1, 2, 20], [0, 1, 2, 1 << 40], [0, 1, 1, 2], [-1, 0, 1, 2]] {
      var checkpoint = try checkpointWithReplay()
      checkpoint.classIDs = ids
      let url = dir.appendingPathComponent("ids.h5")
      try CheckpointHDF5.write(checkpoint, to: url)
      XCTAssertThrowsError(try CheckpointHDF5.read(url), "\(ids)") { error in
        XCTAssertTrue("\(error)".contains("classes/ids") && "\(error)".contains("0..<20"), "\(error)")
      }
    }
  }

  func testReadRejectsAFileThatIsNotACheckpoint() throws {
    let dir = try makeTemporaryDirectory(self)
    let url = dir.appendingPathComponent("other.h5")
    try HDF5Library.serialized {
      let f = try HDF5File.create(url)
      try f.write("x", [Float(1)])
      try f.close()
    }
    XCTAssertThrowsError(try CheckpointHDF5.read(url)) { XCTAssertTrue("\($0)".contains("format"), "\($0)") }
  }

  func testNIRExportIsReadableByH5py() throws {
    try requireH5py()
    let dir = try makeTemporaryDirectory(self)
    let url = dir.appendingPathComponent("net.nir")
    let net = try smallNetwork()
    try NIRExport.write(net, to: url)
    let script = """
      import h5py, sys
      f = h5py.File(sys.argv[1], 'r')
      n = f['node']
      assert n['type'][()] == b'NIRGraph'
      nodes = n['nodes']
      assert nodes['lif1']['type'][()] == b'CubaLIF'
      assert nodes['w1']['weight'].shape == (8, 12)
      assert nodes['v2']['weight'].shape == (6, 6)
      assert nodes['out']['type'][()] == b'LI'
      edges = [(a.decode(), b.decode()) for a, b in n['edges'][()]]
      assert ('lif2', 'wout') in edges and ('v1', 'lif1') in edges
      print(float(nodes['lif2']['v_threshold'][0]), float(nodes['w1']['weight'][1, 0]))
      """
    let r = try runPython(script, [url.path])
    XCTAssertEqual(r.status, 0, r.err)
    let parts = r.out.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    XCTAssertEqual(parts.count, 2)
    XCTAssertEqual(parts[0], 1.1, accuracy: 1e-6)
    // weight[out][in] = W[in][out]: element (1, 0) is W1[0][1].
    XCTAssertEqual(parts[1], Double(net.layers[0].weight.values[1]), accuracy: 1e-6)
  }

  /// Channel pooling is in the graph: its input is the sensor's channels, summed by `pool`.
  func testNIRExportOfAPooledNetworkStartsWithThePoolingSum() throws {
    try requireH5py()
    let url = try makeTemporaryDirectory(self).appendingPathComponent("pooled.nir")
    let net = try Network(config: NetworkConfig(sizes: [3, 5, 4], timesteps: 8, seed: 2, channelPooling: 4))
    try NIRExport.write(net, to: url)
    XCTAssertEqual(NIRExport.edges(net).prefix(3).map { "\($0.0)>\($0.1)" }, ["input>pool", "pool>w1", "w1>lif1"])
    let script = """
      import h5py, sys
      n = h5py.File(sys.argv[1], 'r')['node']
      nodes = n['nodes']
      assert n['edges'][0][0] == b'input' and n['edges'][0][1] == b'pool'
      print(int(nodes['input']['shape'][0]), nodes['pool']['type'][()].decode())
      for row in nodes['pool']['weight'][()]:
        print(''.join(str(int(v)) for v in row))
      """
    let r = try runPython(script, [url.path])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertEqual(r.out.split(separator: "\n"), ["12 Linear", "111100000000", "000011110000", "000000001111"])
    XCTAssertTrue(NIRExport.inputDescription(net.config).hasPrefix("12 channels (summed in groups of 4"))
  }
}

extension CheckpointTests {
  /// The pool node is dense inputs × sensor channels: 16384 inputs pooled by 4 (valid: 65,536
  /// sensor channels) would be 2^30 weights, refused before allocating.
  func testNIRExportRefusesAPoolMatrixBeyondTheWeightLimit() throws {
    var config = NetworkConfig(sizes: [16_384, 1, 2], timesteps: 4, seed: 1)
    config.channelPooling = 4
    let url = try makeTemporaryDirectory(self).appendingPathComponent("pool.nir")
    XCTAssertThrowsError(try NIRExport.write(try Network(config: config), to: url)) {
      XCTAssertTrue("\($0)".contains("the 'pool' node would hold 16384 × 65536 weights"), "\($0)")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
  }
}
