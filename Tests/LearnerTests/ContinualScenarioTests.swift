import XCTest
@testable import Learner

final class ContinualScenarioTests: XCTestCase {
  /// Multi-step 2 + 1 + 1: the accuracy matrix is square over the experiences, each step
  /// records the replay memory it learned with, and the buffer grows by the class just learned.
  func testMultiStepGrowsTheBufferAndFillsTheMatrix() throws {
    let data = ContinualFixture.data(classes: 4, perClass: 16)
    var s = try ContinualFixture.settings("replay4ncl")
    s.pretrainEpochs = 15
    s.learnEpochs = 6
    let result = try MultiStepScenario(initialClasses: [0, 1], newClassOrder: [2, 3]).run(s, on: ContinualRun(data: data))
    XCTAssertEqual(result.accuracyMatrix.count, 3)
    XCTAssertTrue(result.accuracyMatrix.allSatisfy { $0.count == 3 })
    XCTAssertEqual(result.steps.map(\.replaySamples), [2 * 12, 3 * 12])
    XCTAssertGreaterThan(result.accuracyMatrix[1][1] ?? 0, 0.3, "step 1 learns class 2")
    let m = try result.reportMatrix()
    XCTAssertEqual(m.accuracy(afterTraining: 2, on: 2), result.accuracyMatrix[2][2])
  }

  /// `r4ncl learn --repeat`: the learning phase of each method repeats deterministically, the
  /// methods take turns, and the timings carry the counts the ratio is read against.
  func testLearningPhaseTimingRepeatsEachMethodIdentically() throws {
    let data = ContinualFixture.data(classes: 3, perClass: 12)
    var replay = try ContinualFixture.settings("replay4ncl")
    replay.pretrainEpochs = 3
    replay.learnEpochs = 2
    var naive = try ContinualFixture.settings("naive")
    naive.pretrainEpochs = 3
    naive.learnEpochs = 2
    var order: [String] = []
    let timings = try ContinualRun(data: data).timeLearning([replay, naive], oldClasses: [0, 1], newClasses: [2], repeats: 3) { _, method, _ in
      order.append(method)
    }
    XCTAssertEqual(order, ["replay4ncl", "naive", "replay4ncl", "naive", "replay4ncl", "naive"])
    XCTAssertEqual(timings.map(\.method), ["replay4ncl", "naive"])
    for t in timings {
      XCTAssertTrue(t.identical, "\(t.method): a repeat of the same phase must end with the same network")
      XCTAssertEqual(t.wallSeconds.count, 3)
      XCTAssertGreaterThan(t.medianWall, 0)
      XCTAssertGreaterThan(t.steps, 0)
      XCTAssertGreaterThan(t.inputEventsPerSample, 0)
    }
    XCTAssertEqual(timings[1].decodeSeconds, [0, 0, 0], "naive has no replay buffer to decode")
    XCTAssertThrowsError(try ContinualRun(data: data).timeLearning([replay], oldClasses: [0, 1], newClasses: [2], repeats: 0))
  }
}
