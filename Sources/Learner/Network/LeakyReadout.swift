/// The non-spiking leaky readout (reference README §1.3): `flt[t+1] = alpha flt[t] + s[t] Wout`,
/// `out[t+1] = beta out[t] + flt[t]`, logits = max over t = 0...T of out.
public struct LeakyReadout: Sendable, Equatable {
  /// Readout weights Wout, `[N_L][classes]`.
  public var weight: Matrix
  /// Filter decay (same alpha as the hidden synapses).
  public var alpha: Float
  /// Output decay (same beta as the hidden membranes).
  public var beta: Float

  public init(weight: Matrix, alpha: Float, beta: Float) {
    self.weight = weight
    self.alpha = alpha
    self.beta = beta
  }

  public var inputCount: Int { weight.rows }
  public var classCount: Int { weight.cols }
}
