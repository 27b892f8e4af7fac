import Foundation
import Learner
import XCTest

@testable import Storage

/// Seeded fuzzing of the file readers (SHD, model, checkpoint): valid files are truncated
/// anywhere, and their stored values (the bytes that change when the data changes, found by
/// writing each file twice with other values) are bit-flipped and overwritten; every read must
/// end in an error that names the file or in the unchanged contents (the files' `content_crc32`),
/// never a crash or silently changed values.
///
/// Mutating HDF5's own metadata (object headers, B-trees, heaps) is opt-in
/// (`R4NCL_FUZZ_HDF5_METADATA=1`): Debian 12's libhdf5 1.10.8 itself crashes (heap corruption,
/// "free(): invalid pointer") or loops forever on some such files, and so does its `h5dump`
/// on the same bytes; the reproducers are in Fixtures/fuzz-libhdf5-*.h5. A reader cannot guard
/// against that in-process. `R4NCL_FUZZ_FILES` sets the mutations per format (default 150),
/// `R4NCL_FUZZ_SEED` the seed.
final class StorageFuzzTests: XCTestCase {
  var count: Int { ProcessInfo.processInfo.environment["R4NCL_FUZZ_FILES"].flatMap { Int($0) } ?? 150 }
  var seed: UInt64 { ProcessInfo.processInfo.environment["R4NCL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 6 }

  var metadataToo: Bool { ProcessInfo.processInfo.environment["R4NCL_FUZZ_HDF5_METADATA"] == "1" }

  /// One mutation of `bytes`: a truncation anywhere, or bit flips / random values / zeros at
  /// `positions` (the stored values), or, with `metadataToo`, random blocks anywhere.
  func mutate(_ bytes: [UInt8], positions: [Int], _ rng: inout SeededGenerator) -> (kind: String, bytes: [UInt8]) {
    var out = bytes
    if !metadataToo {
      switch Int.random(in: 0..<4, using: &rng) {
      case 0: return ("truncated", Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng))))
      case 1:
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
          out[positions[Int.random(in: 0..<positions.count, using: &rng)]] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        }
        return ("value_bits_flipped", out)
      case 2:
        for _ in 0..<Int.random(in: 1...16, using: &rng) {
          out[positions[Int.random(in: 0..<positions.count, using: &rng)]] = UInt8.random(in: 0...255, using: &rng)
        }
        return ("values_randomised", out)
      default:
        let start = Int.random(in: 0..<positions.count, using: &rng)
        for i in positions[start..<min(positions.count, start + Int.random(in: 1...32, using: &rng))] { out[i] = 0xFF }
        return ("values_all_ones", out)
      }
    }
    switch Int.random(in: 0..<4, using: &rng) {
    case 0:
      return ("truncated", Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng))))
    case 1:
      for _ in 0..<Int.random(in: 1...8, using: &rng) {
        out[Int.random(in: 0..<out.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
      }
      return ("bit_flipped", out)
    case 2:
      let length = Int.random(in: 1...64, using: &rng)
      let start = Int.random(in: 0..<max(1, out.count - length), using: &rng)
      for i in start..<min(out.count, start + length) { out[i] = UInt8.random(in: 0...255, using: &rng) }
      return ("random_block", out)
    default:
      let length = Int.random(in: 1...256, using: &rng)
      let start = Int.random(in: 0..<max(1, out.count - length), using: &rng)
      for i in start..<min(out.count, start + length) { out[i] = 0 }
      return ("zeroed_block", out)
    }
  }

  /// Mutates `valid` `count` times, reads each with `read`; returns outcome counts
  /// ("ok", or the error type) and fails on an error whose message does not name the file.
  func fuzz(_ name: String, valid: URL, same: URL, other: URL, read: (URL) throws -> Void) throws -> [String: Int] {
    let bytes = [UInt8](try Data(contentsOf: valid))
    let again = [UInt8](try Data(contentsOf: same))
    let changed = [UInt8](try Data(contentsOf: other))
    XCTAssertEqual(changed.count, bytes.count, "\(name): the value-changed file must keep the layout")
    // Bytes that differ with other values but not between two writes of the same values.
    let positions = bytes.indices.filter { $0 < changed.count && bytes[$0] != changed[$0] && bytes[$0] == again[$0] }
    XCTAssertGreaterThan(positions.count, 16, "\(name): stored values not found")
    var rng = SeededGenerator(seed: seed &+ UInt64(name.utf8.count))
    var outcomes: [String: Int] = [:]
    let directory = valid.deletingLastPathComponent()
    for i in 0..<count {
      let (kind, mutated) = mutate(bytes, positions: positions, &rng)
      let url = directory.appendingPathComponent("\(name)-\(i)-\(kind).h5")
      try Data(mutated).write(to: url)
      if ProcessInfo.processInfo.environment["R4NCL_FUZZ_TRACE"] != nil {
        print("\(name) #\(i) \(kind) \(url.path)")
        fflush(stdout)
        try? Data(mutated).write(to: URL(fileURLWithPath: "/tmp/r4ncl-fuzz-last.h5"))
      }
      do {
        try read(url)
        outcomes["ok", default: 0] += 1
      } catch {
        outcomes[String(describing: type(of: error)), default: 0] += 1
        XCTAssertTrue("\(error)".contains(url.lastPathComponent), "\(name) \(kind) #\(i): the error does not name the file: \(error)")
      }
      try? FileManager.default.removeItem(at: url)
    }
    print("storage fuzz \(name)\(metadataToo ? " (metadata too)" : ""): \(count) mutated files (\(positions.count) value bytes of \(bytes.count)), outcomes \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), crashes 0")
    return outcomes
  }

  /// The valid file, the same values written again, and other values in the same layout.
  func variants(_ name: String, _ write: (Int, URL) throws -> Void) throws -> (URL, URL, URL) {
    let directory = try makeTemporaryDirectory(self)
    let urls = ["valid", "same", "other"].map { directory.appendingPathComponent("\(name)-\($0).h5") }
    try write(0, urls[0])
    try write(0, urls[1])
    try write(1, urls[2])
    return (urls[0], urls[1], urls[2])
  }

  func testMutatedSHDFilesReadOrFailClearly() throws {
    let (valid, same, other) = try variants("shd") { v, url in
      let samples = (0..<6).map { i in
        SpikeSample(
          times: (0..<20).map { Float($0) * 0.01 + Float(v) * 0.003 }, units: (0..<20).map { UInt16(($0 * 37 + i + v) % 700) },
          label: (i + v) % 3, speaker: (i + v) % 2)
      }
      try SHDFile.write(SpikeDataset(samples: samples, classNames: ["a", "b", "c"]), to: url)
    }
    let outcomes = try fuzz("shd", valid: valid, same: same, other: other) { _ = try SHDFile.read($0) }
    XCTAssertGreaterThan(outcomes["SHDFileError"] ?? 0, 0)
  }

  func testMutatedModelFilesReadOrFailClearly() throws {
    let (valid, same, other) = try variants("model") { v, url in
      let network = try Network(config: NetworkConfig(sizes: [20, 8, 6, 3], timesteps: 12, maxTime: 0.6, seed: 5 + UInt64(v)))
      try ModelFile.save(network, classNames: ["a", "b", "c"], info: ["epochs": .int(3 + v)], to: url)
    }
    // A changed weight, threshold, configuration or class name never loads: `content_crc32`.
    let original = try ModelFile.loadModel(valid)
    let outcomes = try fuzz("model", valid: valid, same: same, other: other) { url in
      let model = try ModelFile.loadModel(url)
      XCTAssertEqual(model.network, original.network, "\(url.lastPathComponent) loaded with changed contents")
      XCTAssertEqual(model.classNames, original.classNames, "\(url.lastPathComponent) loaded with changed contents")
    }
    XCTAssertGreaterThan(outcomes["ModelFileError"] ?? 0, 0)
  }

  func testMutatedCheckpointFilesReadOrFailClearly() throws {
    let (valid, same, other) = try variants("checkpoint") { v, url in
      var network = try Network(config: NetworkConfig(sizes: [12, 8, 6, 4], timesteps: 10, seed: 3 + UInt64(v)))
      network.thresholds = [0.8 + Float(v), 1.1]
      var store = ReplayStore(codec: .float32, depth: 1, timesteps: 10)
      try store.add([LatentSample(depth: 1, timesteps: 10, width: 8, values: (0..<80).map { Float(($0 + v) % 2) }, label: v)])
      try CheckpointHDF5.write(
        Checkpoint(phase: "prepare", method: "replay4ncl", network: network, layerRates: [0.05, 0.02 + Double(v)],
                   classNames: ["a", "b", "c", "d"], settingsJSON: "{}", replay: CheckpointReplay(store)), to: url)
    }
    let original = try CheckpointHDF5.read(valid)
    let outcomes = try fuzz("checkpoint", valid: valid, same: same, other: other) { url in
      let checkpoint = try CheckpointHDF5.read(url)
      _ = try checkpoint.replay?.store()
      // Nothing changed loads: `content_crc32` covers every stored value.
      XCTAssertEqual(checkpoint.network, original.network, "\(url.lastPathComponent) loaded with changed contents")
      XCTAssertEqual(checkpoint.replay, original.replay, "\(url.lastPathComponent) loaded with changed contents")
      XCTAssertEqual(checkpoint.layerRates, original.layerRates, "\(url.lastPathComponent) loaded with changed contents")
    }
    XCTAssertGreaterThan(outcomes["CheckpointError"] ?? 0, 0)
  }
}
