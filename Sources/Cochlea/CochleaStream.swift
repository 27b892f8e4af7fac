/// The cochlea as a stream: 48 kHz audio chunks in, bushy-cell spikes out, all state (decimator
/// history, filter, hair cell, refractory fibres, LIF, random generators) carried between chunks,
/// so any chunking gives exactly the output of one call on the whole signal.
///
/// Per chunk the 700 channels are processed 8 at a time (one SIMD vector), each group running
/// through all samples of the chunk with its state in registers: gammatone -> Meddis hair cell ->
/// Binomial fibre count -> bushy LIF. Deterministic for a seed.
public final class CochleaStream {
  public let cochlea: Cochlea
  private var decimator = Decimator()
  private var groups: [ChannelGroupState]
  /// Fibre counts of the last `window` samples, `window` vectors per group.
  private var ring: [Lanes]
  /// Model-rate samples processed so far.
  public private(set) var sampleIndex = 0

  public init(cochlea: Cochlea, seed: UInt64) {
    self.cochlea = cochlea
    let count = cochlea.groupCount
    groups = (0..<count).map {
      ChannelGroupState(
        hair: cochlea.hairCell.rest, random: LaneRandom(seed: seed, stream: UInt64($0)))
    }
    ring = [Lanes](repeating: Lanes(), count: count * cochlea.fibres.window)
  }

  /// Feeds one chunk of audio at `cochlea.parameters.inputRate`; returns the spikes it completes.
  public func process(_ chunk: [Float]) -> CochleaSpikes {
    let y = chunk.withUnsafeBufferPointer { decimator.process($0) }
    var keys = [UInt64]()
    let start = sampleIndex
    let channelCount = cochlea.parameters.channelCount
    y.withUnsafeBufferPointer { y in
      groups.withUnsafeMutableBufferPointer { groups in
        ring.withUnsafeMutableBufferPointer { ring in
          for g in 0..<groups.count {
            runGroup(g, y, &groups[g], ring.baseAddress! + g * cochlea.fibres.window, start) { index, lane in
              let channel = g * laneCount + lane
              if channel < channelCount { keys.append(UInt64(index) << 16 | UInt64(channel)) }
            }
          }
        }
      }
    }
    sampleIndex += y.count
    keys.sort()
    var out = CochleaSpikes(rate: cochlea.parameters.modelRate)
    out.sampleIndices = keys.map { Int32(truncatingIfNeeded: $0 >> 16) }
    out.channels = keys.map { UInt16(truncatingIfNeeded: $0) }
    return out
  }

  /// All samples of one channel group; `emit(index, lane)` for each spike.
  @inline(__always)
  private func runGroup(
    _ g: Int, _ y: UnsafeBufferPointer<Float>, _ state: inout ChannelGroupState,
    _ ring: UnsafeMutablePointer<Lanes>, _ start: Int, _ emit: (Int, Int) -> Void
  ) {
    let coefficients = cochlea.bank.coefficients[g]
    let hairCell = cochlea.hairCell, fibres = cochlea.fibres, bushy = cochlea.bushy
    let window = fibres.window
    var s = state
    var slot = start % window
    for j in 0..<y.count {
      let v = GammatoneBank.step(y[j], &s.filter, coefficients)
      let p = hairCell.step(v, &s.hair)
      let spiked = CochleaStream.nerveStep(p, &s, ring + slot, fibres, bushy).spiked
      slot = slot + 1 == window ? 0 : slot + 1
      if anyLane(spiked) {
        for lane in 0..<laneCount where spiked[lane] { emit(start + j - 1, lane) }
      }
    }
    state = s
  }
}

extension CochleaStream {
  /// Fibres and bushy cell for one sample: draws the firing fibre count from probability `p`,
  /// updates the refractory count (`oldest` holds the count of `window` samples ago and is
  /// overwritten with the new one) and steps the LIF. Returns the count and the lanes that
  /// spiked at the previous sample.
  @inline(__always)
  static func nerveStep(
    _ p: Lanes, _ s: inout ChannelGroupState, _ oldest: UnsafeMutablePointer<Lanes>,
    _ fibres: FibrePool, _ bushy: BushyCell
  ) -> (count: Lanes, spiked: LaneMask) {
    let n = fibres.draw(p: p, refractory: s.refractory, u: s.random.next())
    // Fibres that fired `window` samples ago are available again from the next sample.
    s.refractory += n - oldest.pointee
    oldest.pointee = n
    return (n, bushy.step(n, &s.bushy))
  }

  /// Bushy spike counts and fibre spike totals of `runs` independent runs at constant firing
  /// probability `p` for `samples` samples (8 runs per SIMD group): the statistics check of
  /// reference README §2.3.
  static func constantProbabilityRuns(
    p: Float, runs: Int, samples: Int, seed: UInt64, cochlea: Cochlea
  ) -> (bushy: [Int], fibre: [Int]) {
    var bushy = [Int](), fibre = [Int]()
    let window = cochlea.fibres.window
    for group in 0..<(runs + laneCount - 1) / laneCount {
      var s = ChannelGroupState(hair: cochlea.hairCell.rest, random: LaneRandom(seed: seed, stream: UInt64(group)))
      var ring = [Lanes](repeating: Lanes(), count: window)
      var spikes = Lanes(), fired = Lanes()
      let prob = Lanes(repeating: p)
      ring.withUnsafeMutableBufferPointer { ring in
        var slot = 0
        for _ in 0..<samples {
          let (n, spiked) = nerveStep(prob, &s, ring.baseAddress! + slot, cochlea.fibres, cochlea.bushy)
          slot = slot + 1 == window ? 0 : slot + 1
          fired += n
          spikes += keep(Lanes(repeating: 1), where: spiked)
        }
      }
      for lane in 0..<laneCount where group * laneCount + lane < runs {
        bushy.append(Int(spikes[lane]))
        fibre.append(Int(fired[lane]))
      }
    }
    return (bushy, fibre)
  }
}

/// Everything 8 channels remember between samples.
struct ChannelGroupState: Sendable {
  var filter = GammatoneState()
  var hair: HairCellState
  var refractory = Lanes()
  var bushy = BushyState()
  var random: LaneRandom
}
