import XCTest
@testable import Learner

/// Onset alignment, channel pooling and event jitter in `SpikeBinning`.
final class BinningFrontEndTests: XCTestCase {
  private func dense(_ b: BinnedSample) -> [[Float]] {
    var rows = [[Float]](repeating: [Float](repeating: 0, count: b.channelCount), count: b.timesteps)
    for t in 0..<b.timesteps {
      for k in Int(b.stepOffsets[t])..<Int(b.stepOffsets[t + 1]) { rows[t][Int(b.channels[k])] += b.counts[k] }
    }
    return rows
  }

  func testOnsetAlignmentMovesTheQuantileToTheLead() throws {
    // Ten spikes from 0.5 s, 1/128 s apart (all exact in binary); the 10 % quantile (index 0) is 0.5 s
    // and lands at 0.125 s, so all ten fall in bin 1 = [0.125, 0.25) of 8 bins over 1 s.
    let times = (0..<10).map { Float(0.5 + Double($0) / 128) }
    let sample = SpikeSample(times: times, units: [UInt16](repeating: 3, count: 10))
    let binning = SpikeBinning(timesteps: 8, maxTime: 1.0, onset: OnsetAlignment(quantile: 0.1, lead: 0.125))
    let rows = dense(try binning.bin(sample, channelCount: 8))
    XCTAssertEqual(rows[1][3], 10)
    XCTAssertEqual(rows.flatMap { $0 }.reduce(0, +), 10)
    // Without alignment the same spikes sit in bin 4.
    XCTAssertEqual(dense(try SpikeBinning(timesteps: 8, maxTime: 1.0).bin(sample, channelCount: 8))[4][3], 10)
  }

  func testOnsetAlignmentDropsSpikesBeforeTheWindow() throws {
    // A stray spike at 0.0 s and 19 spikes at 0.8 s: the 10 % quantile is 0.8 s, moved to 0.05 s; the stray one falls below 0.
    let sample = SpikeSample(times: [0] + [Float](repeating: 0.8, count: 19), units: [UInt16](repeating: 0, count: 20))
    let rows = dense(try SpikeBinning(timesteps: 4, maxTime: 1.0, onset: OnsetAlignment(quantile: 0.1, lead: 0.05)).bin(sample, channelCount: 2))
    XCTAssertEqual(rows[0][0], 19)
    XCTAssertEqual(rows.flatMap { $0 }.reduce(0, +), 19)
  }

  /// `keepsAnyEvent` agrees with binning: false exactly when the binned sample is empty.
  func testKeepsAnyEventIsTrueExactlyWhenBinningKeepsOne() throws {
    let plain = SpikeBinning(timesteps: 4, maxTime: 1.0)
    let aligned = SpikeBinning(timesteps: 4, maxTime: 1.0, onset: OnsetAlignment(quantile: 0.1, lead: 0.05))
    let cases: [[Float]] = [[0.2, 0.9], [0.999], [1.0], [1.0, 3.5], [1_700_000_000, 1_700_000_128], [0]]
    for times in cases {
      let sample = SpikeSample(times: times, units: [UInt16](repeating: 0, count: times.count))
      for binning in [plain, aligned] {
        let kept = try binning.bin(sample, channelCount: 2).counts.reduce(0, +)
        XCTAssertEqual(binning.keepsAnyEvent(times), kept > 0, "\(times), onset \(binning.onset != nil)")
      }
    }
    XCTAssertFalse(plain.keepsAnyEvent([1.0, 3.5]))
    XCTAssertTrue(aligned.keepsAnyEvent([1_700_000_000, 1_700_000_128]), "alignment moves clock times into the window")
  }

