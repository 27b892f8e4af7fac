/// A recurrent spiking network (hidden LIF layers plus a leaky readout) with its weights.
/// A value type: copying it snapshots the model (arrays are copy-on-write).
///
/// Parameters are named `W1, V1, W2, V2, ..., Wout` (V only for recurrent layers) in that order;
/// `namedParameters` and `setParameter(_:_:)` expose them for storage and optimizers.
public struct Network: Sendable, Equatable {
  /// The configuration; its `thresholds` always equal the layers' thresholds.
  public private(set) var config: NetworkConfig
  /// Hidden layers, input side first.
  public private(set) var layers: [RecurrentLIFLayer]
  /// The readout.
  public private(set) var readout: LeakyReadout

  /// Builds a network with every matrix ~ N(0, (0.2 / sqrt(fan_in))^2), fan_in = rows, drawn in
  /// parameter-name order from `SeededGenerator(seed: config.seed)`.
  public init(config: NetworkConfig) throws {
    try config.validate()
    self.config = config
    var rng = SeededGenerator(seed: config.seed)
    func draw(_ rows: Int, _ cols: Int) -> Matrix {
      let std = 0.2 / Double(rows).squareRoot()
      var values = [Float](repeating: 0, count: rows * cols)
      for i in values.indices { values[i] = Float(rng.nextGaussian() * std) }
      return Matrix(rows: rows, cols: cols, values: values)
    }
    var layers: [RecurrentLIFLayer] = []
    for l in 0..<config.hiddenLayerCount {
      let w = draw(config.sizes[l], config.sizes[l + 1])
      let v = config.recurrent[l] ? draw(config.sizes[l + 1], config.sizes[l + 1]) : nil
      layers.append(RecurrentLIFLayer(weight: w, recurrent: v, parameters: config.lifParameters(layer: l)))
    }
    self.layers = layers
    let p = config.lifParameters(layer: 0)
    readout = LeakyReadout(
      weight: draw(config.sizes[config.hiddenLayerCount], config.classCount), alpha: p.alpha, beta: p.beta)
  }

  /// Number of hidden layers L.
  public var hiddenLayerCount: Int { layers.count }

  /// Parameter names in canonical order, e.g. `["W1", "V1", "W2", "V2", "W3", "V3", "Wout"]`.
  public var parameterNames: [String] {
    var names: [String] = []
    for (l, layer) in layers.enumerated() {
      names.append("W\(l + 1)")
      if layer.isRecurrent { names.append("V\(l + 1)") }
    }
    names.append("Wout")
    return names
  }

  /// All parameters by name, in canonical order.
  public var namedParameters: [(name: String, matrix: Matrix)] {
    var out: [(name: String, matrix: Matrix)] = []
    for (l, layer) in layers.enumerated() {
      out.append(("W\(l + 1)", layer.weight))
      if let v = layer.recurrent { out.append(("V\(l + 1)", v)) }
    }
    out.append(("Wout", readout.weight))
    return out
  }

  /// The parameter called `name`.
  public func parameter(_ name: String) throws -> Matrix {
    guard let m = namedParameters.first(where: { $0.name == name })?.matrix else {
      throw NetworkError.unknownParameter(name: name, known: parameterNames)
    }
    return m
  }

  /// Replaces the parameter called `name`; its shape must match.
  public mutating func setParameter(_ name: String, _ matrix: Matrix) throws {
    let current = try parameter(name)
    guard current.rows == matrix.rows, current.cols == matrix.cols else {
      throw NetworkError.shapeMismatch(name: name, expected: (current.rows, current.cols), got: (matrix.rows, matrix.cols))
    }
    if name == "Wout" {
      readout.weight = matrix
    } else {
      let l = Int(name.dropFirst())! - 1
      if name.hasPrefix("W") { layers[l].weight = matrix } else { layers[l].recurrent = matrix }
    }
  }

  /// Replaces several parameters (e.g. all of them from a checkpoint); checks every name and shape first.
  public mutating func setParameters(_ parameters: [(name: String, matrix: Matrix)]) throws {
    var copy = self
    for p in parameters { try copy.setParameter(p.name, p.matrix) }
    self = copy
  }

  /// Firing threshold per hidden layer (continual learning lowers or adapts them).
  public var thresholds: [Float] {
    get { layers.map { $0.parameters.threshold } }
    set {
      precondition(newValue.count == layers.count, "one threshold per hidden layer")
      for l in layers.indices { layers[l].parameters.threshold = newValue[l] }
      config.thresholds = newValue
    }
  }

  /// Firing rate (spikes per neuron per step) of hidden layer `layer` that fired `spikes` over `samples` samples.
  public func firingRate(spikes: Double, layer: Int, samples: Int) -> Double {
    spikes / (Double(max(samples, 1)) * Double(config.timesteps) * Double(layers[layer].outputCount))
  }

  /// Width of the latent at depth d: hidden 1 for d = 0 (its input currents), hidden d otherwise.
  public func latentWidth(depth: Int) -> Int { layers[max(depth, 1) - 1].outputCount }

  /// Mutable access to a parameter's values by canonical index (optimizer use).
  mutating func withParameterValues<R>(at index: Int, _ body: (inout [Float]) -> R) -> R {
    var i = 0
    for l in layers.indices {
      if i == index { return body(&layers[l].weight.values) }
      i += 1
      if layers[l].recurrent != nil {
        if i == index { return body(&layers[l].recurrent!.values) }
        i += 1
      }
    }
    precondition(i == index, "parameter index out of range")
    return body(&readout.weight.values)
  }
}
