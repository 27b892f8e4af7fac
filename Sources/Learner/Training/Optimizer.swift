import Foundation

/// Which update rule an `Optimizer` applies.
public enum OptimizerKind: String, Sendable, Codable, CaseIterable {
  /// PyTorch Adamax (SpikingLR's choice).
  case adamax
  /// PyTorch Adam (no AMSGrad).
  case adam
}

/// Hyper-parameters of Adamax/Adam (PyTorch defaults, weight decay 0).
public struct OptimizerSettings: Sendable, Equatable, Codable {
  public var kind: OptimizerKind
  public var learningRate: Float
  public var beta1: Float
  public var beta2: Float
  public var epsilon: Float
  /// Decoupled weight decay (AdamW's `p -= lr * wd * p` before the update); 0 in SpikingLR.
  public var weightDecay: Float

  public init(
    kind: OptimizerKind = .adamax, learningRate: Float = 2e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0
  ) {
    self.kind = kind
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  private enum CodingKeys: String, CodingKey { case kind, learningRate, beta1, beta2, epsilon, weightDecay }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = OptimizerSettings()
    self.init(
      kind: try c.decodeIfPresent(OptimizerKind.self, forKey: .kind) ?? d.kind,
      learningRate: try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate,
      beta1: try c.decodeIfPresent(Float.self, forKey: .beta1) ?? d.beta1,
      beta2: try c.decodeIfPresent(Float.self, forKey: .beta2) ?? d.beta2,
      epsilon: try c.decodeIfPresent(Float.self, forKey: .epsilon) ?? d.epsilon,
      weightDecay: try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? 0)
  }
}

/// Adamax or Adam with per-parameter state (reference README §1.4, PyTorch definitions):
/// Adamax: `m = b1 m + (1-b1) g; u = max(b2 u, |g| + eps); p -= lr/(1-b1^k) m/u`.
/// Adam: `m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr/(1-b1^k) m/(sqrt(v)/sqrt(1-b2^k) + eps)`.
/// Each parameter counts its own steps k, so a parameter frozen for a while resumes correctly.
public final class Optimizer {
  /// Current settings; changing the learning rate keeps the moment state.
  public var settings: OptimizerSettings
  private var state: [String: (m: [Float], u: [Float], step: Int)] = [:]

  public init(_ settings: OptimizerSettings) {
    self.settings = settings
  }

  /// Forgets all moment estimates and step counts.
  public func reset() { state.removeAll() }

  /// Updates `values` of the parameter `name` in place with gradient `grad`.
  public func step(name: String, values: inout [Float], grad: UnsafePointer<Float>) {
    var st = state[name] ?? ([Float](repeating: 0, count: values.count), [Float](repeating: 0, count: values.count), 0)
    state[name] = nil  // keep the arrays uniquely referenced while mutating
    if st.m.count != values.count {  // the parameter was replaced by one of another shape: start afresh
      st = ([Float](repeating: 0, count: values.count), [Float](repeating: 0, count: values.count), 0)
    }
    st.step += 1
    let s = settings
    let b1 = s.beta1, b2 = s.beta2, eps = s.epsilon
    let k = Double(st.step)
    let stepSize = Float(Double(s.learningRate) / (1 - pow(Double(b1), k)))
    let n = values.count
    let decay = 1 - s.learningRate * s.weightDecay
    values.withUnsafeMutableBufferPointer { p in
      if s.weightDecay != 0 { for i in 0..<n { p[i] *= decay } }
      st.m.withUnsafeMutableBufferPointer { m in
        st.u.withUnsafeMutableBufferPointer { u in
          switch s.kind {
          case .adamax:
            for i in 0..<n {
              let g = grad[i]
              m[i] = b1 * m[i] + (1 - b1) * g
              u[i] = max(b2 * u[i], abs(g) + eps)
              p[i] -= stepSize * m[i] / u[i]
            }
          case .adam:
            let bias2 = Float((1 - pow(Double(b2), k)).squareRoot())
            for i in 0..<n {
              let g = grad[i]
              m[i] = b1 * m[i] + (1 - b1) * g
              u[i] = b2 * u[i] + (1 - b2) * g * g
              p[i] -= stepSize * m[i] / (u[i].squareRoot() / bias2 + eps)
            }
          }
        }
      }
    }
    state[name] = st
  }

  /// Array convenience for `step(name:values:grad:)`.
  public func step(name: String, values: inout [Float], grad: [Float]) {
    grad.withUnsafeBufferPointer { step(name: name, values: &values, grad: $0.baseAddress!) }
  }

  /// Applies one step to every parameter of `network` that has a gradient in `gradients`.
  public func step(_ network: inout Network, gradients: [(name: String, matrix: Matrix)]) throws {
    for g in gradients {
      var m = try network.parameter(g.name)
      guard m.rows == g.matrix.rows, m.cols == g.matrix.cols else {
        throw NetworkError.shapeMismatch(name: g.name, expected: (m.rows, m.cols), got: (g.matrix.rows, g.matrix.cols))
      }
      step(name: g.name, values: &m.values, grad: g.matrix.values)
      try network.setParameter(g.name, m)
    }
  }
}
