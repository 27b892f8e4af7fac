/// Energy per arithmetic operation, used to turn operation counts into joules. The default is
/// Horowitz (ISSCC 2014), 45 nm, FP32: an add (a spike-driven accumulate) costs 0.9 pJ, a
/// multiply-add (a dense MAC: 3.7 pJ multiply + 0.9 pJ add) 4.6 pJ.
public struct EnergyModel: Sendable, Equatable, Codable {
  public var name: String
  /// Picojoules per accumulate (AC).
  public var accumulatePicojoules: Double
  /// Picojoules per multiply-accumulate (MAC).
  public var macPicojoules: Double

  public init(name: String, accumulatePicojoules: Double, macPicojoules: Double) {
    self.name = name
    self.accumulatePicojoules = accumulatePicojoules
    self.macPicojoules = macPicojoules
  }

  /// 45 nm FP32 figures of Horowitz 2014.
  public static let horowitz45nm = EnergyModel(
    name: "45nm FP32 (Horowitz 2014)", accumulatePicojoules: 0.9, macPicojoules: 4.6)

  /// Joules of `counts` under this model.
  public func joules(_ counts: OperationCounts) -> Double {
    (Double(counts.accumulates) * accumulatePicojoules + Double(counts.macs) * macPicojoules) * 1e-12
  }
}

/// Numbers of accumulates (spike-driven: a presynaptic spike adds a weight row) and
/// multiply-accumulates (dense float operands).
public struct OperationCounts: Sendable, Equatable, Codable {
  public var accumulates: Int
  public var macs: Int

  public init(accumulates: Int = 0, macs: Int = 0) {
    self.accumulates = accumulates
    self.macs = macs
  }

  public static let zero = OperationCounts()

  public static func + (a: OperationCounts, b: OperationCounts) -> OperationCounts {
    OperationCounts(accumulates: a.accumulates + b.accumulates, macs: a.macs + b.macs)
  }

  public static func += (a: inout OperationCounts, b: OperationCounts) { a = a + b }
}

/// An energy figure for a report: the estimate from operation counts and, separately, what
/// the CPU's RAPL counters measured (nil with a reason when they are not readable).
public struct EnergyReport: Sendable, Equatable, Codable {
  public var model: String
  public var counts: OperationCounts
  /// Estimated joules, counts x per-operation energy.
  public var estimatedJoules: Double
  /// Measured CPU package joules (RAPL), or nil.
  public var measuredJoules: Double?
  /// Where the measurement came from, or why there is none.
  public var measurementNote: String

  public init(counts: OperationCounts, model: EnergyModel = .horowitz45nm, measured: EnergyMeasurement? = nil) {
    self.model = model.name
    self.counts = counts
    self.estimatedJoules = model.joules(counts)
    self.measuredJoules = measured?.joules
    self.measurementNote = measured?.note ?? "not measured"
  }
}
