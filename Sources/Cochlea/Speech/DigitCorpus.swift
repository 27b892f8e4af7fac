import Foundation

/// The 20 SHD words spoken by synthetic speakers, as 48 kHz waveforms: English "zero".."nine"
/// (labels 0-9) and German "null".."neun" (labels 10-19), with per-utterance jitter of rate and
/// pitch, random leading/trailing silence, the speaker's spectral tilt and low-level noise.
public struct DigitCorpus: Sendable {
  /// SHD's `extra/keys` in label order.
  public static let words = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
  ]
  public static let rate = 48_000

  public let espeak: Espeak
  private let resampler = Resampler(from: 22_050, to: DigitCorpus.rate)

  public init(espeak: Espeak) { self.espeak = espeak }

  /// One utterance of word `label` by `speaker`; `seed` draws its jitter and noise.
  public func utterance(label: Int, speaker: Speaker, seed: UInt64) throws -> [Float] {
    precondition((0..<20).contains(label))
    var rng = SplitMixGenerator(seed: seed)
    let german = label >= 10
    let voice = (german ? speaker.germanVoice : speaker.englishVoice) + "+" + speaker.variant
    let speed = Int((Double(speaker.speed) * rng.uniform(0.9...1.1)).rounded())
    let pitch = min(99, max(0, speaker.pitch + rng.int(-6...6)))
    let audio = try espeak.synthesize(
      DigitCorpus.words[label], voice: voice, speed: speed, pitch: pitch, amplitude: speaker.amplitude)
    let speech = trimmed(audio.rate == 22_050 ? resampler(audio.samples) : Resampler(from: audio.rate, to: DigitCorpus.rate)(audio.samples))
    guard !speech.isEmpty else {
      throw SpeechError.espeakFailed(voice: voice, text: DigitCorpus.words[label], detail: "silent output")
    }
    // Spectral tilt, silence padding, then white noise at the speaker's SNR (+-3 dB).
    var tilted = [Float](repeating: 0, count: speech.count)
    let tilt = Float(speaker.tilt)
    for i in speech.indices { tilted[i] = speech[i] - tilt * (i > 0 ? speech[i - 1] : 0) }
    let lead = Int(rng.uniform(0.05...0.3) * Double(DigitCorpus.rate))
    let trail = Int(rng.uniform(0.05...0.3) * Double(DigitCorpus.rate))
    var clip = [Float](repeating: 0, count: lead)
    clip.append(contentsOf: tilted)
    clip.append(contentsOf: [Float](repeating: 0, count: trail))
    let power = tilted.reduce(0) { $0 + Double($1) * Double($1) } / Double(tilted.count)
    let snr = speaker.snrDB + rng.uniform(-3...3)
    let sigma = (power / pow(10, snr / 10)).squareRoot()
    for i in clip.indices { clip[i] += Float(sigma * rng.normal()) }
    return clip
  }

  /// Drops espeak-ng's leading and trailing near-silence (below -60 dB of the peak), so the
  /// padding is ours alone.
  private func trimmed(_ x: [Float]) -> [Float] {
    let peak = x.map(abs).max() ?? 0
    guard peak > 0 else { return [] }
    let floor = peak * 1e-3
    guard let first = x.firstIndex(where: { abs($0) > floor }),
      let last = x.lastIndex(where: { abs($0) > floor })
    else { return [] }
    return Array(x[first...last])
  }
}
