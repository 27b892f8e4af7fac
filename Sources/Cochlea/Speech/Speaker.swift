import Foundation

/// A synthetic speaker: an espeak-ng voice variant with an English accent, a German voice, base
/// pitch, rate and amplitude, a spectral tilt and a recording noise level, plus SHD-style
/// descriptive fields (`gender`, `age`, `bodyHeight`) drawn to match.
public struct Speaker: Sendable, Equatable, Codable {
  public var id: Int
  /// "train" or "test": speakers never appear in both splits.
  public var split: String
  /// espeak-ng voice variant (`+variant`), e.g. "m3", "f2", "klatt4".
  public var variant: String
  /// espeak-ng English voice (accent), e.g. "en-gb-scotland".
  public var englishVoice: String
  /// espeak-ng German voice.
  public var germanVoice: String
  public var gender: String
  /// espeak-ng pitch 0...99, rate in words per minute, amplitude 0...200.
  public var pitch: Int, speed: Int, amplitude: Int
  /// First-order spectral tilt: y[n] = x[n] - tilt x[n-1] (positive brightens).
  public var tilt: Double
  /// Signal-to-noise ratio of the added white noise, dB.
  public var snrDB: Double
  public var age: Int
  /// Metres.
  public var bodyHeight: Double
}

/// The espeak-ng voice material speakers are drawn from.
public enum VoiceCatalog {
  /// English accents of espeak-ng 1.51.
  public static let englishVoices = [
    "en-gb", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-gb-x-rp",
    "en-029", "en-us-nyc",
  ]
  /// Voice variants with their gender (espeak-ng's `--voices=variant`).
  public static let variants: [(name: String, gender: String)] = [
    ("m1", "male"), ("m2", "male"), ("m3", "male"), ("m4", "male"), ("m5", "male"), ("m6", "male"),
    ("m7", "male"), ("m8", "male"), ("f1", "female"), ("f2", "female"), ("f3", "female"),
    ("f4", "female"), ("f5", "female"), ("klatt", "male"), ("klatt2", "male"), ("klatt3", "male"),
    ("klatt4", "female"), ("klatt6", "male"), ("croak", "male"), ("norbert", "male"),
    ("travis", "male"), ("victor", "male"), ("iven", "male"), ("iven2", "male"), ("iven3", "male"),
    ("david", "male"), ("ed", "male"), ("zac", "male"), ("rob", "male"), ("steph", "female"),
    ("steph2", "female"), ("steph3", "female"), ("Alicia", "female"), ("Andrea", "female"),
    ("Annie", "female"), ("belinda", "female"), ("linda", "female"), ("anika", "female"),
    ("grandma", "female"), ("aunty", "female"), ("quincy", "male"), ("pablo", "male"),
    ("boris", "male"), ("Lee", "male"), ("paul", "male"), ("john", "male"), ("max", "male"),
    ("Gene", "male"), ("Mike", "male"), ("Michael", "male"), ("robert", "male"), ("Jacky", "male"),
  ]

  /// `trainCount` train and `testCount` test speakers, ids 0..<train then the test ones. Every
  /// speaker gets a different voice variant (variants are shuffled by `seed`), so train and
  /// test speakers are disjoint in voice as well as in identity.
  public static func speakers(trainCount: Int, testCount: Int, seed: UInt64) -> [Speaker] {
    precondition(trainCount + testCount <= variants.count, "at most \(variants.count) speakers")
    var rng = SplitMixGenerator(seed: seed ^ 0x5EED_5EA4)
    var order = Array(variants.indices)
    for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(0...i)) }
    return (0..<(trainCount + testCount)).map { id in
      let v = variants[order[id]]
      let female = v.gender == "female"
      return Speaker(
        id: id, split: id < trainCount ? "train" : "test", variant: v.name,
        englishVoice: englishVoices[rng.int(0...(englishVoices.count - 1))], germanVoice: "de",
        gender: v.gender, pitch: female ? rng.int(50...85) : rng.int(20...60),
        speed: rng.int(120...195), amplitude: rng.int(80...160),
        tilt: rng.uniform(-0.55...0.6), snrDB: rng.uniform(20...45), age: rng.int(18...70),
        bodyHeight: ((female ? rng.uniform(1.55...1.80) : rng.uniform(1.65...1.97)) * 100).rounded() / 100)
    }
  }
}

/// SplitMix64 as a small deterministic generator for synthesis choices.
public struct SplitMixGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 { splitMix64(&state) }
  /// Uniform integer in `range`.
  public mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
  }
  /// Uniform Double in `range`.
  public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * Double(next() >> 11) / 9_007_199_254_740_992
  }
  /// Standard normal (Box-Muller).
  public mutating func normal() -> Double {
    let u = max(uniform(0...1), 1e-300), v = uniform(0...1)
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
  }
}
