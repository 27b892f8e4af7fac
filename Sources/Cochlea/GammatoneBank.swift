import Foundation

/// A bank of 4th-order gammatone filters on an ERB-spaced axis (channel 0 = highest frequency).
///
/// Each channel is the cascade of four identical complex one-pole filters
/// `z_k[n] = p z_k[n-1] + z_{k-1}[n]` with `p = exp(-2 pi b / fs) exp(i 2 pi fc / fs)` and
/// `b = 1.019 ERB(fc)`; its impulse response is `C(n+3, 3) |p|^n e^{i theta n}`, the sampled
/// gammatone envelope `t^3 e^{-2 pi b t}` times a carrier. The channel output is `gain * Re(z_4)`,
/// with `gain` chosen so that the peak amplitude response equals `CochleaParameters.filterGain`.
public struct GammatoneBank: Sendable {
  /// Centre frequency of every channel (Hz), index 0 highest.
  public let centreFrequencies: [Double]
  /// Bandwidth parameter b of every channel (Hz): 1.019 ERB(fc).
  public let bandwidths: [Double]
  /// Sample rate the filters run at (Hz).
  public let rate: Double
  /// Output scale per channel (applied to Re z_4).
  public let gains: [Double]
  let coefficients: [GammatoneCoefficients]

  public init(parameters: CochleaParameters) {
    rate = parameters.modelRate
    centreFrequencies = ERBScale.centreFrequencies(
      count: parameters.channelCount, low: parameters.lowestFrequency,
      high: parameters.highestFrequency)
    bandwidths = centreFrequencies.map { 1.019 * ERBScale.bandwidth($0) }
    var gains = [Double]()
    for (fc, b) in zip(centreFrequencies, bandwidths) {
      let unit = GammatoneBank.analyticAmplitude(fc: fc, b: b, rate: parameters.modelRate, frequency: fc)
      gains.append(parameters.filterGain * pow(fc / 1000, parameters.gainSlope) / unit)
    }
    self.gains = gains
    let groups = (parameters.channelCount + laneCount - 1) / laneCount
    var coefficients = [GammatoneCoefficients]()
    for g in 0..<groups {
      var c = GammatoneCoefficients()
      for lane in 0..<laneCount {
        // Padding lanes past the last channel copy it; their spikes are dropped.
        let ch = min(g * laneCount + lane, parameters.channelCount - 1)
        let radius = exp(-2 * Double.pi * bandwidths[ch] / rate)
        let theta = 2 * Double.pi * centreFrequencies[ch] / rate
        c.re[lane] = Float(radius * cos(theta))
        c.im[lane] = Float(radius * sin(theta))
        c.gain[lane] = Float(gains[ch])
      }
      c.negIm = -c.im
      coefficients.append(c)
    }
    self.coefficients = coefficients
  }

  public var channelCount: Int { centreFrequencies.count }

  /// Amplitude of the real output of the cascade (before `gain`) for a unit cosine at
  /// `frequency`: |H(w) + conj(H(-w))| / 2 with H(w) = 1 / (1 - p e^{-iw})^4.
  public static func analyticAmplitude(fc: Double, b: Double, rate: Double, frequency: Double) -> Double {
    let radius = exp(-2 * Double.pi * b / rate), theta = 2 * Double.pi * fc / rate
    let w = 2 * Double.pi * frequency / rate
    func h(_ w: Double) -> (Double, Double) {
      // 1 - p e^{-iw} = 1 - r e^{i(theta - w)}
      let dr = 1 - radius * cos(theta - w), di = -radius * sin(theta - w)
      // (dr + i di)^4, then invert.
      var (ar, ai) = (dr, di)
      (ar, ai) = (ar * ar - ai * ai, 2 * ar * ai)
      (ar, ai) = (ar * ar - ai * ai, 2 * ar * ai)
      let n = ar * ar + ai * ai
      return (ar / n, -ai / n)
    }
    let (pr, pi) = h(w), (mr, mi) = h(-w)
    let sr = pr + mr, si = pi - mi
    return (sr * sr + si * si).squareRoot() / 2
  }

  /// Amplitude response of channel `channel` (with its gain) at `frequency` Hz, from theory.
  public func amplitudeResponse(channel: Int, frequency: Double) -> Double {
    gains[channel] * GammatoneBank.analyticAmplitude(
      fc: centreFrequencies[channel], b: bandwidths[channel], rate: rate, frequency: frequency)
  }

  /// Runs `signal` (at `rate`) through the channels listed and returns their output traces.
  /// Uses the same SIMD step as the streaming cochlea; for tests and inspection.
  public func filter(_ signal: [Float], channels: [Int]) -> [[Float]] {
    var out = [[Float]]()
    for ch in channels {
      let c = coefficients[ch / laneCount], lane = ch % laneCount
      var s = GammatoneState()
      var trace = [Float](repeating: 0, count: signal.count)
      for (n, x) in signal.enumerated() { trace[n] = GammatoneBank.step(x, &s, c)[lane] }
      out.append(trace)
    }
    return out
  }

  /// One sample of 8 channels: four complex one-pole stages, output gain * Re(z4).
  @inline(__always)
  static func step(_ x: Float, _ s: inout GammatoneState, _ c: GammatoneCoefficients) -> Lanes {
    // Stage 1 has a real input.
    let r1 = (c.re * s.r1).addingProduct(c.negIm, s.i1) + x
    let i1 = (c.re * s.i1).addingProduct(c.im, s.r1)
    let r2 = r1.addingProduct(c.re, s.r2).addingProduct(c.negIm, s.i2)
    let i2 = i1.addingProduct(c.re, s.i2).addingProduct(c.im, s.r2)
    let r3 = r2.addingProduct(c.re, s.r3).addingProduct(c.negIm, s.i3)
    let i3 = i2.addingProduct(c.re, s.i3).addingProduct(c.im, s.r3)
    let r4 = r3.addingProduct(c.re, s.r4).addingProduct(c.negIm, s.i4)
    let i4 = i3.addingProduct(c.re, s.i4).addingProduct(c.im, s.r4)
    s.r1 = r1; s.i1 = i1; s.r2 = r2; s.i2 = i2; s.r3 = r3; s.i3 = i3; s.r4 = r4; s.i4 = i4
    return c.gain * r4
  }
}

/// Pole and gain of 8 channels.
struct GammatoneCoefficients: Sendable {
  var re = Lanes(), im = Lanes(), negIm = Lanes(), gain = Lanes()
}

/// The four complex stage outputs of 8 channels (what a gammatone channel remembers).
struct GammatoneState: Sendable {
  var r1 = Lanes(), i1 = Lanes(), r2 = Lanes(), i2 = Lanes()
  var r3 = Lanes(), i3 = Lanes(), r4 = Lanes(), i4 = Lanes()
}
