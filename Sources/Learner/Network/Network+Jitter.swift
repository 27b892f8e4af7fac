/// A rounding-level change of the initial weights, for asking whether a run's outcome is chance:
/// SpikingLR's recipe amplifies float32 rounding (Adamax moves every parameter with a nonzero
/// gradient by about the learning rate from its first step), so runs that differ only here part ways.
extension Network {
  /// One float32 rounding step, 2^-23.
  public static let floatRounding = 0x1p-23

  /// Scales every weight w to `Float(Double(w) * (1 + relative * n))`, n ~ N(0, 1) drawn in
  /// parameter-name order (row-major) from `SeededGenerator(seed: seed)`.
  /// `Benchmarks/pytorch/perturbed_seed.py` applies the same change to the PyTorch twin.
  public mutating func jitterWeights(relative: Double = Network.floatRounding, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    for index in parameterNames.indices {
      withParameterValues(at: index) { values in
        for i in values.indices { values[i] = Float(Double(values[i]) * (1 + relative * rng.nextGaussian())) }
      }
    }
  }
}
