/// Knobs of the homeostatic threshold of the learning phase (DESIGN.md §4): after every batch
/// each trainable layer's threshold moves toward keeping its firing rate at a target rate.
public struct AdaptiveThresholdSettings: Sendable, Equatable, Codable {
  /// Whether the thresholds adapt at all.
  public var enabled: Bool
  /// Step size eta of `thr += eta * (rate - target) / target` (per batch).
  public var rate: Float
  /// Lowest threshold allowed.
  public var lower: Float
  /// Highest threshold allowed.
  public var upper: Float

  public init(enabled: Bool = false, rate: Float = 0.01, lower: Float = 0.2, upper: Float = 2.0) {
    self.enabled = enabled
    self.rate = rate
    self.lower = lower
    self.upper = upper
  }
}

/// The per-layer homeostatic threshold controller. Our rule (Replay4NCL's is unpublished):
/// `thr_l <- clamp(thr_l + eta * (r_l - r*_l) / r*_l, lower, upper)`, where `r_l` is the layer's
/// mean firing rate (spikes per neuron per step) on the last batch and `r*_l` the rate it had
/// on the pretrained model. Firing above target raises the threshold, below lowers it; the
/// relative error keeps the step comparable between sparse and busy layers.
public struct AdaptiveThreshold: Sendable, Equatable {
  public var settings: AdaptiveThresholdSettings
  /// Target rate per hidden layer (nil or <= 0: that layer does not adapt).
  public var targetRates: [Double?]

  public init(settings: AdaptiveThresholdSettings, targetRates: [Double?]) {
    self.settings = settings
    self.targetRates = targetRates
  }

  /// The thresholds after one batch with observed `rates` (nil for layers that did not run);
  /// only layers flagged in `adapt` move.
  public func updated(thresholds: [Float], rates: [Double?], adapt: [Bool]) -> [Float] {
    guard settings.enabled else { return thresholds }
    var out = thresholds
    for l in out.indices where l < adapt.count && adapt[l] {
      guard l < rates.count, let r = rates[l], l < targetRates.count, let target = targetRates[l], target > 0 else { continue }
      let step = Double(settings.rate) * (r - target) / target
      out[l] = min(max(out[l] + Float(step), settings.lower), settings.upper)
    }
    return out
  }
}
