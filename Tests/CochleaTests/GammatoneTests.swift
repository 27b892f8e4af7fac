import XCTest
@testable import Cochlea

/// The filterbank's measured tone responses against gammatone theory: centre frequency at fc,
/// -3 dB bandwidth 2 b sqrt(2^(1/4) - 1) with b = 1.019 ERB(fc) (4th-order gammatone).
final class GammatoneTests: XCTestCase {
  let cochlea = Cochlea()

  /// Peak amplitude of channel `channel` after the response to a tone has settled.
  func measuredAmplitude(channel: Int, frequency: Double) -> Double {
    let rate = cochlea.bank.rate
    let settle = Int(8 * rate / (2 * Double.pi * cochlea.bank.bandwidths[channel])) + 200
    let period = Int(rate / frequency) + 2
    let tone = (0..<(settle + 4 * period)).map { Float(sin(2 * Double.pi * frequency * Double($0) / rate)) }
    let out = cochlea.bank.filter(tone, channels: [channel])[0]
    return Double(out[settle...].map(abs).max()!)
  }

  func testChannelOrderAndRange() {
    let f = cochlea.bank.centreFrequencies
    XCTAssertEqual(f.count, 700)
    XCTAssertEqual(f[0], 10_000, accuracy: 1e-6)
    XCTAssertEqual(f[699], 20, accuracy: 1e-6)
    XCTAssertTrue(zip(f, f.dropFirst()).allSatisfy { $0 > $1 }, "channel 0 must be the highest")
  }

  func testCentreFrequencyAndBandwidthMatchTheory() {
    for channel in [150, 400, 600] {
      let fc = cochlea.bank.centreFrequencies[channel], b = cochlea.bank.bandwidths[channel]
      // Scan +-2 b around fc.
      let grid = (0...40).map { fc + b * (Double($0) / 10 - 2) }
      let amps = grid.map { measuredAmplitude(channel: channel, frequency: $0) }
      let peak = amps.max()!, top = amps.firstIndex(of: peak)!
      // Parabolic refinement of the peak in dB.
      let db = amps.map { 20 * log10($0) }
      let delta = 0.5 * (db[top - 1] - db[top + 1]) / (db[top - 1] - 2 * db[top] + db[top + 1])
      let measuredFc = grid[top] + delta * (grid[1] - grid[0])
      XCTAssertEqual(measuredFc, fc, accuracy: 0.02 * fc, "channel \(channel) centre")
      // -3 dB points by linear interpolation on each side.
      func crossing(_ range: [Int]) -> Double {
        for (i, j) in zip(range, range.dropFirst()) where db[i] >= db.max()! - 3 && db[j] < db.max()! - 3 {
          let t = (db[i] - (db.max()! - 3)) / (db[i] - db[j])
          return grid[i] + t * (grid[j] - grid[i])
        }
        return .nan
      }
      let bandwidth = crossing(Array(top...40)) - crossing(Array((0...top).reversed()))
      let theory = 2 * b * (pow(2, 0.25) - 1).squareRoot()
      XCTAssertEqual(bandwidth, theory, accuracy: 0.03 * theory, "channel \(channel) bandwidth")
      // Peak gain as calibrated, and the analytic response agrees with the measurement.
      let gain = cochlea.parameters.filterGain * pow(fc / 1000, cochlea.parameters.gainSlope)
      XCTAssertEqual(peak, gain, accuracy: 0.02 * gain)
      let half = fc + b
      XCTAssertEqual(
        measuredAmplitude(channel: channel, frequency: half),
        cochlea.bank.amplitudeResponse(channel: channel, frequency: half), accuracy: 0.01 * peak)
    }
  }

  /// Calibration of reference README §2: a 0.3-RMS 1 kHz tone peaks near 72 at the best place.
  func testLoudnessCalibration() {
    var parameters = CochleaParameters()
    parameters.filterGain = CochleaParameters.lauscherToneGain
    let cochlea = Cochlea(parameters: parameters)
    let rate = cochlea.bank.rate
    let tone = (0..<2400).map { Float(0.3 * 2.0.squareRoot() * sin(2 * Double.pi * 1000 * Double($0) / rate)) }
    let best = cochlea.bank.centreFrequencies.enumerated().min { abs($0.1 - 1000) < abs($1.1 - 1000) }!.offset
    let peak = cochlea.bank.filter(tone, channels: [best])[0].map(abs).max()!
    XCTAssertEqual(Double(peak), 72, accuracy: 3)
  }
}
