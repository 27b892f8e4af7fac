import Foundation

/// The bushy-cell LIF of 8 channels, exactly lauscher 1.0.1 `BushyCell._lif` (reference README
/// §2.2) with the per-fibre currents summed into one: input `n[k]` = fibres firing at sample k.
/// A crossing at sample k is registered as a spike at k when sample k+1 is processed.
struct BushyCell: Sendable {
  let decayMem: Lanes, decaySyn: Lanes, inputGain: Lanes, refractorySamples: Lanes

  init(parameters p: BushyParameters, rate: Double) {
    let dt = 1 / rate
    decayMem = Lanes(repeating: Float(exp(-dt / p.tauMem)))
    decaySyn = Lanes(repeating: Float(exp(-dt / p.tauSyn)))
    inputGain = Lanes(repeating: Float(p.totalWeight / Double(p.fibres) * dt))
    refractorySamples = Lanes(repeating: Float(p.tauRefrac * rate))
  }

  /// One sample with input count `n`; returns the lanes that spiked at the PREVIOUS sample.
  @inline(__always)
  func step(_ n: Lanes, _ s: inout BushyState) -> LaneMask {
    let one = Lanes(repeating: 1)
    let free = s.rc .<= 0
    let crossed = free .& (s.vm .>= one)
    // vm stays 0 while refractory (it was reset and gets no input).
    s.vm = keep(s.vm * decayMem, where: free .& .!crossed)
    s.rc = select(crossed, refractorySamples, s.rc)
    s.isyn = s.isyn * decaySyn + n
    let stillFree = s.rc .<= 0
    s.vm = select(stillFree, s.vm.addingProduct(s.isyn, inputGain), s.vm)
    s.vm = select(s.vm .> one, one, s.vm)
    // rc only matters while positive; stopping at -1 keeps it exact forever.
    s.rc = select(s.rc .< 0, -one, s.rc - one)
    return crossed
  }

  /// Spike indices for fixed fibre-count inputs (one array per channel), for tests.
  static func spikeIndices(counts: [[Int]], parameters: BushyParameters, rate: Double) -> [[Int]] {
    let cell = BushyCell(parameters: parameters, rate: rate)
    var out = [[Int]](repeating: [], count: counts.count)
    for start in stride(from: 0, to: counts.count, by: laneCount) {
      let lanes = min(laneCount, counts.count - start)
      let n = counts[start..<start + lanes].map(\.count).max() ?? 0
      var s = BushyState()
      for k in 0..<n {
        var x = Lanes()
        for l in 0..<lanes where k < counts[start + l].count { x[l] = Float(counts[start + l][k]) }
        let spiked = cell.step(x, &s)
        for l in 0..<lanes where spiked[l] { out[start + l].append(k - 1) }
      }
    }
    return out
  }
}

/// Membrane, summed synaptic current and refractory counter of 8 bushy cells.
struct BushyState: Sendable {
  var vm = Lanes(), isyn = Lanes(), rc = Lanes()
}
