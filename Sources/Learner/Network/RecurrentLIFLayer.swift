/// A hidden layer of current-based LIF neurons that owns its weights: feed-forward `weight`
/// `[Nin][Nout]` and optional recurrent `recurrent` `[Nout][Nout]`, no bias.
/// Input current per step: `h[t] = x[t] W + s[t-1] V` (row-vector convention).
public struct RecurrentLIFLayer: Sendable, Equatable {
  /// Feed-forward weights W, `[inputCount][outputCount]`.
  public var weight: Matrix
  /// Recurrent weights V, `[outputCount][outputCount]`, or nil for a feed-forward layer.
  public var recurrent: Matrix?
  /// Neuron constants (the threshold lives here).
  public var parameters: LIFParameters

  public init(weight: Matrix, recurrent: Matrix?, parameters: LIFParameters) {
    precondition(recurrent == nil || (recurrent!.rows == weight.cols && recurrent!.cols == weight.cols))
    self.weight = weight
    self.recurrent = recurrent
    self.parameters = parameters
  }

  public var inputCount: Int { weight.rows }
  public var outputCount: Int { weight.cols }
  public var isRecurrent: Bool { recurrent != nil }
}
