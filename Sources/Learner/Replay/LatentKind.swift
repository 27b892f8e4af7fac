/// The two kinds of latent an injection depth holds.
public enum LatentKind: String, Sendable, Codable, CaseIterable {
  /// Binary spikes of hidden layer d (d >= 1).
  case spikes
  /// Float32 input currents of hidden layer 1 (d = 0; SpikingLR stores `x W1` there).
  case currents

  /// The kind stored at injection depth `depth`.
  public init(depth: Int) { self = depth == 0 ? .currents : .spikes }
}
