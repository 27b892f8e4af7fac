import XCTest
@testable import Learner

/// Truncated or corrupt bytes must throw a `ReplayCodecError`, never trap.
final class CodecCorruptionTests: XCTestCase {
  private var all: [any ReplayCodec] { LatentFactory.lossless + [try! OrPoolCodec(window: 2), try! OrPoolCodec(window: 3)] }

  func testEveryTruncationThrows() throws {
    var rng = SeededRNG(seed: 10)
    let samples = [
      try LatentFactory.spikes(t: 7, n: 13, density: 0.3, rng: &rng),
      try LatentFactory.currents(t: 5, n: 6, density: 0.5, rng: &rng),
    ]
    for s in samples {
      for codec in all {
        let bytes = try codec.encode(s)
        for cut in 0..<bytes.count {
          XCTAssertThrowsError(try codec.decode(Array(bytes[..<cut])), "\(codec.name) cut at \(cut)") {
            XCTAssertTrue($0 is ReplayCodecError, "\($0)")
          }
        }
        XCTAssertThrowsError(try codec.decode(bytes + [0])) { error in
          XCTAssertTrue(error is ReplayCodecError, "\(codec.name): \(error)")
        }
      }
    }
  }

  /// Random byte changes: decoding may succeed or throw, but must not trap, and a success
  /// must be a well-formed sample.
  func testRandomByteFlipsNeverTrap() throws {
    var rng = SeededRNG(seed: 11)
    for trial in 0..<300 {
      let s = trial % 2 == 0
        ? try LatentFactory.spikes(t: 6, n: 9, density: 0.3, rng: &rng)
        : try LatentFactory.currents(t: 4, n: 5, density: 0.4, rng: &rng)
      let codec = all[trial % all.count]
      var bytes = try codec.encode(s)
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
      }
      if let back = try? codec.decode(bytes) {
        XCTAssertEqual(back.entryCount, back.timesteps * back.width)
        XCTAssertEqual(back.values.count, back.entryCount)
        if back.kind == .spikes { XCTAssertTrue(back.values.allSatisfy { $0 == 0 || $0 == 1 }) }
      }
    }
  }

  func testSpecificCorruptions() throws {
    let s = LatentSample(depth: 1, timesteps: 2, width: 3, values: [1, 0, 0, 1, 1, 0], label: 2)
    // Header: depth 1, T 2, N 3, label + 1 = 3.
    var raw = try RawCodec().encode(s)
    XCTAssertEqual(Array(raw[0..<4]), [1, 2, 3, 3])
    raw[5] = 2
    XCTAssertThrowsError(try RawCodec().decode(raw)) { XCTAssertEqual($0 as? ReplayCodecError, .notBinary(codec: "raw", index: 1, value: 2)) }

    // events: step 0 claims 4 events in a 3-unit layer.
    XCTAssertThrowsError(try EventsCodec().decode([1, 2, 3, 3, 4, 0, 0, 0, 0, 0])) {
      XCTAssertEqual($0 as? ReplayCodecError, .countTooLarge(codec: "events", step: 0, count: 4, units: 3))
    }
    // events: unit 0 then a delta that lands on unit 3 (>= N).
    XCTAssertThrowsError(try EventsCodec().decode([1, 2, 3, 3, 2, 0, 2, 0])) {
      XCTAssertEqual($0 as? ReplayCodecError, .unitOutOfRange(codec: "events", step: 0, unit: 3, units: 3))
    }
    // bitpack: 6 entries use 6 bits; a set 7th bit is corrupt padding.
    XCTAssertThrowsError(try BitpackCodec().decode([1, 2, 3, 3, 0b0100_0000])) {
      XCTAssertEqual($0 as? ReplayCodecError, .nonZeroPadding(codec: "bitpack"))
    }
    // bitpack currents: a flagged entry stored as +0.0.
    XCTAssertThrowsError(try BitpackCodec().decode([0, 1, 1, 1, 0b1, 0, 0, 0, 0])) {
      XCTAssertEqual($0 as? ReplayCodecError, .storedZero(codec: "bitpack", index: 0))
    }
    // auto: unknown tag.
    XCTAssertThrowsError(try AutoCodec().decode([9] + (try RawCodec().encode(s)))) { XCTAssertEqual($0 as? ReplayCodecError, .unknownTag(9)) }
    XCTAssertThrowsError(try AutoCodec().decode([])) { XCTAssertTrue($0 is ReplayCodecError) }
    // A varint longer than 63 bits (T, at offset 1).
    XCTAssertThrowsError(try RawCodec().decode([1] + [UInt8](repeating: 0xFF, count: 10) + [1])) {
      XCTAssertEqual($0 as? ReplayCodecError, .varintOverflow(codec: "raw", offset: 1))
    }
  }

  /// A header that claims a huge or empty shape is rejected before anything is allocated.
  func testImplausibleHeadersAreRejected() throws {
    var w = ByteWriter()
    w.varint(1); w.varint(1 << 20); w.varint(1 << 20); w.varint(0)
    for codec in all {
      let bytes = codec is AutoCodec ? [0] + w.bytes : w.bytes
      XCTAssertThrowsError(try codec.decode(bytes)) { error in
        guard case .invalidHeader = error as? ReplayCodecError else { return XCTFail("\(codec.name): \(error)") }
        XCTAssertTrue("\(error)".contains("exceeds"), "\(error)")
      }
    }
    XCTAssertThrowsError(try RawCodec().decode([1, 0, 3, 1])) { error in
      guard case .invalidHeader = error as? ReplayCodecError else { return XCTFail("\(error)") }
    }
    // A plausible shape with far too few bytes for its steps.
    var big = ByteWriter()
    big.varint(1); big.varint(100_000); big.varint(1000); big.varint(0)
    XCTAssertThrowsError(try EventsCodec().decode(big.bytes)) { XCTAssertTrue($0 is ReplayCodecError) }
  }

  func testErrorsDescribeTheProblem() {
    let e = ReplayCodecError.truncated(codec: "bitpack", offset: 12, needed: 3)
    XCTAssertEqual(e.description, "bitpack decode: bytes end at offset 12, 3 more byte(s) needed")
    XCTAssertTrue(ReplayCodecError.unknownCodec("zip").description.contains("'zip'"))
  }
}
