import Foundation

/// Streaming 2:1 decimator with a linear-phase FIR anti-alias filter (windowed sinc, Blackman,
/// 65 taps, cutoff 0.45 of the output Nyquist... i.e. 10.8 kHz at 48 kHz in, 24 kHz out).
/// Keeps the last `taps - 1` input samples and the input parity between chunks, so chunked and
/// whole-signal decimation give bit-identical output. Delay: 32 input samples (0.67 ms).
struct Decimator: Sendable {
  let taps: [Float]
  private var history: [Float]
  /// Number of input samples consumed so far (its parity picks which inputs produce output).
  private var consumed = 0

  init(cutoff: Double = 0.225, length: Int = 65) {
    var h = [Double]()
    let mid = Double(length - 1) / 2
    for i in 0..<length {
      let t = Double(i) - mid
      let sinc = t == 0 ? 2 * cutoff : sin(2 * Double.pi * cutoff * t) / (Double.pi * t)
      let x = 2 * Double.pi * Double(i) / Double(length - 1)
      let window = 0.42 - 0.5 * cos(x) + 0.08 * cos(2 * x)
      h.append(sinc * window)
    }
    let sum = h.reduce(0, +)
    taps = h.map { Float($0 / sum) }
    history = [Float](repeating: 0, count: length - 1)
  }

  /// Filters and decimates one chunk; returns the output samples it completes.
  mutating func process(_ chunk: UnsafeBufferPointer<Float>) -> [Float] {
    let n = taps.count
    var buffer = history
    buffer.append(contentsOf: chunk)
    var out = [Float]()
    out.reserveCapacity(chunk.count / 2 + 1)
    buffer.withUnsafeBufferPointer { x in
      taps.withUnsafeBufferPointer { h in
        // Input i of the chunk sits at x[n - 1 + i]; output when the global index is even.
        var i = consumed % 2 == 0 ? 0 : 1
        while i < chunk.count {
          let end = n - 1 + i
          var acc: Float = 0
          for j in 0..<n { acc += h[j] * x[end &- j] }
          out.append(acc)
          i += 2
        }
      }
    }
    consumed += chunk.count
    history = Array(buffer.suffix(n - 1))
    return out
  }
}
