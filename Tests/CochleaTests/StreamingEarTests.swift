import XCTest
@testable import Cochlea

/// The live-stream front end: windows, gating and relative times.
final class StreamingEarTests: XCTestCase {
  func testWindowsAreCutBackToBackWithRelativeTimes() {
    let ear = StreamingEar(cochlea: Cochlea(), seed: 2, window: 0.1, minSpikes: 1)
    // 0.25 s of a 300 Hz tone in 20 ms chunks.
    let tone = (0..<12_000).map { Float(0.1 * sin(2 * Double.pi * 300 * Double($0) / 48_000)) }
    var windows = [CochleaSpikes]()
    for start in stride(from: 0, to: tone.count, by: 960) {
      windows += ear.feed(Array(tone[start..<min(start + 960, tone.count)]))
    }
    XCTAssertEqual(windows.count, 2)
    windows += ear.finish()
    XCTAssertEqual(windows.count, 3)
    XCTAssertEqual(ear.seconds, 0.25, accuracy: 1e-9)
    for w in windows {
      XCTAssertGreaterThan(w.count, 0)
      XCTAssertTrue(w.sampleIndices.allSatisfy { $0 >= 0 && $0 < 2400 })
    }
  }

  func testEnergyGateDropsSilentWindows() {
    let ear = StreamingEar(cochlea: Cochlea(), seed: 2, window: 0.1, minSpikes: 200)
    let silence = [Float](repeating: 0, count: 9600)
    XCTAssertTrue(ear.feed(silence).isEmpty)
    XCTAssertTrue(ear.finish().isEmpty)
  }
}
