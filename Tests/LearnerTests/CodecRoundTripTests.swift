import XCTest
@testable import Learner

/// Lossless codecs must give back every sample bit for bit, with `encodedByteCount` exact.
final class CodecRoundTripTests: XCTestCase {
  private func assertRoundTrip(_ s: LatentSample, _ codec: any ReplayCodec, file: StaticString = #filePath, line: UInt = #line) throws {
    let bytes = try codec.encode(s)
    XCTAssertEqual(bytes.count, codec.encodedByteCount(of: s), "\(codec.name) byte count", file: file, line: line)
    let back = try codec.decode(bytes)
    XCTAssertTrue(back.isBitIdentical(to: s), "\(codec.name) round trip T=\(s.timesteps) N=\(s.width)", file: file, line: line)
  }

  func testRandomSpikesRoundTripAtAllDensities() throws {
    var rng = SeededRNG(seed: 1)
    for density in LatentFactory.densities {
      for _ in 0..<8 {
        let t = Int.random(in: 1...60, using: &rng), n = Int.random(in: 1...70, using: &rng)
        let s = try LatentFactory.spikes(t: t, n: n, density: density, label: Int.random(in: 0...300, using: &rng), rng: &rng)
        for codec in LatentFactory.lossless { try assertRoundTrip(s, codec) }
      }
    }
  }

  func testRandomCurrentsRoundTripAtAllDensities() throws {
    var rng = SeededRNG(seed: 2)
    for density in LatentFactory.densities {
      for _ in 0..<6 {
        let t = Int.random(in: 1...40, using: &rng), n = Int.random(in: 1...50, using: &rng)
        let s = try LatentFactory.currents(t: t, n: n, density: density, rng: &rng)
        for codec in LatentFactory.lossless { try assertRoundTrip(s, codec) }
      }
    }
  }

  func testEdgeShapes() throws {
    var rng = SeededRNG(seed: 3)
    let shapes = [(1, 1), (1, 50), (40, 1), (1, 8), (8, 1), (3, 3)]
    for (t, n) in shapes {
      for density in [0.0, 1.0, 0.5] {
        for codec in LatentFactory.lossless {
          try assertRoundTrip(try LatentFactory.spikes(t: t, n: n, density: density, rng: &rng), codec)
          try assertRoundTrip(try LatentFactory.currents(t: t, n: n, density: density, rng: &rng), codec)
        }
      }
    }
  }

  /// N = 300 makes unit-id deltas of 128 and more, so the events codec writes multi-byte varints.
  func testWideLayerNeedsMultiByteVarints() throws {
    var spikes = [Float](repeating: 0, count: 2 * 300)
    spikes[0] = 1; spikes[200] = 1; spikes[299] = 1  // step 0: ids 0, 200 (delta 199), 299
    spikes[300 + 150] = 1  // step 1: id 150
    let s = LatentSample(depth: 1, timesteps: 2, width: 300, values: spikes, label: 1)
    let header = LatentHeader(of: s).byteCount
    XCTAssertEqual(header, 1 + 1 + 2 + 1)  // depth, T, N = 300 (2 bytes), label + 1
    // step 0: count + 0 + 199 (2 bytes) + 98; step 1: count + 150 (2 bytes)
    XCTAssertEqual(EventsCodec().encodedByteCount(of: s), header + (1 + 1 + 2 + 1) + (1 + 2))
    for codec in LatentFactory.lossless { try assertRoundTrip(s, codec) }
  }

  func testByteCountsFollowTheLayouts() throws {
    var rng = SeededRNG(seed: 4)
    let s = try LatentFactory.spikes(t: 40, n: 50, density: 0.1, label: 7, rng: &rng)
    let header = 4  // depth + T + N + label + 1, each below 128
    XCTAssertEqual(LatentHeader(of: s).byteCount, header)
    XCTAssertEqual(RawCodec().encodedByteCount(of: s), header + 2000)
    XCTAssertEqual(BitpackCodec().encodedByteCount(of: s), header + 250)
    XCTAssertEqual(EventsCodec().encodedByteCount(of: s), header + 40 + s.nonZeroCount)
    XCTAssertEqual(try OrPoolCodec(window: 2).encodedByteCount(of: s), header + 125)
    let c = try LatentFactory.currents(t: 40, n: 50, density: 0.3, rng: &rng)
    XCTAssertEqual(RawCodec().encodedByteCount(of: c), header + 8000)
    XCTAssertEqual(BitpackCodec().encodedByteCount(of: c), header + 250 + 4 * c.nonZeroCount)
  }

