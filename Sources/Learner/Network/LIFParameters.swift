import Foundation

/// Constants of a current-based LIF neuron (Norse style: parameters apart from state).
///
/// Per step t (reference README §1.2): `s[t] = H(mem[t] - threshold)`,
/// `syn[t+1] = alpha syn[t] + h[t]`, `mem[t+1] = (beta mem[t] + syn[t]) (1 - s[t])`, the reset
/// factor detached; backward `dH/du = 1 / (surrogateScale |u| + 1)^2` (SuperSpike fast sigmoid).
public struct LIFParameters: Sendable, Equatable, Codable {
  /// Synaptic decay per step, `exp(-dt / tauSyn)`.
  public var alpha: Float
  /// Membrane decay per step, `exp(-dt / tauMem)`.
  public var beta: Float
  /// Firing threshold (continual learning lowers or adapts it).
  public var threshold: Float
  /// Steepness of the surrogate derivative.
  public var surrogateScale: Float

  public init(alpha: Float, beta: Float, threshold: Float = 1, surrogateScale: Float = 100) {
    self.alpha = alpha
    self.beta = beta
    self.threshold = threshold
    self.surrogateScale = surrogateScale
  }

  /// From time constants in seconds (decays computed in Double, then rounded once to Float).
  public init(tauSyn: Double, tauMem: Double, dt: Double, threshold: Float = 1, surrogateScale: Float = 100) {
    self.init(
      alpha: Float(exp(-dt / tauSyn)), beta: Float(exp(-dt / tauMem)), threshold: threshold,
      surrogateScale: surrogateScale)
  }

  /// The surrogate derivative `1 / (scale |u| + 1)^2` at `u = mem - threshold`.
  @inlinable public func surrogate(_ u: Float) -> Float {
    let d = surrogateScale * abs(u) + 1
    return 1 / (d * d)
  }
}
