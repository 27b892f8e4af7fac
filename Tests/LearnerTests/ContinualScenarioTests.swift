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
}
