import Foundation
import XCTest
@testable import Cochlea

/// Band-limited resampling: tones keep frequency and amplitude; the decimator rejects aliases.
final class ResamplerTests: XCTestCase {
  func testUpsampledToneMatchesTheContinuousTone() {
    let tone = (0..<4410).map { Float(sin(2 * Double.pi * 1000 * Double($0) / 22_050)) }
    let up = Resampler(from: 22_050, to: 48_000)(tone)
    XCTAssertEqual(up.count, 4410 * 48_000 / 22_050)
    var worst: Float = 0
    for n in 1000..<8000 {
      worst = max(worst, abs(up[n] - Float(sin(2 * Double.pi * 1000 * Double(n) / 48_000))))
    }
    XCTAssertLessThan(worst, 2e-3)
  }

  /// `r4ncl ear` asks before resampling a WAV file: common rates are fine, odd ones are not.
  func testSupportedRates() {
    for rate in [8_000, 11_025, 16_000, 22_050, 44_100, 96_000] { XCTAssertTrue(Resampler.supports(from: rate, to: 48_000), "\(rate)") }
    XCTAssertFalse(Resampler.supports(from: 44_101, to: 48_000))
    XCTAssertFalse(Resampler.supports(from: 0, to: 48_000))
  }

  func testDecimatorPassesSpeechBandAndStopsAliases() {
    func gain(_ f: Double) -> Float {
      var d = Decimator()
      let x = (0..<9600).map { Float(sin(2 * Double.pi * f * Double($0) / 48_000)) }
      let y = x.withUnsafeBufferPointer { d.process($0) }
      // Amplitude from the RMS (the peak of a sampled sine depends on the phase grid).
      let tail = y[1000...]
      return (tail.map { $0 * $0 }.reduce(0, +) / Float(tail.count) * 2).squareRoot()
    }
    XCTAssertEqual(gain(1000), 1, accuracy: 0.01)
    XCTAssertEqual(gain(8000), 1, accuracy: 0.02)
    XCTAssertLessThan(gain(14_000), 0.01)  // would alias to 10 kHz
  }
}
