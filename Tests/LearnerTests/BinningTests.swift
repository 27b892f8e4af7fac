import XCTest
@testable import Learner

final class BinningTests: XCTestCase {
  func testBinsCountsAndDropsLateEvents() throws {
    // width = 1.0 / 10 = 0.1 s.
    let sample = SpikeSample(
      times: [0, 0.05, 0.05, 0.12, 0.95, 0.9999, 1.0, 1.3],
      units: [3, 1, 1, 1, 0, 0, 2, 2], label: 4)
    let binned = try SpikeBinning(timesteps: 10, maxTime: 1.0).bin(sample, channelCount: 4)
    XCTAssertEqual(binned.label, 4)
    XCTAssertEqual(binned.timesteps, 10)
    let dense = binned.dense()
    XCTAssertEqual(dense[0 * 4 + 3], 1)
    XCTAssertEqual(dense[0 * 4 + 1], 2, "two spikes of one channel in one bin are summed")
    XCTAssertEqual(dense[1 * 4 + 1], 1)
    XCTAssertEqual(dense[9 * 4 + 0], 2, "0.95 and 0.9999 land in the last bin")
    XCTAssertEqual(dense.reduce(0, +), 6, "events at t >= maxTime are dropped")
    XCTAssertEqual(binned.activeCellCount, 4)
    XCTAssertEqual(Array(binned.stepOffsets.prefix(3)), [0, 2, 3])
    XCTAssertEqual(Array(binned.channels.prefix(2)), [1, 3], "channels ascend within a step")
  }

  func testReferenceBinWidthAndBoundaries() throws {
    // SHD setting: T = 40 over 1.4 s, width 35 ms: 34.9 ms -> bin 0, 35.1 ms -> bin 1, 1.3999 s -> bin 39.
    let sample = SpikeSample(times: [0.0349, 0.0351, 1.3999], units: [0, 0, 0])
    let dense = try SpikeBinning(timesteps: 40).bin(sample, channelCount: 1).dense()
    XCTAssertEqual(dense[0], 1)
    XCTAssertEqual(dense[1], 1)
    XCTAssertEqual(dense[39], 1)
  }

  func testDenseRoundTrip() {
    let dense: [Float] = [0, 1, 0, 2, 0, 0, 3, 0, 1]
    let b = BinnedSample(dense: dense, timesteps: 3, channelCount: 3)
    XCTAssertEqual(b.dense(), dense)
    XCTAssertEqual(b.spikeCount, 7)
    XCTAssertEqual(b.stepOffsets, [0, 1, 2, 4])
  }

  func testEmptySampleGivesEmptyBins() throws {
    let b = try SpikeBinning(timesteps: 5).bin(SpikeSample(times: [], units: []), channelCount: 7)
    XCTAssertEqual(b.stepOffsets, [0, 0, 0, 0, 0, 0])
    XCTAssertEqual(b.dense(), [Float](repeating: 0, count: 35))
  }

  func testBadInputIsAClearError() {
    let binning = SpikeBinning(timesteps: 4)
    XCTAssertThrowsError(try binning.bin(SpikeSample(times: [0.1], units: [9]), channelCount: 9)) { error in
      XCTAssertEqual(error as? BinningError, .channelOutOfRange(index: 0, unit: 9, channelCount: 9))
      XCTAssertTrue("\(error)".contains("unit 9"))
    }
    XCTAssertThrowsError(try binning.bin(SpikeSample(times: [-0.1], units: [0]), channelCount: 9))
    XCTAssertThrowsError(try binning.bin(SpikeSample(times: [.nan], units: [0]), channelCount: 9))
    XCTAssertThrowsError(try SpikeBinning(timesteps: 0).bin(SpikeSample(times: [], units: []), channelCount: 9))
  }
}
