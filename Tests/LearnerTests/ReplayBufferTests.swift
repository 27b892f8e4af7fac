import Foundation
import XCTest
@testable import Learner

final class ReplayBufferTests: XCTestCase {
  private func filledBuffer(codec: String = "auto", depth: Int = 2, classes: [Int] = [0, 3, 5], perClass: Int = 5) throws -> (ReplayBuffer, [LatentSample]) {
    var rng = SeededRNG(seed: 30)
    var buffer = try ReplayBuffer(codec: try replayCodec(named: codec), depth: depth, timesteps: 12, units: 9)
    var samples: [LatentSample] = []
    for c in classes {
      for _ in 0..<perClass {
        let s = depth == 0
          ? try LatentFactory.currents(t: 12, n: 9, density: 0.4, label: c, rng: &rng)
          : try LatentFactory.spikes(t: 12, n: 9, density: 0.1, label: c, depth: depth, rng: &rng)
        try buffer.add(s)
        samples.append(s)
      }
    }
    return (buffer, samples)
  }

  func testCountsAndExactBytes() throws {
    let (buffer, samples) = try filledBuffer()
    XCTAssertEqual(buffer.classes, [0, 3, 5])
    XCTAssertEqual(buffer.sampleCount, 15)
    XCTAssertEqual(buffer.sampleCount(ofClass: 3), 5)
    XCTAssertEqual(buffer.sampleCount(ofClass: 9), 0)
    let expected = samples.reduce(0) { $0 + AutoCodec().encodedByteCount(of: $1) }
    XCTAssertEqual(buffer.totalBytes, expected)
    XCTAssertEqual(buffer.bytesPerSample, Double(expected) / 15, accuracy: 1e-12)
    XCTAssertEqual(buffer.byteCount(ofClass: 0) + buffer.byteCount(ofClass: 3) + buffer.byteCount(ofClass: 5), expected)
    XCTAssertEqual(buffer.kind, .spikes)
  }

  func testRemoveClassUpdatesBytes() throws {
    var (buffer, _) = try filledBuffer()
    let before = buffer.totalBytes
    let classBytes = buffer.byteCount(ofClass: 3)
    XCTAssertEqual(buffer.removeClass(3), 5)
    XCTAssertEqual(buffer.totalBytes, before - classBytes)
    XCTAssertEqual(buffer.classes, [0, 5])
    XCTAssertEqual(buffer.removeClass(3), 0)
    XCTAssertThrowsError(try buffer.batches(ofClass: 3, batchSize: 4)) { XCTAssertEqual($0 as? ReplayBufferError, .unknownClass(3)) }
  }

  func testBatchesHoldOneClassInOrder() throws {
    let (buffer, samples) = try filledBuffer(codec: "bitpack")
    let batches = try buffer.batches(ofClass: 3, batchSize: 2)
    XCTAssertEqual(batches.map(\.count), [2, 2, 1])
    let class3 = samples.filter { $0.label == 3 }
    XCTAssertTrue(zip(batches.flatMap { $0 }, class3).allSatisfy { $0.isBitIdentical(to: $1) })
    XCTAssertThrowsError(try buffer.batches(ofClass: 3, batchSize: 0))
    XCTAssertThrowsError(try buffer.batch(ofClass: 3, indices: [5])) {
      XCTAssertEqual($0 as? ReplayBufferError, .indexOutOfRange(label: 3, index: 5, count: 5))
    }
    let all = try buffer.decodedSamples()
    XCTAssertEqual(all.map { $0.label! }, [Int](repeating: 0, count: 5) + [Int](repeating: 3, count: 5) + [Int](repeating: 5, count: 5))
  }

  func testLossyBufferReplaysDecompressedSamples() throws {
    let (buffer, samples) = try filledBuffer(codec: "orpool:3")
    let decoded = try buffer.decodedSamples(ofClass: 0)
    let codec = try OrPoolCodec(window: 3)
    for (d, s) in zip(decoded, samples.filter { $0.label == 0 }) {
      XCTAssertTrue(d.isBitIdentical(to: try codec.decode(codec.encode(s))))
      XCTAssertEqual(d.timesteps, 12)  // still all T steps
    }
    // 4 windows x 9 units = 36 bits = 5 bytes, plus the 4-byte header.
    XCTAssertEqual(buffer.bytesPerSample, 9)
  }

