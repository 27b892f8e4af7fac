/// The activity of one sample at an injection depth d, stored for latent replay:
/// d = 0: input currents of hidden layer 1 (`x W1`, floats); d = k >= 1: spikes of hidden layer k
/// (0/1). Values are `[T][width]`, time-major, row-major.
public struct LatentSample: Sendable, Equatable {
  /// Injection depth d (0 = currents of hidden 1, k = spikes of hidden k).
  public var depth: Int
  /// Number of time steps T.
  public var timesteps: Int
  /// Units per step (N of hidden layer max(d, 1)).
  public var width: Int
  /// `[T][width]` values.
  public var values: [Float]
  /// Class id, or nil when unlabeled.
  public var label: Int?

  public init(depth: Int, timesteps: Int, width: Int, values: [Float], label: Int?) {
    precondition(values.count == timesteps * width, "latent needs \(timesteps * width) values, got \(values.count)")
    self.depth = depth
    self.timesteps = timesteps
    self.width = width
    self.values = values
    self.label = label
  }
}
