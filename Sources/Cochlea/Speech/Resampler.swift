import Foundation

/// Band-limited resampling between integer rates by polyphase windowed-sinc interpolation
/// (Hann window, 16 zero crossings each side). With g = gcd(in, out), output sample n sits at
/// input position n (in/g) / (out/g), so there are only out/g distinct fractional phases and
/// their taps are tabulated once. The cutoff is 0.95 of the lower Nyquist rate, so
/// downsampling is anti-aliased and upsampling adds no images.
public struct Resampler: Sendable {
  public let inputRate: Int, outputRate: Int
  private let up: Int, down: Int
  private let tapCount: Int
  /// First input index offset relative to floor(t), and taps per phase ([phase][tap]).
  private let firstOffset: Int
  private let taps: [Float]

  /// Whether `init(from:to:)` takes these rates: both positive, and at most 8192 phases.
  public static func supports(from inputRate: Int, to outputRate: Int) -> Bool {
    inputRate > 0 && outputRate > 0 && outputRate / gcd(inputRate, outputRate) <= 8192
  }

  private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

  public init(from inputRate: Int, to outputRate: Int) {
    precondition(Self.supports(from: inputRate, to: outputRate), "cannot resample \(inputRate) Hz to \(outputRate) Hz (see supports(from:to:))")
    let g = Self.gcd(inputRate, outputRate)
    self.inputRate = inputRate
    self.outputRate = outputRate
    up = outputRate / g
    down = inputRate / g
    let cutoff = 0.95 * min(1, Double(outputRate) / Double(inputRate))
    let half = 16.0 / cutoff
    firstOffset = -Int(half.rounded(.down))
    tapCount = 2 * Int(half.rounded(.down)) + 2
    var taps = [Float](repeating: 0, count: up * tapCount)
    for phase in 0..<up {
      let frac = Double(phase) / Double(up)
      for j in 0..<tapCount {
        let d = frac - Double(firstOffset + j)  // t - k
        guard abs(d) < half else { continue }
        let arg = Double.pi * cutoff * d
        let sinc = d == 0 ? 1 : sin(arg) / arg
        taps[phase * tapCount + j] = Float(cutoff * sinc * (0.5 + 0.5 * cos(Double.pi * d / half)))
      }
    }
    self.taps = taps
  }

  /// Resamples a whole signal (zeros assumed outside it).
  public func callAsFunction(_ x: [Float]) -> [Float] {
    if up == down || x.isEmpty { return x }
    let count = x.count * up / down
    var out = [Float](repeating: 0, count: count)
    x.withUnsafeBufferPointer { x in
      taps.withUnsafeBufferPointer { taps in
        for n in 0..<count {
          let position = n * down
          let base = position / up, phase = position % up
          let row = phase * tapCount
          var acc: Float = 0
          let k0 = base + firstOffset
          let jLo = max(0, -k0), jHi = min(tapCount, x.count - k0)
          var j = jLo
          while j < jHi {
            acc += taps[row &+ j] * x[k0 &+ j]
            j &+= 1
          }
          out[n] = acc
        }
      }
    }
    return out
  }
}
