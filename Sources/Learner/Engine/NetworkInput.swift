/// What a batch feeds into the network, and so where the forward pass starts.
public enum NetworkInput: Sendable {
  /// Binned input spikes: the event-driven input layer runs, then every hidden layer.
  case binned([BinnedSample])
  /// Latents at one injection depth d (all samples the same d): d = 0 gives the input currents of
  /// hidden 1 (W1 is skipped), d = k gives the spikes of hidden k (only layers above k run).
  case latents([LatentSample])
  /// Spike latents (d >= 1) in event form: as `.latents` of their dense form, without the zeros.
  case spikes([SpikeLatent])

  /// Number of samples.
  public var count: Int {
    switch self {
    case .binned(let s): return s.count
    case .latents(let s): return s.count
    case .spikes(let s): return s.count
    }
  }

  /// Labels of all samples; throws if one is missing or out of range.
  func labels(classCount: Int) throws -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(count)
    for i in 0..<count {
      let label: Int?
      switch self {
      case .binned(let s): label = s[i].label
      case .latents(let s): label = s[i].label
      case .spikes(let s): label = s[i].label
      }
      guard let l = label else { throw NetworkError.missingLabel(index: i) }
      guard l >= 0, l < classCount else { throw NetworkError.labelOutOfRange(index: i, label: l, classCount: classCount) }
      out.append(l)
    }
    return out
  }

  /// The samples at `indices`, in that order, as an input of the same kind.
  func selecting(_ indices: [Int]) -> NetworkInput {
    switch self {
    case .binned(let s): return .binned(indices.map { s[$0] })
    case .latents(let s): return .latents(indices.map { s[$0] })
    case .spikes(let s): return .spikes(indices.map { s[$0] })
    }
  }

  /// The samples `range` as an input of the same kind.
  func slice(_ range: Range<Int>) -> NetworkInput {
    switch self {
    case .binned(let s): return .binned(Array(s[range]))
    case .latents(let s): return .latents(Array(s[range]))
    case .spikes(let s): return .spikes(Array(s[range]))
    }
  }
}

/// Which layers learn: one flag per hidden layer (input side first) plus the readout. Frozen
/// layers get no gradient and no optimizer step; the backward pass stops below the lowest
/// trainable layer. Continual learning freezes everything up to the injection depth.
public struct TrainableLayers: Sendable, Equatable, Codable {
  /// Per hidden layer: its W and V learn (W1 cannot learn when the input is currents, d = 0).
  public var hidden: [Bool]
  /// Whether Wout learns.
  public var readout: Bool

  public init(hidden: [Bool], readout: Bool = true) {
    self.hidden = hidden
    self.readout = readout
  }

  /// Every layer trainable.
  public static func all(hiddenLayers: Int) -> TrainableLayers {
    TrainableLayers(hidden: [Bool](repeating: true, count: hiddenLayers), readout: true)
  }

  /// The layers above injection depth d (SpikingLR): d = 0 keeps hidden 1 trainable (its V; W1 is
  /// frozen by the current input), d = k >= 1 freezes hidden 1...k.
  public static func above(depth: Int, hiddenLayers: Int) -> TrainableLayers {
    TrainableLayers(hidden: (0..<hiddenLayers).map { $0 >= depth }, readout: true)
  }
}
