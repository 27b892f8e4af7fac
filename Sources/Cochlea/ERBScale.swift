import Foundation

/// Glasberg & Moore (1990) equivalent rectangular bandwidth scale, used to space the gammatone
/// channels evenly along the cochlea.
public enum ERBScale {
  /// ERB of the auditory filter centred at `frequency` Hz: 24.7 (4.37 f/1000 + 1).
  public static func bandwidth(_ frequency: Double) -> Double { 24.7 * (4.37e-3 * frequency + 1) }
  /// ERB number (Cam) of a frequency: 21.4 log10(4.37 f/1000 + 1).
  public static func number(_ frequency: Double) -> Double { 21.4 * log10(4.37e-3 * frequency + 1) }
  /// Inverse of `number`.
  public static func frequency(number e: Double) -> Double { (pow(10, e / 21.4) - 1) / 4.37e-3 }

  /// `count` centre frequencies from `high` down to `low`, evenly spaced in ERB number
  /// (index 0 = highest frequency, as SHD's channel 0).
  public static func centreFrequencies(count: Int, low: Double, high: Double) -> [Double] {
    precondition(count >= 2 && low > 0 && high > low)
    let e0 = number(high), e1 = number(low)
    return (0..<count).map { frequency(number: e0 + (e1 - e0) * Double($0) / Double(count - 1)) }
  }
}
