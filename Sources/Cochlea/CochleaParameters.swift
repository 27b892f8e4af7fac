import Foundation

/// Every constant of the cochlea model in one value: filterbank range and gain, the Meddis hair
/// cell (lauscher 1.0.1 defaults) and the bushy cell with its 40 converging fibres.
public struct CochleaParameters: Sendable, Equatable {
  /// Audio sample rate the cochlea accepts (Hz); the model runs at half of it.
  public var inputRate: Double = 48_000
  /// Number of filterbank channels; channel 0 is the highest frequency (as in SHD).
  public var channelCount: Int = 700
  /// Lowest and highest centre frequency (Hz), ERB-spaced in between.
  public var lowestFrequency: Double = 20
  public var highestFrequency: Double = 10_000
  /// Peak gain of the gammatone channel at 1 kHz. lauscher's basilar membrane gives a velocity
  /// peak of ~72 for a 0.3-RMS 1 kHz tone, i.e. a gain of 170 (`lauscherToneGain`); but its
  /// transmission line spreads a tone over many more channels than a gammatone does, and with
  /// 170 synthesised speech gives half the spikes of SHD-like data. 450 with `gainSlope` 0.25
  /// matches the spike count and per-channel rate profile of the development set.
  public var filterGain: Double = 450
  /// Peak gain grows as (fc / 1 kHz)^gainSlope (basilar-membrane velocity rises with frequency
  /// for equal displacement). 0 = flat.
  public var gainSlope: Double = 0.25
  /// The gain at which a 0.3-RMS 1 kHz tone peaks at ~72, as in lauscher.
  public static let lauscherToneGain = 170.0
  /// RMS a whole clip is normalised to before the Hann taper (lauscher `Wave2Spike`).
  public var targetRMS: Double = 0.3
  public var hairCell = MeddisParameters()
  public var bushyCell = BushyParameters()

  public init() {}

  /// The rate of the filterbank, hair cell and bushy cell: input rate / 2 (24 kHz).
  public var modelRate: Double { inputRate / 2 }
}

/// Meddis (1986/1988) inner hair cell constants, lauscher 1.0.1 defaults (reference README §2.1).
public struct MeddisParameters: Sendable, Equatable {
  public var y = 5.05, g = 2000.0, l = 2500.0, r = 6580.0, x = 66.3
  public var a = 5.0, b = 300.0, h = 50_000.0, m = 1.0
  public init() {}

  /// Resting state (c, q, w) of a channel in silence.
  public var restingState: (c: Double, q: Double, w: Double) {
    let kt0 = g * a / (a + b)
    let c = m * y * kt0 / (l * kt0 + y * (l + r))
    let q = c * (l + r) / kt0
    let w = c * r / x
    return (c, q, w)
  }
}

/// Bushy cell: `fibres` auditory-nerve fibres (Bernoulli per sample, refractory) converging on one
/// current-based LIF cell (lauscher 1.0.1 `BushyCell`, reference README §2.2-2.3).
public struct BushyParameters: Sendable, Equatable {
  public var fibres = 40
  public var tauMem = 1e-3, tauSyn = 5e-4, tauRefrac = 1e-3
  /// Total weight of all fibres; each fibre spike adds `totalWeight / fibres` times dt.
  public var totalWeight = 13e3
  public init() {}
}
