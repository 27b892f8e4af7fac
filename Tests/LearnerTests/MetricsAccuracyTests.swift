import XCTest
@testable import Learner

final class MetricsAccuracyTests: XCTestCase {
  func testOldNewAllSplit() throws {
    // Classes 0, 1 old; 2 new. Old: 3 of 4 right; new: 1 of 2 right; all: 4 of 6.
    let labels = [0, 0, 1, 1, 2, 2]
    let preds = [0, 1, 1, 1, 2, 0]
    let a = try AccuracySplit(predictions: preds, labels: labels, oldClasses: [0, 1], newClasses: [2])
    XCTAssertEqual(a.old, 0.75)
    XCTAssertEqual(a.new, 0.5)
    XCTAssertEqual(a.all!, 4.0 / 6.0, accuracy: 1e-12)
    XCTAssertEqual([a.oldCount, a.newCount, a.allCount], [4, 2, 6])
    let none = try AccuracySplit(predictions: [0], labels: [0], oldClasses: [0], newClasses: [5])
    XCTAssertNil(none.new)
    XCTAssertThrowsError(try AccuracySplit(predictions: [0], labels: [0, 1], oldClasses: [0], newClasses: [1]))
    XCTAssertThrowsError(try AccuracySplit(predictions: [0], labels: [0], oldClasses: [0, 1], newClasses: [1])) {
      XCTAssertEqual($0 as? MetricsError, .overlappingClasses([1]))
    }
  }

  /// Three experiences; accuracy on experience 0 falls from 0.9 to 0.6, on 1 from 0.8 to 0.7.
  func testAccuracyMatrixForgettingAndBWT() throws {
    var m = AccuracyMatrix(experienceCount: 3)
    try m.record(afterTraining: 0, on: 0, accuracy: 0.9)
    try m.record(afterTraining: 1, on: 0, accuracy: 0.7)
    try m.record(afterTraining: 1, on: 1, accuracy: 0.8)
    XCTAssertEqual(m.lastTrained, 1)
    XCTAssertEqual(m.forgetting(on: 0)!, 0.2, accuracy: 1e-12)
    XCTAssertNil(m.forgetting(on: 1))  // the last experience has nothing to forget yet
    try m.record(afterTraining: 2, on: 0, accuracy: 0.6)
    try m.record(afterTraining: 2, on: 1, accuracy: 0.7)
    try m.record(afterTraining: 2, on: 2, accuracy: 0.95)
    XCTAssertEqual(m.forgetting(on: 0)!, 0.3, accuracy: 1e-12)
    XCTAssertEqual(m.forgetting(on: 1)!, 0.1, accuracy: 1e-12)
    XCTAssertEqual(m.backwardTransfer(on: 0)!, -0.3, accuracy: 1e-12)
    XCTAssertEqual(m.averageForgetting!, 0.2, accuracy: 1e-12)
    XCTAssertEqual(m.averageBackwardTransfer!, -0.2, accuracy: 1e-12)
    XCTAssertEqual(m.averageAccuracy(afterTraining: 2)!, (0.6 + 0.7 + 0.95) / 3, accuracy: 1e-12)
    XCTAssertThrowsError(try m.record(afterTraining: 3, on: 0, accuracy: 0.5))
    XCTAssertThrowsError(try m.record(afterTraining: 0, on: 0, accuracy: 1.5))
    let json = try JSONEncoder().encode(m)
    XCTAssertEqual(try JSONDecoder().decode(AccuracyMatrix.self, from: json), m)
  }

  func testTimingLogRecordsPhasesAndEpochs() {
    var log = TimingLog()
    var work = 0
    log.phase("learn") { rec in
      for _ in 0..<3 { rec.epoch { for i in 0..<1000 { work &+= i } } }
    }
    log.append(PhaseTiming(phase: "prepare", seconds: 2.5))
    XCTAssertEqual(log.phases.map(\.phase), ["learn", "prepare"])
    XCTAssertEqual(log.phases[0].epochs.map(\.epoch), [1, 2, 3])
    XCTAssertGreaterThanOrEqual(log.phases[0].seconds, log.phases[0].epochSeconds)
    XCTAssertEqual(log.seconds(of: "prepare"), 2.5)
    XCTAssertEqual(log.seconds(of: "missing"), 0)
    XCTAssertGreaterThan(work, 0)
  }

  func testStopwatchIsMonotonic() {
    var w = Stopwatch()
    let a = w.elapsedSeconds
    let b = w.elapsedSeconds
    XCTAssertGreaterThanOrEqual(a, 0)
    XCTAssertGreaterThanOrEqual(b, a)
    XCTAssertGreaterThanOrEqual(w.restart(), b)
  }

  func testPeakMemoryParsing() {
    let text = "Name:\tx\nVmPeak:\t  9999 kB\nVmHWM:\t    2208 kB\nVmRSS:\t  1000 kB\n"
    XCTAssertEqual(PeakMemory.vmHWMBytes(statusText: text), 2208 * 1024)
    XCTAssertNil(PeakMemory.vmHWMBytes(statusText: "Name: x\n"))
    #if os(Linux)
      let peak = PeakMemory.peakResidentBytes()
      XCTAssertNotNil(peak)
      XCTAssertGreaterThanOrEqual(peak ?? 0, PeakMemory.residentBytes() ?? .max)
    #endif
  }
}
