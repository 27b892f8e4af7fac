/// The layer sizes the operation model needs: input -> recurrent LIF hidden layers -> leaky readout.
public struct SpikingNetworkShape: Sendable, Equatable, Codable {
  public var inputs: Int
  public var hidden: [Int]
  public var classes: Int
  public var recurrent: Bool

  public init(inputs: Int, hidden: [Int], classes: Int, recurrent: Bool = true) {
    self.inputs = inputs
    self.hidden = hidden
    self.classes = classes
    self.recurrent = recurrent
  }

  /// SpikingLR's 700-200-100-50 recurrent network with 20 classes.
  public static let spikingLR = SpikingNetworkShape(inputs: 700, hidden: [200, 100, 50], classes: 20)
}

/// Activity the network reports for a batch (or a whole pass): counts summed over steps and samples.
public struct ActivityCounts: Sendable, Equatable, Codable {
  public var samples: Int
  public var timesteps: Int
  /// Input events: sum of the binned input counts (each spike of a channel adds a row of W1).
  public var inputEvents: Int
  /// Spikes of each hidden layer.
  public var hiddenSpikes: [Int]

  public init(samples: Int, timesteps: Int, inputEvents: Int, hiddenSpikes: [Int]) {
    self.samples = samples
    self.timesteps = timesteps
    self.inputEvents = inputEvents
    self.hiddenSpikes = hiddenSpikes
  }
}

/// Why operations could not be counted.
public enum OperationModelError: Error, Equatable, CustomStringConvertible {
  /// The activity lists a different number of hidden layers than the shape.
  case layerCountMismatch(shape: Int, activity: Int)
  /// The injection depth is outside 0...hidden layers.
  case depthOutOfRange(depth: Int, layers: Int)

  public var description: String {
    switch self {
    case .layerCountMismatch(let s, let a): return "operation model: shape has \(s) hidden layers, activity \(a)"
    case .depthOutOfRange(let d, let l): return "operation model: injection depth \(d) outside 0...\(l)"
    }
  }
}

/// Operation counts of the DESIGN.md §3 network. Layer k (1-based) receives
/// `h[t] = x[t] W_k + s_k[t-1] V_k` and updates two state variables per neuron and step.
///
/// Forward, with injection depth d (nil = a full pass from the input):
/// - W_k: accumulates = spikes of layer k-1 x N_k (spikes of layer 0 = input events); skipped
///   for k <= d, and for k = 1 when d = 0 (the replayed latent is the current `x W_1` itself);
/// - V_k: accumulates = spikes of layer k x N_k, for every layer that runs (k > d, or all if d = 0);
/// - state: 2 MACs per neuron and step (readout too), for every layer that runs;
/// - readout: accumulates = spikes of the last hidden layer x classes.
///
/// Backward (BPTT of one training step), over the trainable layers (above d; for d = 0 V_1
/// trains but W_1 is frozen, as in SpikingLR):
/// - state: 4 MACs per neuron and step (surrogate, two recurrences, reset mask), readout 2;
/// - weight gradients are spike-driven: accumulates = presynaptic spikes x N_k for W_k and V_k;
/// - error propagation is dense: MACs = T x B x N_in x N_k through W_k when the layer below
///   trains, and T x B x N_k x N_k through V_k.
public enum NetworkOperationModel {
  public static func forward(
    shape: SpikingNetworkShape, activity a: ActivityCounts, injectionDepth d: Int? = nil,
    into counter: inout SynapticOperationCounter
  ) throws {
    try validate(shape, a, d)
    let steps = a.timesteps * a.samples
    let sizes = [shape.inputs] + shape.hidden
    let spikes = [a.inputEvents] + a.hiddenSpikes
    for k in 1...shape.hidden.count where runs(k, d) {
      let name = "hidden\(k)"
      if !(d == 0 && k == 1) {
        counter.addAccumulates(layer: name, presynapticEvents: spikes[k - 1], fanOut: sizes[k])
      }
      if shape.recurrent { counter.addAccumulates(layer: name, presynapticEvents: spikes[k], fanOut: sizes[k]) }
      counter.add(OperationCounts(macs: 2 * sizes[k] * steps), layer: name)
    }
    let last = shape.hidden.count
    counter.addAccumulates(layer: "readout", presynapticEvents: spikes[last], fanOut: shape.classes)
    counter.add(OperationCounts(macs: 2 * shape.classes * steps), layer: "readout")
  }

  public static func backward(
    shape: SpikingNetworkShape, activity a: ActivityCounts, injectionDepth d: Int? = nil,
    into counter: inout SynapticOperationCounter
  ) throws {
    try validate(shape, a, d)
    let steps = a.timesteps * a.samples
    let sizes = [shape.inputs] + shape.hidden
    let spikes = [a.inputEvents] + a.hiddenSpikes
    let last = shape.hidden.count
    // Readout: weight gradient, state recurrences, error into the last hidden layer.
    counter.addAccumulates(layer: "readout", presynapticEvents: spikes[last], fanOut: shape.classes)
    counter.add(OperationCounts(macs: 2 * shape.classes * steps), layer: "readout")
    if trains(last, d) {
      counter.add(OperationCounts(macs: steps * shape.classes * sizes[last]), layer: "readout")
    }
    for k in 1...last where trains(k, d) {
      let name = "hidden\(k)"
      counter.add(OperationCounts(macs: 4 * sizes[k] * steps), layer: name)
      if feedForwardTrains(k, d) {
        counter.addAccumulates(layer: name, presynapticEvents: spikes[k - 1], fanOut: sizes[k])
      }
      if k > 1, trains(k - 1, d) {
        counter.add(OperationCounts(macs: steps * sizes[k - 1] * sizes[k]), layer: name)
      }
      if shape.recurrent {
        counter.addAccumulates(layer: name, presynapticEvents: spikes[k], fanOut: sizes[k])
        counter.add(OperationCounts(macs: steps * sizes[k] * sizes[k]), layer: name)
      }
    }
  }

  /// Layer k runs in a pass that starts at depth d.
  static func runs(_ k: Int, _ d: Int?) -> Bool { d.map { k > $0 || $0 == 0 } ?? true }
  /// Layer k has trainable weights (W_k or V_k) above depth d.
  static func trains(_ k: Int, _ d: Int?) -> Bool { runs(k, d) }
  /// W_k trains: frozen for k <= d and for W_1 when d = 0.
  static func feedForwardTrains(_ k: Int, _ d: Int?) -> Bool { d.map { k > max($0, 1) } ?? true }

  private static func validate(_ s: SpikingNetworkShape, _ a: ActivityCounts, _ d: Int?) throws {
    guard a.hiddenSpikes.count == s.hidden.count, !s.hidden.isEmpty else {
      throw OperationModelError.layerCountMismatch(shape: s.hidden.count, activity: a.hiddenSpikes.count)
    }
    if let d, !(0...s.hidden.count).contains(d) {
      throw OperationModelError.depthOutOfRange(depth: d, layers: s.hidden.count)
    }
  }
}
