import XCTest

@testable import Learner

/// Evaluation runs in chunks whose forward workspace fits `EngineLimits.activations`, and a
/// sensor is at most 65,536 channels, whatever a model file's configuration says.
final class EvaluationLimitsTests: XCTestCase {
  func testSHDSizedNetworksEvaluateIn256SampleChunksAsBefore() throws {
    XCTAssertEqual(try EngineLimits.evaluationBatch(timesteps: 100, sizes: [700, 200, 100, 50, 20]), 256)
  }

  /// T = 100,000 passes validate; in chunks of 256 its evaluation aborted allocating 2.56e9 floats.
  func testLongTimestepsShrinkTheChunk() throws {
    let sizes = [175, 200, 100, 50, 20]
    let chunk = try EngineLimits.evaluationBatch(timesteps: EngineLimits.timesteps, sizes: sizes)
    XCTAssertEqual(chunk, EngineLimits.activations / (EngineLimits.timesteps * (4 * 350 + 2 * 20)))
    XCTAssertEqual(chunk, 7)
  }

  func testOneSampleOverTheLimitIsANamedError() {
    XCTAssertThrowsError(try EngineLimits.evaluationBatch(timesteps: EngineLimits.timesteps, sizes: [10, 65_536, 65_536, 2])) {
      guard case NetworkError.invalidConfig("timesteps", let reason)? = $0 as? NetworkError else { return XCTFail("\($0)") }
      XCTAssertTrue(reason.contains("lower timesteps"), reason)
    }
  }

  /// What shrinking the evaluation chunk relies on: predictions in one chunk and one sample at a
  /// time agree.
  func testPredictionsDoNotDependOnHowTheSamplesAreChunked() throws {
    let network = try Network(config: NetworkConfig(sizes: [6, 5, 3], timesteps: 4, seed: 2))
    var rng = SeededGenerator(seed: 9)
    let samples = (0..<20).map { i in
      SpikeSample(
        times: (0..<12).map { _ in Float.random(in: 0..<1, using: &rng) }.sorted(),
        units: (0..<12).map { _ in UInt16.random(in: 0..<6, using: &rng) }, label: i % 3, speaker: nil)
    }
    let dataset = SpikeDataset(samples: samples, channelCount: 6, classNames: ["a", "b", "c"])
    let trainer = Trainer(network: network, threads: 1)
    let whole = try trainer.evaluate(dataset)
    var oneByOne: [Int] = []
    for s in samples {
      oneByOne += try trainer.evaluate(SpikeDataset(samples: [s], channelCount: 6, classNames: ["a", "b", "c"])).predictions
    }
    XCTAssertEqual(whole.predictions, oneByOne)
  }

  /// channelPooling 65536 over 175 inputs passed validate; `export` then allocated an 8 GB pool
  /// matrix.
  func testSensorChannelsBeyondUint16UnitIdsAreRefused() {
    var config = NetworkConfig(sizes: [175, 8, 3])
    config.channelPooling = 65_536
    XCTAssertThrowsError(try config.validate()) {
      XCTAssertTrue("\($0)".contains("175 inputs × channelPooling 65536 is 11468800 sensor channels"), "\($0)")
    }
    config.channelPooling = 4
    XCTAssertNoThrow(try config.validate())
  }
}
