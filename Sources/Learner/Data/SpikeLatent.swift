/// Spike latents of hidden layer d (d >= 1) in event form: per step the units that fired,
/// ascending. This is the input format layer d + 1 consumes (its spike index), so replay decodes
/// straight into it and never expands the `[T][N]` zeros of a `LatentSample` (issue 8).
public struct SpikeLatent: Sendable, Equatable {
  /// Injection depth d >= 1 (spikes of hidden d).
  public var depth: Int
  /// Number of time steps T.
  public var timesteps: Int { didSet { builtWellFormed = false } }
  /// Units of hidden layer d.
  public var width: Int { didSet { builtWellFormed = false } }
  /// Units of step t are `units[stepOffsets[t] ..< stepOffsets[t + 1]]` (T + 1 offsets).
  public var stepOffsets: [Int32] { didSet { builtWellFormed = false } }
  /// The unit of each spike, ascending within a step.
  public var units: [Int32] { didSet { builtWellFormed = false } }
  /// Class id, or nil when unlabeled.
  public var label: Int?
  /// Set by the makers that build ascending in-range units by construction (the codecs' event
  /// decoders, the dense conversion), so the engine need not re-check every replayed batch;
  /// any change of the spikes clears it.
  private(set) var builtWellFormed = false

  public init(depth: Int, timesteps: Int, width: Int, stepOffsets: [Int32], units: [Int32], label: Int?) {
    self.init(depth: depth, timesteps: timesteps, width: width, stepOffsets: stepOffsets, units: units, label: label, wellFormedByConstruction: false)
  }

  init(depth: Int, timesteps: Int, width: Int, stepOffsets: [Int32], units: [Int32], label: Int?, wellFormedByConstruction: Bool) {
    precondition(depth >= 1, "spike latents start at depth 1")
    precondition(stepOffsets.count == timesteps + 1 && Int(stepOffsets[timesteps]) == units.count)
    self.depth = depth
    self.timesteps = timesteps
    self.width = width
    self.stepOffsets = stepOffsets
    self.units = units
    self.label = label
    builtWellFormed = wellFormedByConstruction
  }

  public static func == (a: SpikeLatent, b: SpikeLatent) -> Bool {
    a.depth == b.depth && a.timesteps == b.timesteps && a.width == b.width && a.stepOffsets == b.stepOffsets
      && a.units == b.units && a.label == b.label
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
    self.init(
      depth: latent.depth, timesteps: latent.timesteps, width: n, stepOffsets: offsets, units: units, label: latent.label,
      wellFormedByConstruction: true)
  }

  /// Whether offsets are non-decreasing and every step's units are ascending ids below `width`
  /// (what the engine's spike index relies on).
  public var isWellFormed: Bool {
    if builtWellFormed { return true }
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