  func testPoolingSumsAdjacentChannels() throws {
    let sample = SpikeSample(times: [0.1, 0.1, 0.1, 0.1, 0.6], units: [0, 1, 3, 4, 7])
    let b = try SpikeBinning(timesteps: 2, maxTime: 1.0, pooling: 4).bin(sample, channelCount: 8)
    XCTAssertEqual(b.channelCount, 2)
    XCTAssertEqual(dense(b), [[3, 1], [0, 1]])
    XCTAssertThrowsError(try SpikeBinning(timesteps: 2, pooling: 0).bin(sample, channelCount: 8))
  }

  func testJitterShiftsStretchesAndDropsOutOfRangeEvents() throws {
    let sample = SpikeSample(times: [0.1, 0.2, 0.3], units: [0, 5, 9])
    let binning = SpikeBinning(timesteps: 10, maxTime: 1.0)
    let jitter = EventJitter(timeShift: 0.05, stretch: 2, channelShift: 1, dropout: 0)
    let rows = dense(try binning.bin(sample, channelCount: 10, jitter: jitter))
    // t' = 2t + 0.05: 0.25, 0.45, 0.65; units +1: 1, 6, 10 (out of range, dropped).
    XCTAssertEqual(rows[2][1], 1)
    XCTAssertEqual(rows[4][6], 1)
    XCTAssertEqual(rows.flatMap { $0 }.reduce(0, +), 2)
  }

  func testDropoutIsSeededAndRemovesAboutItsFraction() throws {
    let n = 4000
    let sample = SpikeSample(times: (0..<n).map { Float($0) / Float(n) * 0.9 }, units: [UInt16](repeating: 2, count: n))
    let binning = SpikeBinning(timesteps: 5, maxTime: 1.0)
    let jitter = EventJitter(dropout: 0.25, seed: 42)
    let a = try binning.bin(sample, channelCount: 4, jitter: jitter)
    XCTAssertEqual(a, try binning.bin(sample, channelCount: 4, jitter: jitter))
    let kept = a.counts.reduce(0, +)
    XCTAssertEqual(Double(kept) / Double(n), 0.75, accuracy: 0.03)
    XCTAssertNotEqual(a, try binning.bin(sample, channelCount: 4, jitter: EventJitter(dropout: 0.25, seed: 43)))
  }

  func testAugmentationPolicyIsDeterministicAndBounded() {
    let policy = AugmentationPolicy(timeShift: 0.1, stretch: 0.15, channelShift: 20, dropout: 0.1)
    var shifts = Set<Int>()
    for i in 0..<200 {
      let j = policy.jitter(seed: 5, epoch: 3, index: i)
      XCTAssertEqual(j, policy.jitter(seed: 5, epoch: 3, index: i))
      XCTAssertLessThanOrEqual(abs(j.timeShift), 0.1)
      XCTAssertLessThanOrEqual(abs(j.stretch - 1), 0.15 + 1e-12)
      XCTAssertLessThanOrEqual(abs(j.channelShift), 20)
      shifts.insert(j.channelShift)
    }
    XCTAssertGreaterThan(shifts.count, 20)  // really random across samples
    XCTAssertNotEqual(policy.jitter(seed: 5, epoch: 3, index: 0), policy.jitter(seed: 5, epoch: 4, index: 0))
  }

  func testConfigCarriesTheFrontEndThroughCoding() throws {
    let config = TrainingRecipe.r4ncl.networkConfig(sensorChannels: 700, classes: 20, seed: 3)
    XCTAssertEqual(config.inputCount, 175)
    XCTAssertEqual(config.sensorChannelCount, 700)
    let decoded = try JSONDecoder().decode(NetworkConfig.self, from: try JSONEncoder().encode(config))
    XCTAssertEqual(decoded, config)
    XCTAssertEqual(decoded.binning, config.binning)
    // A model file written before these fields existed decodes to SpikingLR's encoding.
    let old = try JSONDecoder().decode(NetworkConfig.self, from: Data(#"{"sizes":[700,20,5],"timesteps":40}"#.utf8))
    XCTAssertEqual(old.channelPooling, 1)
    XCTAssertNil(old.onset)
  }
}
