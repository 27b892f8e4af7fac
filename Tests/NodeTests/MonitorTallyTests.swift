import Proto
import XCTest

@testable import Node

/// The demo monitor's accounting: old/new split, per-version accuracy, served-while-learning.
final class MonitorTallyTests: XCTestCase {
  func prediction(version: UInt64, truth: Int32?, predicted: Int32, time: Int64) -> R4ncl_V1_Prediction {
    var p = R4ncl_V1_Prediction()
    p.modelVersion = version
    p.classID = predicted
    p.publishedTimeNs = time
    if let truth { p.trueLabel = truth }
    return p
  }

  func testSplitsOldAndNewClassesPerModelVersion() {
    var tally = MonitorTally(newClasses: [19], window: 3)
    var learning = R4ncl_V1_NodeStatus()
    learning.learning.active = true
    learning.learning.startedTimeNs = 100
    tally.add(prediction(version: 1, truth: 3, predicted: 3, time: 50))
    tally.add(prediction(version: 1, truth: 19, predicted: 2, time: 60))
    tally.add(learning)
    tally.add(prediction(version: 1, truth: 4, predicted: 5, time: 120))
    tally.add(prediction(version: 1, truth: nil, predicted: 5, time: 130))
    var done = R4ncl_V1_NodeStatus()
    done.modelVersion = 2
    done.learning.startedTimeNs = 100
    done.learning.completedRuns = 1
    done.learning.lastDurationS = 1.5
    done.predicted = 6
    tally.add(done)
    tally.add(prediction(version: 2, truth: 19, predicted: 19, time: 200))
    tally.add(prediction(version: 2, truth: 3, predicted: 3, time: 210))

    XCTAssertEqual(tally.predictions, 6)
    let summary = tally.summary()
    XCTAssertTrue(summary.contains(" 50.0% (1/2)"), summary)  // v1 old: 3 right, 4 wrong
    XCTAssertTrue(summary.contains("  0.0% (0/1)"), summary)  // v1 new
    XCTAssertTrue(summary.contains("100.0% (1/1)"), summary)  // v2 old and new
    XCTAssertTrue(summary.contains("learning time: 1.50 s"), summary)
    XCTAssertTrue(summary.contains("predictions served during learning: 2"), summary)
    // The window holds the last 3 labelled predictions: old 4->5 wrong, new right, old right.
    XCTAssertTrue(tally.liveLine.contains("last 3: old  50.0%  new 100.0%"), tally.liveLine)
  }
}
