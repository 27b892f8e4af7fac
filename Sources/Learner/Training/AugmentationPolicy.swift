/// Random event-level augmentation for training (issue 9's levers): each sample, each epoch,
/// gets its own `EventJitter` drawn uniformly within these bounds. Deterministic per
/// (seed, epoch, sample index), so a run repeats exactly whatever the thread count.
public struct AugmentationPolicy: Sendable, Equatable, Codable {
  /// Largest time shift in seconds (drawn in ±timeShift).
  public var timeShift: Double
  /// Largest relative stretch (factor drawn in 1 ± stretch).
  public var stretch: Double
  /// Largest channel shift (drawn in ±channelShift).
  public var channelShift: Int
  /// Probability of dropping each event.
  public var dropout: Double

  public init(timeShift: Double = 0, stretch: Double = 0, channelShift: Int = 0, dropout: Double = 0) {
    self.timeShift = timeShift
    self.stretch = stretch
    self.channelShift = channelShift
    self.dropout = dropout
  }

  /// True when every lever is off.
  public var isIdentity: Bool { timeShift == 0 && stretch == 0 && channelShift == 0 && dropout == 0 }

  /// The jitter of sample `index` in `epoch` of a run seeded with `seed`.
  public func jitter(seed: UInt64, epoch: Int, index: Int) -> EventJitter {
    var g = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(truncatingIfNeeded: index) &* 0xC2B2_AE3D_27D4_EB4F))
    let shift = timeShift > 0 ? Double.random(in: -timeShift...timeShift, using: &g) : 0
    let factor = stretch > 0 ? Double.random(in: (1 - stretch)...(1 + stretch), using: &g) : 1
    let channels = channelShift > 0 ? Int.random(in: -channelShift...channelShift, using: &g) : 0
    return EventJitter(timeShift: shift, stretch: factor, channelShift: channels, dropout: dropout, seed: g.next())
  }

  /// Throws a `TrainingRecipeError` naming the first bad bound.
  public func validate() throws {
    guard timeShift >= 0, timeShift <= 1_000 else { throw TrainingRecipeError.invalid(field: "augmentation.time_shift", reason: "must be in 0...1000 seconds, got \(timeShift)") }
    guard stretch >= 0, stretch < 1 else { throw TrainingRecipeError.invalid(field: "augmentation.stretch", reason: "must be in [0, 1), got \(stretch)") }
    guard (0...EngineLimits.layerSize).contains(channelShift) else { throw TrainingRecipeError.invalid(field: "augmentation.channel_shift", reason: "must be in 0...\(EngineLimits.layerSize), got \(channelShift)") }
    guard dropout >= 0, dropout < 1 else { throw TrainingRecipeError.invalid(field: "augmentation.dropout", reason: "must be in [0, 1), got \(dropout)") }
  }

  private enum CodingKeys: String, CodingKey {
    case timeShift = "time_shift", stretch, channelShift = "channel_shift", dropout
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      timeShift: try c.decodeIfPresent(Double.self, forKey: .timeShift) ?? 0,
      stretch: try c.decodeIfPresent(Double.self, forKey: .stretch) ?? 0,
      channelShift: try c.decodeIfPresent(Int.self, forKey: .channelShift) ?? 0,
      dropout: try c.decodeIfPresent(Double.self, forKey: .dropout) ?? 0)
  }
}