  func testShapeMismatchIsRejected() throws {
    var buffer = try ReplayBuffer(codec: RawCodec(), depth: 0, timesteps: 4, units: 3)
    let otherDepth = LatentSample(depth: 1, timesteps: 4, width: 3, values: [Float](repeating: 0, count: 12), label: 0)
    XCTAssertThrowsError(try buffer.add(otherDepth)) { XCTAssertTrue("\($0)".contains("buffer holds depth 0 4x3"), "\($0)") }
    let wrongShape = LatentSample(depth: 0, timesteps: 5, width: 2, values: [Float](repeating: 1, count: 10), label: 0)
    XCTAssertThrowsError(try buffer.add(wrongShape))
    let unlabeled = LatentSample(depth: 0, timesteps: 4, width: 3, values: [Float](repeating: 1, count: 12), label: nil)
    XCTAssertThrowsError(try buffer.add(unlabeled)) { XCTAssertEqual($0 as? ReplayBufferError, .unlabeled) }
    XCTAssertThrowsError(try ReplayBuffer(codec: RawCodec(), depth: -1, timesteps: 4, units: 3))
    XCTAssertEqual(buffer.sampleCount, 0)
    XCTAssertEqual(buffer.totalBytes, 0)
  }

  func testRepresentationRoundTrip() throws {
    for (codec, depth) in [("auto", 2), ("events", 0), ("orpool:2", 1), ("raw", 3)] {
      let (buffer, _) = try filledBuffer(codec: codec, depth: depth)
      let rep = buffer.representation
      XCTAssertEqual(rep.offsets.count, rep.labels.count + 1)
      XCTAssertEqual(rep.bytes.count, buffer.totalBytes)
      XCTAssertEqual(rep.codec, codec)
      let loaded = try ReplayBuffer(representation: rep)
      XCTAssertEqual(loaded.representation, rep)
      XCTAssertEqual(loaded.totalBytes, buffer.totalBytes)
      for c in buffer.classes {
        let a = try buffer.decodedSamples(ofClass: c), b = try loaded.decodedSamples(ofClass: c)
        XCTAssertTrue(zip(a, b).allSatisfy { $0.isBitIdentical(to: $1) })
      }
      // Codable, as a Storage or wire layer might use it.
      let json = try JSONEncoder().encode(rep)
      XCTAssertEqual(try JSONDecoder().decode(ReplayBufferRepresentation.self, from: json), rep)
    }
  }

  func testCorruptRepresentationsThrow() throws {
    let (buffer, _) = try filledBuffer(codec: "bitpack", perClass: 2)
    let good = buffer.representation

    var badCodec = good; badCodec.codec = "gzip"
    XCTAssertThrowsError(try ReplayBuffer(representation: badCodec)) { XCTAssertTrue("\($0)".contains("gzip"), "\($0)") }

    var fewOffsets = good; fewOffsets.offsets.removeLast()
    XCTAssertThrowsError(try ReplayBuffer(representation: fewOffsets))

    var decreasing = good; decreasing.offsets[2] = decreasing.offsets[1] - 1
    XCTAssertThrowsError(try ReplayBuffer(representation: decreasing))

    var wrongLabel = good; wrongLabel.labels[0] = 17
    XCTAssertThrowsError(try ReplayBuffer(representation: wrongLabel)) { XCTAssertTrue("\($0)".contains("labelled 17"), "\($0)") }

    var truncatedEntry = good
    truncatedEntry.bytes.removeLast()
    truncatedEntry.offsets[truncatedEntry.offsets.count - 1] -= 1
    XCTAssertThrowsError(try ReplayBuffer(representation: truncatedEntry)) {
      guard case .corruptEntry(let i, _) = $0 as? ReplayBufferError else { return XCTFail("\($0)") }
      XCTAssertEqual(i, good.labels.count - 1)
    }

    var otherShape = good; otherShape.units = 8
    XCTAssertThrowsError(try ReplayBuffer(representation: otherShape))
  }

  func testMergeAppendsCompatibleBuffers() throws {
    var (a, _) = try filledBuffer(classes: [0, 1], perClass: 2)
    let (b, _) = try filledBuffer(classes: [1, 7], perClass: 3)
    let expected = a.totalBytes + b.totalBytes
    try a.merge(b)
    XCTAssertEqual(a.classes, [0, 1, 7])
    XCTAssertEqual(a.sampleCount(ofClass: 1), 5)
    XCTAssertEqual(a.totalBytes, expected)
    let (other, _) = try filledBuffer(codec: "raw", classes: [2], perClass: 1)
    XCTAssertThrowsError(try a.merge(other)) { XCTAssertTrue("\($0)".contains("replay buffer merge"), "\($0)") }
    var f1 = try ReplayBuffer(codec: RawCodec(), depth: 1, timesteps: 2, units: 2, baseFingerprint: "abc")
    let f2 = try ReplayBuffer(codec: RawCodec(), depth: 1, timesteps: 2, units: 2, baseFingerprint: "def")
    XCTAssertThrowsError(try f1.merge(f2))
    XCTAssertEqual(f1.representation.baseFingerprint, "abc")
    XCTAssertEqual(try ReplayBuffer(representation: f1.representation).baseFingerprint, "abc")
  }
}
