import XCTest
@testable import Learner

final class ContinualLearningTests: XCTestCase {
  /// Frozen layers (hidden 1...d) keep bit-identical weights and thresholds through learning.
  func testFrozenLayersAreBitIdenticalAfterLearning() throws {
    let data = ContinualFixture.data(classes: 4, perClass: 12)
    var s = try ContinualFixture.settings("replay4ncl")
    s.pretrainEpochs = 2
    s.learnEpochs = 2
    let run = ContinualRun(data: data)
    let (model, _) = try run.pretrained(s, oldClasses: [0, 1, 2])
    let prepared = try PreparePhase(settings: s, replayClasses: [0, 1, 2]).run(pretrained: model, data: data)
    let out = try LearnPhase(settings: s, oldClasses: [0, 1, 2], newClasses: [3]).run(
      start: prepared.network, targetRates: model.layerRates, store: prepared.store, data: data)
    let before = prepared.network, after = out.network
    XCTAssertEqual(before.layers[0].weight.values, after.layers[0].weight.values)
    XCTAssertEqual(before.layers[0].recurrent?.values, after.layers[0].recurrent?.values)
    XCTAssertEqual(before.thresholds[0], after.thresholds[0])
    // The layers above d did learn.
    XCTAssertNotEqual(before.layers[1].weight.values, after.layers[1].weight.values)
    XCTAssertNotEqual(try before.parameter("Wout").values, try after.parameter("Wout").values)
  }

  /// 3+1 on synthetic data: the new class is learned, and replay keeps old-class accuracy
  /// above naive fine-tuning's.
  func testThreePlusOneReplayBeatsNaiveOnOldClasses() throws {
    let data = ContinualFixture.data()
    let run = ContinualRun(data: data)
    let naive = try run.run(ContinualFixture.settings("naive"), oldClasses: [0, 1, 2], newClasses: [3])
    let replay = try run.run(ContinualFixture.settings("spikinglr").with { $0.codec = "float32" }, oldClasses: [0, 1, 2], newClasses: [3])
    let pre = try XCTUnwrap(replay.pretrainedOld)
    XCTAssertGreaterThan(pre, 0.8, "pretraining should learn the 3 old classes")
    let naiveOld = try XCTUnwrap(naive.learn.final?.old)
    let replayOld = try XCTUnwrap(replay.learn.final?.old)
    let replayNew = try XCTUnwrap(replay.learn.final?.new)
    XCTAssertGreaterThan(replayNew, 0.5, "replay learns the new class")
    XCTAssertGreaterThan(replayOld, naiveOld + 0.1, "replay keeps old classes better than naive (\(replayOld) vs \(naiveOld))")
    XCTAssertGreaterThan(replay.replayBytes, 0)
    XCTAssertEqual(replay.replaySamples, 3 * 12)
  }

  /// Old classes are replayed one class per batch and the readout column is re-initialised.
  func testNewReadoutColumnIsReinitialised() throws {
    var s = try ContinualFixture.settings("spikinglr")
    s.newReadoutMean = 0.5
    s.newReadoutStd = 0
    var n = try Network(config: s.networkConfig(inputs: 32, classes: 4))
    try LearnPhase(settings: s, oldClasses: [0, 1, 2], newClasses: [3]).reinitialiseReadout(&n)
    let w = try n.parameter("Wout")
    for r in 0..<w.rows { XCTAssertEqual(w.values[r * 4 + 3], 0.5) }
    XCTAssertNotEqual(w.values[0], 0.5)
  }
}

extension ContinualSettings {
  func with(_ change: (inout ContinualSettings) -> Void) -> ContinualSettings {
    var c = self
    change(&c)
    return c
  }
}
