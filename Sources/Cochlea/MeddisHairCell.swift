/// Meddis (1986/1988) inner hair cell, 8 channels per step: basilar-membrane velocity in,
/// firing probability per sample out. Equations of reference README §2.1 (lauscher 1.0.1): every
/// right-hand side uses the values from before the sample (simultaneous update).
struct MeddisHairCell: Sendable {
  // Per-sample constants (rates times 1/fs), Float32.
  let gOverFs: Lanes, a: Lanes, b: Lanes, ymOverFs: Lanes, yOverFs: Lanes, m: Lanes
  let rOverFs: Lanes, lrOverFs: Lanes, xOverFs: Lanes, hOverFs: Lanes
  let rest: HairCellState

  init(parameters p: MeddisParameters, rate fs: Double) {
    gOverFs = Lanes(repeating: Float(p.g / fs))
    a = Lanes(repeating: Float(p.a))
    b = Lanes(repeating: Float(p.b))
    ymOverFs = Lanes(repeating: Float(p.y * p.m / fs))
    yOverFs = Lanes(repeating: Float(p.y / fs))
    m = Lanes(repeating: Float(p.m))
    rOverFs = Lanes(repeating: Float(p.r / fs))
    lrOverFs = Lanes(repeating: Float((p.l + p.r) / fs))
    xOverFs = Lanes(repeating: Float(p.x / fs))
    hOverFs = Lanes(repeating: Float(p.h / fs))
    let s = p.restingState
    rest = HairCellState(
      c: Lanes(repeating: Float(s.c)), q: Lanes(repeating: Float(s.q)), w: Lanes(repeating: Float(s.w)))
  }

  /// One sample: velocity `v` -> firing probability, state updated.
  @inline(__always)
  func step(_ v: Lanes, _ s: inout HairCellState) -> Lanes {
    let va = v + a
    // k = (g/fs) (v + a) / (v + a + b) where v + a > 0, else 0.
    let k = keep(gOverFs * va / (va + b), where: va .> 0)
    let replenish = keep(ymOverFs - yOverFs * s.q, where: s.q .< m)
    let eject = k * s.q
    let reuptake = rOverFs * s.c
    let lossreup = lrOverFs * s.c
    let reprocess = xOverFs * s.w
    s.q = positivePart(s.q + replenish - eject + reprocess)
    s.c = positivePart(s.c + eject - lossreup)
    s.w = positivePart(s.w + reuptake - reprocess)
    return s.c * hOverFs
  }

  /// Firing probabilities for basilar-membrane traces at `rate` (each trace starts at rest).
  /// For tests and inspection; the streaming cochlea calls `step` directly.
  static func probabilities(_ traces: [[Float]], parameters: MeddisParameters, rate: Double) -> [[Float]] {
    let cell = MeddisHairCell(parameters: parameters, rate: rate)
    var out = traces.map { [Float](repeating: 0, count: $0.count) }
    for start in stride(from: 0, to: traces.count, by: laneCount) {
      let lanes = min(laneCount, traces.count - start)
      let n = traces[start..<start + lanes].map(\.count).max() ?? 0
      var s = cell.rest
      for j in 0..<n {
        var v = Lanes()
        for l in 0..<lanes where j < traces[start + l].count { v[l] = traces[start + l][j] }
        let p = cell.step(v, &s)
        for l in 0..<lanes where j < traces[start + l].count { out[start + l][j] = p[l] }
      }
    }
    return out
  }
}

/// Transmitter quantities of 8 hair cells: cleft c, free pool q, reprocessing store w.
struct HairCellState: Sendable {
  var c: Lanes, q: Lanes, w: Lanes
}