  func testAutoPicksTheSmallestLosslessEncoding() throws {
    var rng = SeededRNG(seed: 5)
    let auto = AutoCodec()
    let sparse = try LatentFactory.spikes(t: 40, n: 50, density: 0.01, rng: &rng)
    let dense = try LatentFactory.spikes(t: 40, n: 50, density: 0.5, rng: &rng)
    XCTAssertEqual(auto.chosenCodecName(for: sparse), "events")
    XCTAssertEqual(auto.chosenCodecName(for: dense), "bitpack")
    for s in [sparse, dense] {
      let smallest = [RawCodec().encodedByteCount(of: s), BitpackCodec().encodedByteCount(of: s), EventsCodec().encodedByteCount(of: s)].min()!
      XCTAssertEqual(try auto.encode(s).count, 1 + smallest)
    }
    // Dense float currents: bitpack's bitmap costs more than raw, events costs more still.
    let full = try LatentFactory.currents(t: 10, n: 10, density: 1.0, rng: &rng)
    XCTAssertEqual(auto.chosenCodecName(for: full), "raw")
  }

  func testUnlabeledAndWideSamplesRoundTrip() throws {
    var rng = SeededRNG(seed: 6)
    let unlabeled = try LatentFactory.spikes(t: 5, n: 200, density: 0.2, label: nil, depth: 1, rng: &rng)
    XCTAssertEqual(LatentHeader(of: unlabeled).byteCount, 1 + 1 + 2 + 1)
    for codec in LatentFactory.lossless { try assertRoundTrip(unlabeled, codec) }
    let deep = try LatentFactory.spikes(t: 3, n: 4, density: 0.5, label: 200, depth: 130, rng: &rng)
    for codec in LatentFactory.lossless { try assertRoundTrip(deep, codec) }
  }

  func testInvalidSamplesAreNotEncoded() throws {
    let halfSpike = LatentSample(depth: 1, timesteps: 1, width: 2, values: [0.5, 1], label: 0)
    let negZeroSpike = LatentSample(depth: 1, timesteps: 1, width: 2, values: [-0.0, 1], label: 0)
    let negLabel = LatentSample(depth: 0, timesteps: 1, width: 1, values: [1], label: -2)
    for codec in LatentFactory.lossless + [try OrPoolCodec(window: 2)] {
      XCTAssertThrowsError(try codec.encode(halfSpike)) { XCTAssertEqual($0 as? LatentSampleError, .notBinary(index: 0, value: 0.5)) }
      XCTAssertThrowsError(try codec.encode(negZeroSpike))
      XCTAssertThrowsError(try codec.encode(negLabel)) { XCTAssertEqual($0 as? LatentSampleError, .negativeLabel(-2)) }
    }
  }

  func testCodecNamesParse() throws {
    XCTAssertEqual(try replayCodec(named: "raw").name, "raw")
    XCTAssertEqual(try replayCodec(named: " BitPack ").name, "bitpack")
    XCTAssertEqual(try replayCodec(named: "events").name, "events")
    XCTAssertEqual(try replayCodec(named: "auto").name, "auto")
    XCTAssertEqual(try replayCodec(named: "orpool:4").name, "orpool:4")
    XCTAssertEqual(try replayCodec(named: "orpool").name, "orpool:2")
    XCTAssertFalse(try replayCodec(named: "orpool:2").isLossless)
    XCTAssertTrue(try replayCodec(named: "orpool:1").isLossless)
    for codec in LatentFactory.lossless + [try OrPoolCodec(window: 3)] {
      XCTAssertEqual(try replayCodec(named: codec.name).name, codec.name)
    }
    XCTAssertThrowsError(try replayCodec(named: "zip")) { XCTAssertEqual($0 as? ReplayCodecError, .unknownCodec("zip")) }
    XCTAssertThrowsError(try replayCodec(named: "orpool:0")) { XCTAssertEqual($0 as? ReplayCodecError, .invalidWindow("orpool:0")) }
    XCTAssertThrowsError(try replayCodec(named: "orpool:x"))
  }
}

final class CodecComparisonTests: XCTestCase {
  func testSizesMatchTheCodecsAndRatiosAreAgainstRaw() throws {
    var rng = SeededRNG(seed: 50)
    let samples = try (0..<10).map { _ in try LatentFactory.spikes(t: 40, n: 50, density: 0.05, rng: &rng) }
    let sizes = CodecSize.measure(codecs: [RawCodec(), BitpackCodec(), EventsCodec()], samples: samples)
    XCTAssertEqual(sizes.map(\.codec), ["raw", "bitpack", "events"])
    XCTAssertEqual(sizes[0].ratioToRaw, 1)
    XCTAssertEqual(sizes[1].totalBytes, 10 * (4 + 250))
    XCTAssertEqual(sizes[1].ratioToRaw, 2004.0 / 254.0, accuracy: 1e-12)
    XCTAssertEqual(sizes[2].totalBytes, try samples.reduce(0) { $0 + (try EventsCodec().encode($1)).count })
  }
}
