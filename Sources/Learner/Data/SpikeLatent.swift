/// Spike latents of hidden layer d (d >= 1) in event form: per step the units that fired,
/// ascending. This is the input format layer d + 1 consumes (its spike index), so replay decodes
/// straight into it and never expands the `[T][N]` zeros of a `LatentSample` (issue 8).
public struct SpikeLatent: Sendable, Equatable {
  /// Injection depth d >= 1 (spikes of hidden d).
  public var depth: Int
  /// Number of time steps T.
  public var timesteps: Int
  /// Units of hidden layer d.
  public var width: Int
  /// Units of step t are `units[stepOffsets[t] ..< stepOffsets[t + 1]]` (T + 1 offsets).
  public var stepOffsets: [Int32]
  /// The unit of each spike, ascending within a step.
  public var units: [Int32]
  /// Class id, or nil when unlabeled.
  public var label: Int?

  public init(depth: Int, timesteps: Int, width: Int, stepOffsets: [Int32], units: [Int32], label: Int?) {
    precondition(depth >= 1, "spike latents start at depth 1")
    precondition(stepOffsets.count == timesteps + 1 && Int(stepOffsets[timesteps]) == units.count)
    self.depth = depth
    self.timesteps = timesteps
    self.width = width
    self.stepOffsets = stepOffsets
    self.units = units
    self.label = label
  }

  /// The event form of a spike latent (d >= 1): every non-zero entry is a spike.
  public init(_ latent: LatentSample) {
    precondition(latent.depth >= 1, "depth-0 latents are currents, not spikes")
    let n = latent.width
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(latent.timesteps + 1)
    var units: [Int32] = []
    for t in 0..<latent.timesteps {
      for u in 0..<n where latent.values[t * n + u] != 0 { units.append(Int32(u)) }
      offsets.append(Int32(units.count))
    }
    self.init(depth: latent.depth, timesteps: latent.timesteps, width: n, stepOffsets: offsets, units: units, label: latent.label)
  }

  /// Whether offsets are non-decreasing and every step's units are ascending ids below `width`
  /// (what the engine's spike index relies on).
  public var isWellFormed: Bool {
    guard stepOffsets.count == timesteps + 1, stepOffsets.first == 0 else { return false }
    return stepOffsets.withUnsafeBufferPointer { so in
      units.withUnsafeBufferPointer { u in
        for t in 0..<timesteps {
          let lo = Int(so[t]), hi = Int(so[t + 1])
          guard lo <= hi, hi <= u.count else { return false }
          var previous: Int32 = -1
          for k in lo..<hi {
            guard u[k] > previous, u[k] < width else { return false }
            previous = u[k]
          }
        }
        return true
      }
    }
  }

  /// Number of spikes.
  public var spikeCount: Int { units.count }

  /// The dense `[T][N]` 0/1 form.
  public var dense: LatentSample {
    var values = [Float](repeating: 0, count: timesteps * width)
    for t in 0..<timesteps {
      for k in Int(stepOffsets[t])..<Int(stepOffsets[t + 1]) { values[t * width + Int(units[k])] = 1 }
    }
    return LatentSample(depth: depth, timesteps: timesteps, width: width, values: values, label: label)
  }
}
