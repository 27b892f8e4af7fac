import XCTest
@testable import Learner

/// OR-pooling against SpikingLR's definition (generate_latent_subsample / run_snn in
/// class_incremental_latent_subsampled.py): window k covers steps k*w ..< k*w + w; a spike
/// latent stores 1 when the window holds any spike, a current latent stores the window's sum;
/// at replay step t the stored value of window t / w enters when t % w == 0, else zero.
final class CodecOrPoolTests: XCTestCase {
  /// SpikingLR's definition, written out independently of the codec.
  private func reference(_ x: [[Float]], w: Int, spikes: Bool) -> [[Float]] {
    let t = x.count, n = x[0].count
    let windows = (t + w - 1) / w
    var pooled = [[Float]](repeating: [Float](repeating: 0, count: n), count: windows)
    for k in 0..<windows {
      for h in 0..<n {
        var s: Float = 0
        for step in (k * w)..<min(k * w + w, t) { s += x[step][h] }
        if s != 0 { pooled[k][h] = spikes ? 1 : s }
      }
    }
    return (0..<t).map { step in step % w == 0 ? pooled[step / w] : [Float](repeating: 0, count: n) }
  }

  private func rows(_ s: LatentSample) -> [[Float]] {
    (0..<s.timesteps).map { t in Array(s.values[(t * s.width)..<((t + 1) * s.width)]) }
  }

  func testHandMadeSpikes() throws {
    // T = 6, N = 3, w = 2. Unit 0 spikes at steps 1 and 2, unit 1 at 4 and 5, unit 2 never.
    let x: [[Float]] = [[0, 0, 0], [1, 0, 0], [1, 0, 0], [0, 0, 0], [0, 1, 0], [0, 1, 0]]
    let s = LatentSample(depth: 2, timesteps: 6, width: 3, values: x.flatMap { $0 }, label: 4)
    let codec = try OrPoolCodec(window: 2)
    XCTAssertEqual(codec.pooled(s), [1, 0, 0, 1, 0, 0, 0, 1, 0])
    let back = try codec.decode(codec.encode(s))
    let expected: [[Float]] = [[1, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 0]]
    XCTAssertEqual(rows(back), expected)
    XCTAssertEqual(rows(back), reference(rows(s), w: 2, spikes: true))
    XCTAssertEqual(back.label, 4)
    // 3 windows x 3 units = 9 bits = 2 bytes after the 4-byte header.
    XCTAssertEqual(try codec.encode(s).count, 4 + 2)
  }

  func testHandMadeCurrentsAreSummedPerWindow() throws {
    // T = 5, N = 2, w = 2: windows {0,1}, {2,3}, {4} (the last one shorter).
    let x: [[Float]] = [[0.5, -1], [0.25, 2], [0, 0], [3, 0], [-2, 1]]
    let s = LatentSample(depth: 0, timesteps: 5, width: 2, values: x.flatMap { $0 }, label: 0)
    let codec = try OrPoolCodec(window: 2)
    XCTAssertEqual(codec.pooled(s), [0.75, 1, 3, 0, -2, 1])
    let back = try codec.decode(codec.encode(s))
    XCTAssertEqual(rows(back), [[0.75, 1], [0, 0], [3, 0], [0, 0], [-2, 1]])
    XCTAssertEqual(rows(back), reference(x, w: 2, spikes: false))
    XCTAssertEqual(try codec.encode(s).count, 4 + 3 * 2 * 4)
  }

  func testRandomSamplesMatchTheReference() throws {
    var rng = SeededRNG(seed: 20)
    for w in [1, 2, 3, 5, 7] {
      for density in LatentFactory.densities {
        let t = Int.random(in: 1...30, using: &rng), n = Int.random(in: 1...20, using: &rng)
        let s = try LatentFactory.spikes(t: t, n: n, density: density, rng: &rng)
        let codec = try OrPoolCodec(window: w)
        let bytes = try codec.encode(s)
        XCTAssertEqual(bytes.count, codec.encodedByteCount(of: s))
        // Memory: N x ceil(T / w) bits plus the header.
        XCTAssertEqual(bytes.count, LatentHeader(of: s).byteCount + (n * ((t + w - 1) / w) + 7) / 8)
        XCTAssertEqual(rows(try codec.decode(bytes)), reference(rows(s), w: w, spikes: true), "w=\(w) T=\(t)")
      }
    }
  }

  func testPoolingIsIdempotentOnDecodedSamples() throws {
    var rng = SeededRNG(seed: 21)
    let s = try LatentFactory.spikes(t: 20, n: 10, density: 0.3, rng: &rng)
    let codec = try OrPoolCodec(window: 4)
    let once = try codec.decode(codec.encode(s))
    XCTAssertTrue(try codec.decode(codec.encode(once)).isBitIdentical(to: once))
    XCTAssertFalse(once.isBitIdentical(to: s))
  }
}
