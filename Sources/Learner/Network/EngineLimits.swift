/// Upper bounds on what a configuration, recipe or setting may ask of the engine. They sit far
/// above any real SHD network, and keep every size product the engine forms (weights, T × B ×
/// width activations, batch counts) inside Int, so an absurd value is a named error, not a trap.
public enum EngineLimits {
  /// Time bins T (SHD nets use 40-100).
  public static let timesteps = 100_000
  /// Neurons in one layer, and inputs after pooling.
  public static let layerSize = 65_536
  /// Weights of a whole network (feed-forward and recurrent): 2^28, 1 GiB of Float.
  public static let weights = 1 << 28
  /// Samples in one minibatch.
  public static let batch = 65_536
  /// Epochs of one training run.
  public static let epochs = 1_000_000
  /// Values of one T × batch × widest-layer activation tensor: 2^30, 4 GiB of Float (each
  /// factor within its own limit can still multiply past what a machine holds).
  public static let activations = 1 << 30
  /// Training speakers held out, sensor channels summed per input, and similar small counts.
  public static let count = 65_536

  /// The weights of a network with `sizes` (inputs, hidden..., classes) and `recurrent` flags, or
  /// nil when a size is outside 1...`layerSize` (the product would not be meaningful).
  public static func weightCount(sizes: [Int], recurrent: [Bool]) -> Int? {
    guard sizes.allSatisfy({ (1...layerSize).contains($0) }) else { return nil }
    var total = 0
    for l in 0..<(sizes.count - 1) {
      total += sizes[l] * sizes[l + 1]
      if l < recurrent.count, recurrent[l] { total += sizes[l + 1] * sizes[l + 1] }
    }
    return total
  }

  /// Samples per evaluation chunk for a network of `sizes` at `timesteps`: `preferred`, or
  /// fewer so that the chunk's forward workspace (per sample, T × (4 × the hidden widths +
  /// 2 × the classes) values: currents, spikes, surrogates and spike gradients per hidden
  /// layer, readout drive and output) stays within `activations`. A config that passes
  /// `NetworkConfig.validate` with T = 100,000 aborted evaluation allocating 2.56e9 floats in
  /// chunks of 256. Throws `invalidConfig` when one sample alone is over the limit. Chunking
  /// does not change results: every sample's forward pass is its own.
  public static func evaluationBatch(timesteps: Int, sizes: [Int], preferred: Int = 256) throws -> Int {
    let hidden = sizes.dropFirst().dropLast().reduce(0, +)
    let (perSample, overflow) = timesteps.multipliedReportingOverflow(by: 4 * hidden + 2 * (sizes.last ?? 0))
    guard !overflow, perSample <= activations else {
      throw NetworkError.invalidConfig(
        field: "timesteps",
        reason: "one sample's evaluation needs \(perSample) values (T \(timesteps) × the layer widths), more than \(activations): lower timesteps")
    }
    return max(1, min(preferred, activations / max(perSample, 1)))
  }

  /// The values of one T × `batch` × widest activation tensor, for factors within their limits.
  public static func activationCount(timesteps: Int, batch: Int, sizes: [Int]) -> Int {
    timesteps * batch * (sizes.max() ?? 0)
  }
}
