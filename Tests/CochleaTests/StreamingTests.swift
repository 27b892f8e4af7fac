import XCTest
@testable import Cochlea

/// The streaming cochlea: chunked = whole, determinism per seed, plausible rates.
final class StreamingTests: XCTestCase {
  let cochlea = Cochlea()

  /// 0.25 s of a vowel-like harmonic sound with an onset, at 48 kHz.
  func testSignal() -> [Float] {
    (0..<12_000).map { i -> Float in
      let t = Double(i) / 48_000
      let env = min(1, t / 0.02)
      var x = 0.0
      for h in 1...12 { x += sin(2 * Double.pi * 140 * Double(h) * t) / Double(h) }
      return Float(0.2 * env * x)
    }
  }

  func testChunkedEqualsWhole() {
    let audio = cochlea.prepare(testSignal())
    let whole = CochleaStream(cochlea: cochlea, seed: 11).process(audio)
    XCTAssertGreaterThan(whole.count, 500)
    for chunk in [1, 7, 960, 5000] {
      let stream = CochleaStream(cochlea: cochlea, seed: 11)
      var joined = CochleaSpikes(rate: whole.rate)
      var start = 0
      while start < audio.count {
        let end = min(start + chunk, audio.count)
        joined.append(stream.process(Array(audio[start..<end])))
        start = end
      }
      XCTAssertEqual(joined, whole, "chunk size \(chunk)")
      XCTAssertEqual(stream.sampleIndex, audio.count / 2)
    }
  }

  func testSeedDeterminesOutput() {
    let audio = testSignal()
    let a = cochlea.convert(audio, seed: 3), b = cochlea.convert(audio, seed: 3)
    let c = cochlea.convert(audio, seed: 4)
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, c)
    // Ordered by time then channel, channels in range.
    for i in 1..<a.count {
      XCTAssertTrue(
        a.sampleIndices[i - 1] < a.sampleIndices[i]
          || (a.sampleIndices[i - 1] == a.sampleIndices[i] && a.channels[i - 1] < a.channels[i]))
    }
    XCTAssertTrue(a.channels.allSatisfy { $0 < 700 })
  }

  func testSoundDrivesLowChannelsAndSilenceStaysQuiet() {
    let spikes = cochlea.convert(testSignal(), seed: 1)
    // Energy at 140..1700 Hz: channels below 10 kHz..2 kHz (index < ~250) barely fire.
    let high = spikes.channels.filter { $0 < 250 }.count
    let low = spikes.channels.filter { $0 >= 400 }.count
    XCTAssertGreaterThan(low, 10 * max(high, 1))
    let silence = cochlea.convert([Float](repeating: 0, count: 12_000), seed: 1)
    // Resting probability 0.0027 gives about 1 spike/s per channel: ~175 in 0.25 s over 700.
    XCTAssertLessThan(silence.count, 600)
  }
}
